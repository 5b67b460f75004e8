import pytest

from agreements.text import content_hash, fold, normalize_source_text


@pytest.mark.parametrize(
    ("spelling", "same_as"),
    [
        ("Chávez", "chavez"),
        ("CHAVEZ", "chavez"),
        ("Rodríguez", "rodriguez"),
        ("أوكرانيا", "اوكرانيا"),
        ("إسرائيل", "اسرائيل"),
        ("آسيا", "اسيا"),
        ("مستشفى", "مستشفي"),
        ("القاهرة", "القاهره"),
        ("وقّعت", "وقعت"),
        ("فـنـزويـلا", "فنزويلا"),
        ("٢٠٠٤", "2004"),
        ("  Hugo   Chávez ", "hugo chavez"),
    ],
)
def test_fold_gives_one_key_for_every_spelling(spelling, same_as):
    assert fold(spelling) == fold(same_as)


def test_fold_keeps_different_names_apart():
    assert fold("Chávez") != fold("Maduro")
    assert fold("تشافيز") != fold("مادورو")


def test_fold_turns_punctuation_into_spaces():
    assert fold('"هوغو تشافيز"،') == "هوغو تشافيز"


def test_normalized_source_text_drops_bom_and_windows_line_ends():
    assert normalize_source_text("\ufeffLine one\r\nLine two\r\n") == "Line one\nLine two"


def test_content_hash_is_the_same_for_the_same_text_in_another_encoding_of_line_ends():
    assert content_hash("a\r\nb") == content_hash("a\nb\n")
    assert content_hash("a b") != content_hash("a  b")
