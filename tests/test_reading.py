"""Article files: what is read as text, and the one-line reason for what is refused."""

import pytest

from agreements.extraction.reading import MAX_BYTES, UnreadableArticle, read_article_bytes

ARABIC = "وقعت فنزويلا وروسيا 17 اتفاقا في كراكاس."


@pytest.mark.parametrize(
    "data",
    [
        ARABIC.encode("utf-8"),
        b"\xef\xbb\xbf" + ARABIC.encode("utf-8"),
        ARABIC.encode("utf-16"),
        ARABIC.encode("cp1256"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 with BOM", "windows-1256"],
)
def test_arabic_in_every_accepted_encoding_reads_the_same(data):
    assert read_article_bytes(data).text == ARABIC


def test_html_is_stripped_to_its_text():
    page = (
        b"<html><head><title>x</title><script>var a=1;</script></head><body>"
        b"<h1>Deal</h1><p>Russia &amp; India signed <b>9</b> agreements.</p></body></html>"
    )
    read = read_article_bytes(page)
    assert read.was_html
    assert read.text == "Deal\n\nRussia & India signed 9 agreements."


def test_a_metadata_line_gives_the_publication_date_and_is_not_text():
    read = read_article_bytes(b"# published_on: 2024-11-08\nRussia and Cuba signed.")
    assert (read.text, str(read.published_on)) == ("Russia and Cuba signed.", "2024-11-08")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Ünïcödé in Latin-1".encode("latin-1"), "not UTF-8"),
        (b"x" * (MAX_BYTES + 1), "larger than 2 MB"),
        (b"# published_on: someday\nText.", "is not a date"),
        (b"12345 67890 !!!", "no text in it"),
    ],
)
def test_what_is_not_an_article_is_refused_with_its_reason(data, reason):
    with pytest.raises(UnreadableArticle, match=reason):
        read_article_bytes(data)
