"""Damaged and hostile article files, made from the real test articles and the seed: each is read
and extracted, or refused with a reason naming the file, in bounded time, and ingesting it either
creates records whose citations quote the source exactly or changes nothing."""

import io
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agreements import models
from agreements.extraction import extract
from agreements.extraction.reading import (
    MAX_BYTES,
    UnreadableArticle,
    read_article_bytes,
    read_article_file,
)
from agreements.ingestion import IngestError, ingest_article
from tests.test_extraction_properties import assert_spans_inside

ROOT = Path(__file__).resolve().parent
ARABIC = (ROOT / "articles" / "ar01_egypt_saudi.txt").read_text("utf-8").split("\n", 1)[1]
ENGLISH = (ROOT / "articles" / "en01_india_russia.txt").read_text("utf-8").split("\n", 1)[1]
SEED = (ROOT.parent / "seeds" / "000_2da5b34de469e791.txt").read_text("utf-8")
MEGABYTE = 1024 * 1024


def _cut_inside_a_character(data: bytes) -> bytes:
    """The first half of the file, cut after the lead byte of a multi-byte character."""
    middle = len(data) // 2
    while data[middle] < 0xC0:
        middle += 1
    return data[: middle + 1]


def _repeat_to(text: str, size: int, joiner: str = "\n\n") -> str:
    return ((text + joiner) * (size // len(text) + 1))[:size]


MANGLED: dict[str, bytes] = {
    "truncated utf-8": _cut_inside_a_character(SEED.encode("utf-8")),
    "truncated utf-8 with bom": b"\xef\xbb\xbf" + _cut_inside_a_character(ARABIC.encode("utf-8")),
    "invalid bytes": ARABIC.encode("utf-8")[:300] + b"\xc3\x28\xa0\xff" + ARABIC.encode()[300:],
    "utf-16 with bom": SEED.encode("utf-16"),
    "utf-16-le without bom": SEED.encode("utf-16-le"),
    "utf-16-be without bom": ENGLISH.encode("utf-16-be"),
    "truncated utf-16": SEED.encode("utf-16")[:-1],
    "utf-16 with a nul character": ("Russia\x00 and India " + ENGLISH).encode("utf-16"),
    "mixed scripts": "\n".join(
        line
        for pair in zip(ARABIC.splitlines(), ENGLISH.splitlines(), strict=False)
        for line in pair
    ).encode("utf-8"),
    "one word of 1 mb": ("اتفاقية" * MEGABYTE)[: MEGABYTE // 2].encode("utf-8"),
    "one word repeated to 1 mb": _repeat_to("agreements", MEGABYTE, " ").encode("utf-8"),
    "a line of 1 mb": _repeat_to(SEED.replace("\n", " "), MEGABYTE // 2, " ").encode("utf-8"),
    "an article repeated to 1 mb": _repeat_to(ENGLISH, MEGABYTE).encode("utf-8"),
    # One sentence of a megabyte full of counts, years and quotes: per-number work on the
    # whole sentence would be quadratic.
    "counts in one sentence of 1 mb": _repeat_to(
        "«وقعت مصر والسعودية منذ عام 2004 نحو 17 اتفاقية» ", MEGABYTE // 2, ""
    ).encode("utf-8"),
    "rtl marks between characters": "\u200f".join(ARABIC).encode("utf-8"),
    "ltr marks between characters": "\u200e".join(ENGLISH).encode("utf-8"),
    "zero-width joiners between characters": "\u200d".join(SEED[:3000]).encode("utf-8"),
    "nul bytes": ENGLISH.encode("utf-8")[:200] + b"\x00\x00" + ENGLISH.encode()[200:],
    # One NUL at an odd offset of an even-sized file: damage, not UTF-16 without a BOM.
    "a nul byte": ENGLISH.encode("utf-8")[:201] + b"\x00" + ENGLISH.encode()[201:-1],
    "only whitespace": b" \t\r\n\xc2\xa0" * 1000,
    "empty file": b"",
    "larger than the limit": b"Russia and India. " * (MAX_BYTES // 18 + 1),
}
# Refused, and the reason that must be given.
REFUSED = {
    "truncated utf-8": "damaged UTF-8",
    "truncated utf-8 with bom": "damaged UTF-8",
    "invalid bytes": "damaged UTF-8",
    "truncated utf-16": "damaged UTF-16",
    "utf-16 with a nul character": "NUL characters",
    "nul bytes": "NUL bytes",
    "a nul byte": "NUL bytes",
    "only whitespace": "no text in it",
    "empty file": "empty file",
    "larger than the limit": "larger than 2 MB",
}
READ = sorted(set(MANGLED) - set(REFUSED))
LARGE = sorted(name for name in READ if "1 mb" in name)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_damaged_file_is_refused_with_its_reason(name):
    with pytest.raises(UnreadableArticle, match=REFUSED[name]):
        read_article_bytes(MANGLED[name])


@pytest.mark.parametrize("name", [name for name in READ if name not in LARGE])
def test_a_readable_mangled_file_is_extracted_with_every_span_inside_its_text(name):
    article = read_article_bytes(MANGLED[name])
    assert_spans_inside(extract(article.text))


@pytest.mark.parametrize(
    ("name", "same_as"),
    [
        ("utf-16 with bom", SEED),
        ("utf-16-le without bom", SEED),
        ("utf-16-be without bom", ENGLISH),
    ],
)
def test_utf16_is_read_with_or_without_a_byte_order_mark(name, same_as):
    assert read_article_bytes(MANGLED[name]).text == same_as.strip()


@pytest.mark.parametrize("name", LARGE)
def test_extraction_time_grows_linearly_with_the_text(name):
    """A tenth of the text, then all of it: ten times the text may take at most about ten
    times as long (20 for noise), and a megabyte at most 10 seconds of CPU (about 4 on the
    development machine). CPU time, not wall time: other jobs share the CI machine."""
    text = read_article_bytes(MANGLED[name]).text
    tenth = text[: len(text) // 10]
    extract(tenth)  # caches warm

    def seconds(article: str) -> tuple[float, object]:
        started = time.process_time()
        extraction = extract(article)
        return time.process_time() - started, extraction

    (small, _), (large, extraction) = seconds(tenth), seconds(text)
    assert_spans_inside(extraction)
    assert large < 20 * max(small, 0.05), (small, large)
    assert large < 10 * len(text.encode("utf-8")) / MEGABYTE, large


# --- the ingest path -------------------------------------------------------------------------


def _ingest(path: Path) -> str:
    out = io.StringIO()
    call_command("ingest", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (models.Source, models.Citation, models.Agreement, models.Official)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_ingest_refuses_a_damaged_file_naming_it_and_changes_nothing(tmp_path, name):
    path = tmp_path / f"{name.replace(' ', '_')}.txt"
    path.write_bytes(MANGLED[name])
    with pytest.raises(CommandError, match=REFUSED[name]) as refused:
        _ingest(path)
    assert str(path) in str(refused.value)
    assert not any(_row_counts().values())


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name in READ if name not in LARGE])
def test_ingest_of_a_mangled_file_cites_exactly_what_the_source_says(tmp_path, name):
    path = tmp_path / f"{name.replace(' ', '_')}.txt"
    path.write_bytes(MANGLED[name])
    try:
        _ingest(path)
    except CommandError as error:
        assert str(path) in str(error)
        assert not any(_row_counts().values())
        return
    (source,) = models.Source.objects.all()
    for citation in models.Citation.objects.all():
        assert source.text[citation.start : citation.end] == citation.passage


@pytest.mark.django_db
def test_ingest_of_a_megabyte_article_finishes_in_bounded_time(tmp_path):
    """The article told a thousand times is one article: its agreements and quotes once each
    (it took 11 minutes when each repetition became records)."""
    path = tmp_path / "repeated.txt"
    path.write_bytes(MANGLED["an article repeated to 1 mb"])
    started = time.process_time()
    _ingest(path)
    assert time.process_time() - started < 20
    (source,) = models.Source.objects.all()
    assert len(source.text) > MEGABYTE // 2
    assert models.Agreement.objects.count() == len(extract(ENGLISH).agreements)


@pytest.mark.django_db
def test_ingest_refuses_an_article_with_more_agreements_than_the_limit_and_writes_nothing():
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]
    subjects = [f"{a} {b} {c}" for a in words for b in words for c in words]
    text = " ".join(f"Russia and India signed an agreement on {s}." for s in subjects[:201])
    with pytest.raises(IngestError, match=r"states 201 different agreements; .* at most 200"):
        ingest_article(text)
    assert not any(_row_counts().values())


@pytest.mark.django_db
def test_ingest_refuses_a_folder_among_its_files(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(UnreadableArticle, match="a folder"):
        read_article_file(folder)


@pytest.mark.django_db
def test_ingest_refuses_an_unreadable_file_naming_it_and_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(ENGLISH, encoding="utf-8")

    opened = Path.open

    def denied(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    # chmod 000 does not stop root (CI runs as root): the refusal of open() is simulated.
    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(CommandError, match="cannot be read \\(permission denied\\)") as refused:
        _ingest(path)
    assert str(path) in str(refused.value)
    assert not any(_row_counts().values())


@pytest.mark.django_db
def test_ingest_refuses_a_fifo_instead_of_waiting_on_it(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CommandError, match="not a regular file"):
        _ingest(fifo)
    assert not any(_row_counts().values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Russia \ud800 and India signed 3 agreements.", "lone surrogate at character 8"),
        ("Russia\x00 and India signed 3 agreements.", "NUL characters"),
        ("Russia and India. " * (MAX_BYTES // 18 + 1), "larger than 2 MB"),
    ],
    ids=["surrogate", "nul", "too large"],
)
def test_ingest_article_refuses_text_no_source_may_hold_and_writes_nothing(text, reason):
    with pytest.raises(IngestError, match=reason):
        ingest_article(text)
    assert not any(_row_counts().values())


@pytest.mark.django_db
def test_the_api_refuses_a_lone_surrogate_with_a_400_naming_the_field(curator_api):
    """JSON can carry a lone surrogate (an escape); the parser refuses it, never a 500."""
    body = '{"text": "Russia \\ud800 and India signed 3 agreements."}'
    response = curator_api.post("/api/v1/sources/ingest/", body, content_type="application/json")
    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]
    assert not models.Source.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_an_upload_above_the_limit_naming_the_file(curator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = b"Russia and India. " * (MAX_BYTES // 18 + 1)
    upload = SimpleUploadedFile("huge.txt", data)
    response = curator_client.post(reverse("admin:agreements_source_ingest"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [f"huge.txt: larger than 2 MB ({len(data):,} bytes)"]
    }
    assert not models.Source.objects.exists()
