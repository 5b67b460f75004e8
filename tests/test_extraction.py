"""The article reader on its own: plain text in, findings with exact spans out. No database."""

import datetime

import pytest

from agreements.extraction import Gazetteer, OfficialRecord, extract
from agreements.extraction.numbers import number_before, qualifier_before
from agreements.extraction.tokens import arabic_prefix_forms, tokenize
from agreements.text import normalize_source_text
from tests.conftest import SEED_FIXTURE

SEED = normalize_source_text(
    (SEED_FIXTURE.parent.parent / "seeds" / "000_2da5b34de469e791.txt").read_text("utf-8")
)


def countries(text: str) -> list[str]:
    return extract(text).summary()["countries"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقعت فنزويلا وروسيا اتفاقا.", ["RU", "VE"]),
        ("وقّعت فنزويلا وروسيا اتفاقاً.", ["RU", "VE"]),
        ("زار الرئيس الفنزويلي موسكو.", ["RU", "VE"]),
        ("قالت الخارجية الأميركية إن العقوبات مستمرة.", ["US"]),
        ("تمتلك دولة فنزيلا احتياطيات كبيرة.", ["VE"]),
        ("وأكد بيان لروسيا وبالصين.", ["CN", "RU"]),
        ("The Venezuelan and Russian delegations met.", ["RU", "VE"]),
        ("Moscow and Caracas signed a deal.", ["RU", "VE"]),
    ],
)
def test_countries_are_found_in_every_form(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "وكان الوضع المالي للشركات مستقرا.",
        "وامتدت المحادثات حتى ما بعد صلاة المغرب.",
        "Michael Jordan visited the stadium.",
        "Jordan Hale, an analyst, said the talks went well.",
        "They served roast turkey at the dinner.",
    ],
)
def test_false_friends_are_not_countries(text):
    assert countries(text) == []


def test_a_capital_after_in_is_a_place_not_the_state():
    extraction = extract("Officials from Cuba arrived in Caracas on Monday.")
    assert extraction.countries == ["CU"]
    assert [place.name for place in extraction.place_mentions] == ["Caracas"]


def test_a_dateline_city_is_not_the_place_of_signing():
    text = "MOSCOW, May 5 (Wire) - Russia and Iran signed an agreement in Tehran on Friday."
    extraction = extract(text)
    assert extraction.place.name == "Tehran"
    assert extraction.parties == ["IR", "RU"]


def test_no_place_is_invented_when_the_signing_names_none():
    assert extract("DOHA - Qatar and Turkey signed 12 agreements on Thursday.").place is None


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("signed 17 agreements", 17, "exact"),
        ("signed more than 400 agreements", 400, "more_than"),
        ("signed about a dozen agreements", 12, "about"),
        ("signed at least 3 memoranda of understanding", 3, "at_least"),
        ("signed up to ten deals", 10, "at_most"),
        ("signed fewer than five accords", 5, "fewer_than"),
        ("وقعا 17 اتفاقا", 17, "exact"),
        ("وقعا سبعة عشر اتفاقا", 17, "exact"),
        ("وقعا نحو ٣٠ اتفاقية", 30, "about"),
        ("وقعا ما يزيد عن 400 اتفاقية", 400, "more_than"),
        ("وقعا ما لا يزيد عن خمس اتفاقيات", 5, "at_most"),
        ("وقعا 3 اتفاقيات على الأقل", 3, "at_least"),
    ],
)
def test_counts_with_their_qualifiers(text, value, qualifier):
    count = (
        extract(f"Venezuela and Russia {text}.").agreement_count
        or extract(f"وقعت فنزويلا وروسيا {text}.").agreement_count
    )
    assert (count.value, count.qualifier) == (value, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "Russia and India signed agreements worth $5 billion.",
        "Russia and India signed a treaty in 2024.",
        "وقعت روسيا والهند معاهدة يوم الجمعة 17 يناير 2025 في الكرملين.",
    ],
)
def test_money_and_years_are_not_counts(text):
    assert extract(text).agreement_count is None


def test_a_total_since_a_year():
    total = extract("Since 2004, Venezuela and Russia have signed more than 400 agreements.")
    assert (total.total_count.value, total.total_count.qualifier, total.total_count.since) == (
        400,
        "more_than",
        2004,
    )


def test_since_later_in_the_sentence_about_something_else_is_no_total():
    text = "وقّعت مصر وتركيا، أمس، حوالي 20 اتفاقية خلال أول زيارة للرئيس منذ توليه السلطة عام 2014."
    extraction = extract(text)
    assert extraction.agreement_count.value == 20
    assert extraction.total_count is None


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (datetime.date(2024, 11, 8), "2024-11-07"),  # a Friday: the Thursday before
        (datetime.date(2024, 11, 7), "2024-11-07"),  # a Thursday: that day
        (None, None),  # no publication date: no day is invented
    ],
)
def test_a_weekday_resolves_to_the_last_such_day_on_or_before_publication(published, expected):
    extraction = extract(
        "Venezuela and Russia signed 17 agreements on Thursday.", published_on=published
    )
    assert extraction.weekday == "Thursday"
    assert extraction.signed_on == expected


