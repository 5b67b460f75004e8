import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from agreements.models import Agreement
from agreements.partial_dates import PartialDate, Precision
from tests.factories import AgreementFactory


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("2004", Precision.YEAR, datetime.date(2004, 1, 1), datetime.date(2004, 12, 31)),
        ("2024-02", Precision.MONTH, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2023-02", Precision.MONTH, datetime.date(2023, 2, 1), datetime.date(2023, 2, 28)),
        ("2024-11-07", Precision.DAY, datetime.date(2024, 11, 7), datetime.date(2024, 11, 7)),
    ],
)
def test_a_partial_date_stands_for_its_whole_period(text, precision, start, end):
    date = PartialDate(text)
    assert (date.precision, date.start, date.end) == (precision, start, end)
    assert str(date) == text


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("", "not a partial date"),
        ("04", "not a partial date"),
        ("2004-1", "not a partial date"),
        ("2004/11/07", "not a partial date"),
        ("07-11-2024", "not a partial date"),
        ("2024-13", "month 13 does not exist"),
        ("2024-00", "month 0 does not exist"),
        ("2023-02-29", "not a day of the calendar"),
        ("2024-04-31", "not a day of the calendar"),
        ("0000", "no year 0000"),
        ("2004-11-07T10:00", "not a partial date"),
        ("２００４", "not a partial date"),
    ],
)
def test_bad_partial_dates_are_refused_with_the_reason(bad, reason):
    with pytest.raises(ValueError, match=reason):
        PartialDate(bad)


def test_partial_dates_sort_by_period_start_coarse_first():
    dates = ["2005", "2004-03-05", "2004", "2004-03", "2004-12-31", "2003-12"]
    assert sorted(PartialDate(d) for d in dates) == [
        "2003-12",
        "2004",
        "2004-03",
        "2004-03-05",
        "2004-12-31",
        "2005",
    ]


def test_a_year_may_be_on_or_after_a_day_inside_it_but_not_after_its_end():
    assert PartialDate("2004").may_be_on_or_after("2004-06-15")
    assert not PartialDate("2004").may_be_on_or_after("2005-01-01")


def test_a_year_may_be_on_or_before_a_day_inside_it_but_not_before_its_start():
    assert PartialDate("2004").may_be_on_or_before("2004-06-15")
    assert not PartialDate("2004").may_be_on_or_before("2003-12-31")


@pytest.mark.django_db
def test_the_database_orders_partial_dates_like_python():
    values = ["2005", "2004-03-05", "2004", "2004-03", "2004-12-31", "2003-12"]
    for value in values:
        AgreementFactory(signed_on=value)
    stored = list(Agreement.objects.order_by("signed_on").values_list("signed_on", flat=True))
    assert stored == sorted(values)


@pytest.fixture
def signed_dates(db):
    return {
        value: AgreementFactory(signed_on=value)
        for value in ["2003", "2004", "2004-06", "2004-06-15", "2004-12-31", "2005-01"]
    }


def _titles_signed(signed_dates, **lookup):
    found = set(Agreement.objects.filter(**lookup).values_list("pk", flat=True))
    return sorted(value for value, agreement in signed_dates.items() if agreement.pk in found)


def test_may_be_on_or_after_a_day_keeps_periods_that_reach_it(signed_dates):
    assert _titles_signed(signed_dates, signed_on__may_be_on_or_after="2004-06-15") == [
        "2004",
        "2004-06",
        "2004-06-15",
        "2004-12-31",
        "2005-01",
    ]


def test_may_be_on_or_after_a_year_starts_at_its_first_day(signed_dates):
    assert _titles_signed(signed_dates, signed_on__may_be_on_or_after="2005") == ["2005-01"]


def test_may_be_on_or_before_a_month_ends_at_its_last_day(signed_dates):
    assert _titles_signed(signed_dates, signed_on__may_be_on_or_before="2004-06") == [
        "2003",
        "2004",
        "2004-06",
        "2004-06-15",
    ]


def test_may_be_on_or_before_a_date_before_everything_finds_nothing(signed_dates):
    assert _titles_signed(signed_dates, signed_on__may_be_on_or_before="2002-12-31") == []


def test_a_range_lookup_with_a_bad_date_is_a_validation_error(db):
    with pytest.raises(ValidationError, match="not a partial date"):
        list(Agreement.objects.filter(signed_on__may_be_on_or_after="June 2004"))


def test_the_model_refuses_an_impossible_date_by_name(db):
    agreement = AgreementFactory.build(signed_on="2023-02-29")
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "signed_on" in error.value.message_dict


def test_the_orm_refuses_a_badly_shaped_partial_date_before_the_database(db):
    agreement = AgreementFactory()
    with pytest.raises(ValidationError, match="not a partial date"):
        Agreement.objects.filter(pk=agreement.pk).update(signed_on="2004/11")


@pytest.mark.parametrize("bad", ["2004/11", "2004-13", "2004-11-32", "04"])
def test_the_database_refuses_a_badly_shaped_partial_date_from_raw_sql(db, bad):
    agreement = AgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_agreement SET signed_on = %s WHERE id = %s", [bad, agreement.pk]
        )


def test_a_partial_date_is_read_back_as_a_partial_date(db):
    agreement = AgreementFactory(signed_on="2024-11")
    agreement.refresh_from_db()
    assert isinstance(agreement.signed_on, PartialDate)
    assert agreement.signed_on.precision is Precision.MONTH
