"""Turning an article file's bytes into text, or a one-line reason why not. Plain Python."""

import datetime
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

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
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data:
        raise UnreadableArticle("binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if not data[: error.start].isascii():
            raise UnreadableArticle(_broken_utf8(error)) from error
    text = data.decode("cp1256", errors="strict") if _cp1256_ok(data) else None
    if text is not None:
        letters = _LETTER.findall(text)
        if letters and len(_ARABIC.findall(text)) / len(letters) > 0.5:
            return text, "windows-1256"
    raise UnreadableArticle("not UTF-8, UTF-16 with a BOM, or Arabic Windows-1256 text")


def _broken_utf8(error: UnicodeDecodeError) -> str:
    """UTF-8 text that breaks off or has a bad byte. Read as Windows-1256 it would be
    gibberish (a truncated Arabic file decodes to "ظˆظ‚ظ‘…"): refused, saying where."""
    if error.reason == "unexpected end of data":
        return f"truncated: it ends in the middle of a UTF-8 character (byte {error.start:,})"
    return f"not valid UTF-8 from byte {error.start:,} on, after UTF-8 text"


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
