"""Properties of the article reader's text functions, checked on generated text with Hypothesis:
no exception escapes for any string (lone surrogates, controls, direction and zero-width marks,
combining marks, Arabic-Indic digits, mixed scripts), and every offset points into the text.

The profile is fixed (derandomized, bounded examples, no example database) so that CI runs the
same examples every time, in a few seconds.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agreements.extraction import extract
from agreements.extraction.extractor import sentence_spans
from agreements.extraction.numbers import number_before, qualifier_after, qualifier_before
from agreements.extraction.reading import UnreadableArticle, read_article_bytes, read_article_text
from agreements.extraction.tokens import adjective_stems, arabic_prefix_forms, tokenize
from agreements.text import content_hash, fold, normalize_source_text

FIXED = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ARTICLES = Path(__file__).resolve().parent / "articles"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_2da5b34de469e791.txt"

# Words of the real articles, so that generated text reaches the extractor's deeper branches
# (titles, counts, dates, quotes) and not only the tokeniser.
_WORDS = sorted(
    {
        word
        for path in [*sorted(ARTICLES.glob("*.txt")), SEED]
        for word in path.read_text(encoding="utf-8").split()
        if not word.startswith("#")
    }
)
_TRICKY = list(
    "\u200e\u200f\u200b\u200c\u200d\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\ufeff\x00\x01\x08\x0b\x0c\x1c\x1f\x7f\x85\u2028\u2029\r\n\t \u00a0\u3000"
    "\u0640\u064b\u064e\u0650\u0651\u0652\u0670\u0301\u0307\u0327\u20dd"
    "İıẞßﬁ²①⑽㎁ǅℌ٠١٢٣٤٥٦٧٨٩۰۱۲۳٤٥٦٧۸۹𐩀٬٫،؛؟«»“”„\"'.,;:!?-–—()$"
    "ابتةثجحخدذرسشصضطظعغفقكلمنهويىءآأإؤئ"
)
ANY_CHARACTER = st.characters(exclude_categories=())  # every code point, surrogates included
TEXT = st.lists(
    st.one_of(
        ANY_CHARACTER,
        st.sampled_from(_TRICKY),
        st.sampled_from(_WORDS).map(lambda word: f" {word}"),
    ),
    max_size=80,
).map("".join)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


# --- fold, the normaliser behind every key ---------------------------------------------------


@FIXED
@given(TEXT)
@example("İstanbul")
@example("㎁")
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@FIXED
@given(TEXT)
def test_fold_gives_lower_case_words_separated_by_single_spaces(text):
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.casefold()


@pytest.mark.parametrize(("written", "plain"), [("İzmir", "izmir"), ("İSTANBUL", "istanbul")])
def test_fold_keeps_the_turkish_dotted_capital_i_in_its_word(written, plain):
    assert fold(written) == plain


# --- source text as stored and hashed ----------------------------------------------------


@FIXED
@given(TEXT)
@example("  \ufeffRussia")
def test_normalize_source_text_is_idempotent(text):
    once = normalize_source_text(text)
    assert normalize_source_text(once) == once
    assert "\r" not in once


@FIXED
@given(TEXT)
def test_content_hash_is_the_hash_of_the_normalised_text(text):
    assert content_hash(text) == content_hash(normalize_source_text(text))


# --- tokens --------------------------------------------------------------------------------


@FIXED
@given(TEXT)
def test_every_token_is_the_text_at_its_span_and_its_key_is_folded(text):
    previous_end = 0
    for token in tokenize(text):
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        assert token.key and " " not in token.key
        assert token.key == fold(token.text).replace(" ", "")
        previous_end = token.end


@FIXED
@given(TEXT)
def test_clitic_forms_are_the_word_without_a_prefix(text):
    for token in tokenize(text):
        for form, prefix in arabic_prefix_forms(token.key):
            assert prefix + form == token.key or (form.startswith("ال") and prefix.endswith("ل"))
        assert adjective_stems(token.key)[0] == token.key


# --- sentences -------------------------------------------------------------------------------


@FIXED
@given(TEXT)
def test_sentences_are_ordered_disjoint_non_blank_spans_of_the_text(text):
    previous_end = 0
    for start, end in sentence_spans(text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip()
        previous_end = end


# --- numbers -------------------------------------------------------------------------------


@FIXED
@given(TEXT)
def test_a_number_is_a_non_negative_int_or_none_and_starts_before_its_end(text):
    tokens = tokenize(text)
    for end in range(len(tokens) + 1):
        number = number_before(tokens, end, text)
        if number is None:
            continue
        value, first = number
        assert type(value) is int and value >= 0
        assert 0 <= first < end
        qualifier, qualifier_first = qualifier_before(tokens, first)
        assert 0 <= qualifier_first <= first and qualifier
        _trailing, after = qualifier_after(tokens, end)
        assert end <= after <= len(tokens)


@FIXED
@given(
    st.integers(min_value=0, max_value=10**15 - 1),
    st.sampled_from([None, ARABIC_INDIC, EASTERN_ARABIC_INDIC]),
    st.sampled_from(["", ",", "٬"]),
)
def test_digits_give_back_the_number_they_write(value, digits, separator):
    written = f"{value:,}".replace(",", separator).translate(digits or {})
    text = f"وقعا {written} اتفاقا"
    tokens = tokenize(text)
    end = next(i for i, token in enumerate(tokens) if token.key == fold("اتفاقا"))
    assert number_before(tokens, end, text) == (value, 1)


@pytest.mark.parametrize(
    "written", ["𐩀 agreements", "9" * 5000 + " agreements", ",".join(["100"] * 2000) + " deals"]
)
def test_digits_that_are_no_count_are_not_read_as_one(written):
    tokens = tokenize(written)
    assert number_before(tokens, len(tokens) - 1, written) is None


# --- reading files ---------------------------------------------------------------------------


@FIXED
@given(st.binary(max_size=400) | TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_any_bytes_are_read_or_refused_with_a_reason(data):
    try:
        article = read_article_bytes(data)
    except UnreadableArticle as error:
        assert str(error)
        return
    assert article.text.strip() and "\x00" not in article.text
    article.text.encode("utf-8")  # no lone surrogate reaches the database


@FIXED
@given(TEXT)
@example("Russia \ud800 and India signed 3 agreements.")
def test_any_pasted_text_is_read_or_refused_with_a_reason(text):
    try:
        article = read_article_text(text)
    except UnreadableArticle as error:
        assert str(error)
        return
    article.text.encode("utf-8")


# --- the whole extractor -------------------------------------------------------------------


def spans_of(extraction) -> list[tuple[tuple[int, int], str | None]]:
    """Every (span, the text the finding claims is there, or None when it claims none)."""
    found = [(m.span, None) for m in extraction.country_mentions]
    found += [(p.span, None) for p in extraction.place_mentions]
    for official in extraction.officials:
        found += [(official.spans[0], official.name_native)]
        found += [(span, None) for span in official.spans[1:]]
        if official.title_span:
            found.append((official.title_span, None))
    for count in (extraction.agreement_count, extraction.total_count):
        if count:
            found.append((count.span, None))
    found += [(span, None) for span in extraction.sector_spans.values()]
    found += [(a.span, a.subject) for a in extraction.agreements]
    found += [(q.span, None) for q in extraction.quotes]
    found += [(span, None) for span in extraction.signing_spans]
    if extraction.date_span:
        found.append((extraction.date_span, None))
    if extraction.place:
        found.append((extraction.place.span, None))
    return found


def assert_spans_inside(extraction) -> None:
    text = extraction.text
    for (start, end), claimed in spans_of(extraction):
        assert 0 <= start <= end <= len(text), (start, end, len(text))
        if claimed is not None:
            assert text[start:end] == claimed
    for quote in extraction.quotes:
        assert text[slice(*quote.span)].strip() == quote.text
    for count in (extraction.agreement_count, extraction.total_count):
        if count:
            assert type(count.value) is int and count.value >= 0


@FIXED
@given(TEXT)
@example("Russia and India signed 3 agreements since\u0301x 2004.")
@example("وقعت مصر والسعودية 5 اتفاقيات منذ\u0651 عام 2004")
def test_the_extractor_takes_any_text_and_every_span_points_into_it(text):
    extraction = extract(text)
    assert extraction.text == text
    assert_spans_inside(extraction)
    extraction.summary()
