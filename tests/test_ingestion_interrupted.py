"""An ingest interrupted at any write leaves the database exactly as it was; a folder with a
broken file ingests the rest and names the broken one with its reason."""

import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction

from agreements import ingestion, models
from agreements.ingestion import ingest_article
from tests.conftest import SEED_FIXTURE

SEED_TEXT = (SEED_FIXTURE.parent.parent / "seeds" / "000_2da5b34de469e791.txt").read_text("utf-8")
ARTICLES = Path(__file__).parent / "articles"
ENGLISH = (ARTICLES / "en05_cuba_venezuela.txt").read_text("utf-8").split("\n", 1)[1]
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

# The ingest's transaction must be the real, outermost one (not a savepoint of the test's).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _table_dump():
    """Every row of every table, history, pair statistics and the data version included."""
    tables = sorted(connection.introspection.table_names())
    assert {"agreements_pair_statistics", "agreements_data_version"} <= set(tables)
    assert "agreements_historicalagreement" in tables
    dump = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump[table] = sorted(cursor.fetchall(), key=repr)
    return dump


class _Writes:
    """Counts write statements and, when told to, fails the ``fail_at``-th."""

    def __init__(self, fail_at=None):
        self.count, self.fail_at = 0, fail_at

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            self.count += 1
            if self.count == self.fail_at:
                raise OperationalError(f"injected failure at write {self.count}: {sql[:60]}")
        return execute(sql, params, many, context)


@contextmanager
def _writes(fail_at=None):
    writes = _Writes(fail_at)
    with connection.execute_wrapper(writes):
        yield writes


def _writes_of_an_ingest(text):
    """How many write statements ingesting ``text`` makes (counted in a transaction that is
    then rolled back)."""
    with transaction.atomic(), _writes() as writes:
        assert ingest_article(text).created
        transaction.set_rollback(True)
    return writes.count


# With the seed loaded: the English article creates its officials, offices, place, event,
# claims and statements, and is broken at every one of its writes; the Arabic one (reworded,
# so that it is a new source) matches the seed's officials and place, and is broken at every
# fifth write and at its last (all of them would double the suite's time for little more).
ARTICLES_TO_BREAK = {
    "english, creating, every write": (ENGLISH, 1),
    "arabic, matching, every fifth write": (SEED_TEXT.replace("وقّعت الدولتين", "وقّع البلدان"), 5),
}


@pytest.fixture
def read_once(monkeypatch):
    """The reader's findings for a text are the same every time: read each text once, so that
    the loop below spends its time on the writes under test."""
    findings = {}
    extract = ingestion.extract

    def remembered(text, gazetteer, published_on):
        if text not in findings:
            findings[text] = extract(text, gazetteer, published_on)
        return findings[text]

    monkeypatch.setattr(ingestion, "extract", remembered)


@pytest.mark.parametrize(
    ("text", "stride"), ARTICLES_TO_BREAK.values(), ids=ARTICLES_TO_BREAK.keys()
)
def test_an_ingest_failing_at_any_write_leaves_every_table_as_it_was(seed, read_once, text, stride):
    before = _table_dump()
    total = _writes_of_an_ingest(text)
    assert _table_dump() == before
    assert total > 50  # source, records, citations, history, statistics, data version
    for fail_at in sorted({*range(1, total + 1, stride), total}):
        injected = f"injected failure at write {fail_at}:"
        with pytest.raises(OperationalError, match=injected), _writes(fail_at):
            ingest_article(text)
        assert _table_dump() == before, f"write {fail_at} of {total} left something behind"
    with _writes() as writes:
        assert ingest_article(text).created  # with nothing injected it goes through
    assert writes.count == total and _table_dump() != before


def _ingest_folder(folder):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ingest", str(folder), stdout=out, stderr=err)
    return str(failure.value), out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    seed_bytes = SEED_TEXT.encode("utf-8")
    files = {
        "a_good_english.txt": ENGLISH.encode("utf-8"),
        "b_empty.txt": b"",
        "c_latin1.txt": "Café in Caracas: Venezuela and Russia signed.".encode("latin-1"),
        "d_truncated.txt": seed_bytes[:302],  # cut inside an Arabic letter's two bytes
        "e_binary.txt": b"\x00\x01\x02\x03 Venezuela",
        "f_bad_date.txt": b"# published_on: 2024-13-45\n" + ENGLISH.encode("utf-8"),
        "g_no_country.txt": b"A cat sat on the mat.",
        "h_good_arabic.txt": seed_bytes,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


REASONS = {
    "b_empty.txt": "empty file",
    "c_latin1.txt": "not UTF-8, UTF-16 with a BOM, or Arabic Windows-1256 text",
    "d_truncated.txt": "damaged UTF-8: it ends in the middle of a character (byte 301)",
    "e_binary.txt": "binary file (it contains NUL bytes)",
    "f_bad_date.txt": "published_on '2024-13-45' is not a date",
    "g_no_country.txt": "no country found in the article",
}


def test_a_folder_with_broken_files_ingests_the_rest(folder):
    message, _out, _err = _ingest_folder(folder)
    assert message == "6 of 8 articles could not be ingested."
    assert sorted(models.Source.objects.values_list("language", flat=True)) == ["ar", "en"]


def test_a_folder_ingest_names_each_broken_file_with_its_reason(folder):
    _message, out, err = _ingest_folder(folder)
    table = {line.split()[0]: line for line in out.splitlines()[1:]}
    for name, reason in REASONS.items():
        assert f"{folder / name}: {reason}" in err
        assert "error" in table[name] and reason in table[name]
    assert "created" in table["a_good_english.txt"] and "created" in table["h_good_arabic.txt"]
