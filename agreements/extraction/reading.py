"""Turning an article file's bytes into text, or a one-line reason why not. Plain Python."""

import datetime
import html
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LETTER = re.compile(r"[^\W\d_]")
_HTML = re.compile(r"<\s*(html|body|p|div|article|br|span|h[1-6])\b[^>]*>", re.IGNORECASE)
_METADATA = re.compile(r"^#\s*([\w-]+)\s*:\s*(.*?)\s*$")


class UnreadableArticle(ValueError):
    """The file is not an article the reader can take; the message says why, in one line."""


@dataclass
class ArticleText:
    text: str
    published_on: datetime.date | None = None
    encoding: str = "utf-8"
    was_html: bool = False


class _TextOfHTML(HTMLParser):
    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "article",
        "section",
        "tr",
    }
    SKIPPED = {"script", "style", "noscript", "head", "nav", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    parser = _TextOfHTML()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8", offset=3), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16"), "utf-16"
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise UnreadableArticle("binary file (it contains NUL bytes)")
        return _strict(data, encoding, "UTF-16 (without a byte-order mark)"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # Cut in the middle of a character or with a damaged byte: read as Windows-1256 it
        # would pass for Arabic gibberish ("ظˆظ‚ظ‘…"), so it is refused, saying where.
        if _mostly_utf8(data) or not data[: error.start].isascii():
            raise UnreadableArticle(_broken_utf8(error)) from error
    text = data.decode("cp1256", errors="strict") if _cp1256_ok(data) else None
    if text is not None:
        letters = _LETTER.findall(text)
        if letters and len(_ARABIC.findall(text)) / len(letters) > 0.5:
            return text, "windows-1256"
    raise UnreadableArticle("not UTF-8, UTF-16 with a BOM, or Arabic Windows-1256 text")


def _broken_utf8(error: UnicodeDecodeError) -> str:
    if error.reason == "unexpected end of data":
        return f"damaged UTF-8: it ends in the middle of a character (byte {error.start:,})"
    return f"damaged UTF-8: an invalid byte at byte {error.start:,}"


def _strict(data: bytes, codec: str, name: str, offset: int = 0) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise UnreadableArticle(
            f"damaged {name} (truncated or invalid at byte {error.start + offset:,})"
        ) from error


# A multi-byte UTF-8 character: a lead byte and its continuation bytes.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(data: bytes) -> bool:
    """Nine in ten bytes above ASCII belong to well-formed UTF-8 characters: UTF-8 with damage,
    not Windows-1256 (whose Arabic letters seldom form such sequences)."""
    high = sum(1 for byte in data if byte >= 0x80)
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(data))
    return high > 0 and in_sequences >= 0.9 * high


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: the NUL bytes (the high halves of ASCII
    characters, spaces at least) all fall on odd offsets (little-endian) or all on even ones,
    and there are many of them (one in twenty characters at least: a stray NUL in a UTF-8 file
    is damage, not UTF-16)."""
    nuls = [index % 2 for index, byte in enumerate(data) if byte == 0]
    if len(data) % 2 or len(nuls) < len(data) // 40:
        return None
    encoding = {frozenset({1}): "utf-16-le", frozenset({0}): "utf-16-be"}.get(frozenset(nuls))
    if encoding is None:
        return None
    # Binary data can put its NULs on one side too; text has no control characters.
    text = data.decode(encoding, errors="replace")
    if any(ord(char) < 32 and char not in "\n\r\t" for char in text):
        return None
    return encoding


def _cp1256_ok(data: bytes) -> bool:
    try:
        data.decode("cp1256")
    except UnicodeDecodeError:
        return False
    return True


def read_article_bytes(data: bytes) -> ArticleText:
    """Decode, strip HTML and leading "# key: value" metadata lines; refuse what is not text."""
    if len(data) > MAX_BYTES:
        raise UnreadableArticle(f"larger than 2 MB ({len(data):,} bytes)")
    if not data.strip():
        raise UnreadableArticle("empty file")
    text, encoding = _decode(data)
    if "\x00" in text:
        raise UnreadableArticle("binary file (it contains NUL characters)")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t")
    if controls > max(8, len(text) // 100):
        raise UnreadableArticle("binary file (control characters)")
    was_html = bool(_HTML.search(text[:5000]))
    if was_html:
        text = strip_html(text)
    lines = text.splitlines(keepends=True)
    metadata = {}
    while lines and lines[0].lstrip("\ufeff").startswith("#"):
        match = _METADATA.match(lines.pop(0).lstrip("\ufeff"))
        if match:
            metadata[match.group(1).lower()] = match.group(2)
    text = "".join(lines).strip()
    if not _LETTER.search(text):
        raise UnreadableArticle("no text in it")
    published_on = None
    if metadata.get("published_on"):
        try:
            published_on = datetime.date.fromisoformat(metadata["published_on"])
        except ValueError as error:
            raise UnreadableArticle(
                f"published_on {metadata['published_on']!r} is not a date"
            ) from error
    return ArticleText(text, published_on, encoding, was_html)


def read_article_text(text: str) -> ArticleText:
    """Pasted text (a form field, a JSON string) read as the same article its UTF-8 file would
    be. A lone surrogate (possible in JSON's \\ud800 escapes) is no text: refused, not a crash."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UnreadableArticle(
            f"not valid Unicode text (a lone surrogate at character {error.start + 1:,})"
        ) from error
    return read_article_bytes(data)


def read_article_file(path: Path) -> ArticleText:
    """The article in a file, or UnreadableArticle with why: a folder, not a regular file
    (a FIFO would block), unreadable, or too large (refused before it is read into memory)."""
    try:
        if path.is_dir():
            raise UnreadableArticle("a folder, not a file")
        if not path.exists():
            raise UnreadableArticle("no such file")
        if not path.is_file():
            raise UnreadableArticle("not a regular file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableArticle(f"larger than 2 MB ({size:,} bytes)")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise UnreadableArticle(f"cannot be read ({reason.lower()})") from error
    return read_article_bytes(data)