def test_an_explicit_date_wins_over_the_weekday():
    extraction = extract("Russia and Iran signed a treaty on Friday, January 17, 2025.")
    assert (extraction.signed_on, extraction.weekday) == ("2025-01-17", "Friday")


def test_a_weekday_on_which_something_was_said_is_not_the_signing_day():
    text = (
        "Korean firms will build plants under deals signed in Hanoi in June, "
        "the ministry said on Monday."
    )
    extraction = extract(text, published_on=datetime.date(2024, 7, 15))
    assert (extraction.signed_on, extraction.weekday) == ("2024-06", None)


def test_officials_with_titles_before_and_after_names():
    text = (
        "Russian Deputy Prime Minister Dmitry Chernyshenko and Delcy Rodríguez, Venezuela's vice "
        "president, signed 17 agreements in Caracas."
    )
    officials = {
        o["name_native"]: (o["country"], o["title"]) for o in extract(text).summary()["officials"]
    }
    assert officials == {
        "Dmitry Chernyshenko": ("RU", "Deputy Prime Minister of Russia"),
        "Delcy Rodríguez": ("VE", "Vice President of Venezuela"),
    }


def test_arabic_officials_with_quoted_names_and_titles_after():
    officials = extract(SEED).summary()["officials"]
    assert [(o["name_native"], o["country"], o["title"]) for o in officials] == [
        ("نيكولاس مادورو", "VE", "President of Venezuela"),
        ("ديمتري تشيرنيتشنكو", "RU", "Deputy Prime Minister of Russia"),
        ("ديلسي رودريغيز", "VE", "Vice President of Venezuela"),
        ("فلاديمير بوتين", "RU", "President of Russia"),
        ("هوغو تشافيز", "VE", "President of Venezuela"),
    ]


def test_a_known_official_is_matched_by_any_alias():
    gazetteer = Gazetteer.builtin().with_officials(
        [OfficialRecord("hugo-chavez", "Hugo Chávez", "VE", ["تشافيز", "شافيز", "Chavez"])]
    )
    (official,) = extract(
        "قال الرئيس الفنزويلي الراحل شافيز إن التعاون مستمر.", gazetteer
    ).officials
    assert (official.key, official.name_en, official.country) == (
        "hugo-chavez",
        "Hugo Chávez",
        "VE",
    )


def test_the_seed_summary():
    summary = extract(SEED).summary()
    assert summary | {"officials": None} == {
        "language": "ar",
        "countries": ["RU", "UA", "US", "VE"],
        "parties": ["RU", "VE"],
        "officials": None,
        "agreement_count": {"value": 17, "qualifier": "exact"},
        "total_count": {"value": 400, "qualifier": "more_than", "since": 2004},
        "sectors": [
            "counterintelligence",
            "drones",
            "energy",
            "intelligence",
            "military",
            "oil",
            "technology",
            "training",
        ],
        "place": "Caracas",
        "signed_on": None,
        "weekday": "Thursday",
    }


def test_the_seed_itemises_four_agreements_with_kinds_and_sectors():
    items = [(a.kind, a.sectors) for a in extract(SEED).agreements]
    assert items == [
        ("cooperation_document", ["drones"]),
        ("agreement", ["counterintelligence", "intelligence"]),
        ("agreement", ["energy", "training"]),
        ("agreement", ["oil", "technology"]),
    ]


def test_the_seed_quote_is_maduros():
    (quote,) = extract(SEED).quotes
    assert quote.speaker.name_native == "نيكولاس مادورو"
    assert quote.text.startswith("بهذه الاتفاقات والعقود")


def test_every_span_is_the_exact_text_of_its_finding():
    extraction = extract(SEED)
    text = extraction.text
    spans = [
        *(m.span for m in extraction.country_mentions),
        *(span for o in extraction.officials for span in o.spans),
        extraction.place.span,
        extraction.agreement_count.span,
        extraction.total_count.span,
        *extraction.sector_spans.values(),
        *(a.span for a in extraction.agreements),
        *(q.span for q in extraction.quotes),
    ]
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    assert text[slice(*extraction.agreement_count.span)] == "17 اتفاق"
    for agreement in extraction.agreements:
        assert text[slice(*agreement.span)] == agreement.subject
    for official in extraction.officials:
        assert text[slice(*official.spans[0])] == official.name_native


def test_clitic_forms_of_an_arabic_word():
    forms = dict(arabic_prefix_forms("وبالصين"))
    assert forms["الصين"] == "وب" and forms["صين"] == "وبال"
    assert ("الصين", "ل") in arabic_prefix_forms("للصين")


def test_numbers_with_thousands_separators():
    text = "1,200 deals"
    tokens = tokenize(text)
    value, first = number_before(tokens, 2, text)
    assert (value, qualifier_before(tokens, first)[0]) == (1200, "exact")


def test_english_and_arabic_language_detection():
    assert extract("Russia and India signed.").language == "en"
    assert extract(SEED).language == "ar"
