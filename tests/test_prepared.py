"""Queries compiled once and run with other ids give what the ORM gives."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import IntegerField, Value
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from psycopg import pq

from agreements import models
from agreements.api.prepared import PreparedQuery, rows_together
from agreements.partial_dates import PartialDate
from tests.factories import AgreementFactory

AGREEMENTS = PreparedQuery(
    lambda ids: (
        models.Agreement.objects.filter(pk__in_id_list=ids)
        .order_by("pk")
        .values_list("pk", "title", "signed_on", "created_at")
    )
)


@pytest.fixture
def three(db):
    return [AgreementFactory(signed_on=f"200{n}") for n in range(3)]


def test_the_rows_are_the_orms_for_any_ids(three):
    for ids in ([three[0].pk], [three[2].pk, three[0].pk], [a.pk for a in three]):
        expected = list(
            models.Agreement.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "title", "signed_on", "created_at")
        )
        assert AGREEMENTS.rows(ids, using="default") == expected


def test_values_go_through_the_fields_converters(three):
    (row,) = AGREEMENTS.rows([three[1].pk], using="default")
    assert isinstance(row[2], PartialDate)
    assert isinstance(row[3], datetime.datetime) and row[3].tzinfo is not None


def test_rows_not_converted_are_as_the_database_gives_them(three):
    raw = PreparedQuery(AGREEMENTS.build, convert=False)
    (row,) = raw.rows([three[1].pk], using="default")
    assert type(row[2]) is str and row[2] == "2001"


def test_ids_beyond_32_bits_are_found(three):
    far = AgreementFactory(pk=2**40)
    found = AGREEMENTS.rows([three[0].pk, far.pk], using="default")
    assert [row[0] for row in found] == [three[0].pk, far.pk]


def test_unknown_ids_give_nothing(three):
    assert AGREEMENTS.rows([999_999], using="default") == []


def test_no_ids_run_no_query(three):
    with CaptureQueriesContext(connection) as queries:
        assert AGREEMENTS.rows([], using="default") == []
    assert len(queries) == 0


def test_the_lookup_filters_like_in(three):
    ids = [three[0].pk, three[2].pk]
    found = models.Agreement.objects.filter(pk__in_id_list=ids).values_list("pk", flat=True)
    assert sorted(found) == ids


BY_PAIR_AND_CODE = PreparedQuery(
    lambda firsts, codes: (
        models.Agreement.objects.filter(party_a__in_id_list=firsts, party_b__code__in_list=codes)
        .filter(pk__in=models.Agreement.objects.filter(party_a__in_id_list=firsts).values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    ),
    lists=2,
)


def test_several_lists_each_fill_their_own_places(three):
    agreement = three[0]
    rows = BY_PAIR_AND_CODE.rows([agreement.party_a_id], [agreement.party_b.code], using="default")
    assert [pk for (pk,) in rows] == [
        a.pk
        for a in three
        if (a.party_a_id, a.party_b_id) == (agreement.party_a_id, agreement.party_b_id)
    ]


def test_a_code_not_in_the_list_is_a_miss(three):
    agreement = three[0]
    assert BY_PAIR_AND_CODE.rows([agreement.party_a_id], ["ZZ"], using="default") == []


def test_the_number_of_lists_is_checked(three):
    with pytest.raises(TypeError, match="takes 2 lists"):
        BY_PAIR_AND_CODE.rows([three[0].pk], using="default")


TITLES = PreparedQuery(
    lambda ids: models.Agreement.objects.filter(pk__in_id_list=ids).values_list("title", flat=True)
)
NOT_A_NUMBER = PreparedQuery(
    lambda ids: (
        models.Agreement.objects.filter(pk__in_id_list=ids)
        .annotate(number=Cast(Value("seventeen"), IntegerField()))
        .values_list("number", flat=True)
    )
)


def test_queries_run_together_give_each_its_own_rows_in_order(three):
    first, second, third = three
    assert rows_together(
        (TITLES, [second.pk]),
        (AGREEMENTS, []),
        (BY_PAIR_AND_CODE, [first.party_a_id], ["ZZ"]),
        (TITLES, [third.pk]),
        using="default",
    ) == [[(second.title,)], [], [], [(third.title,)]]


def _pipeline_states(calls: tuple) -> list:
    states = []

    def record(execute, sql, params, many, context):
        states.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rows_together(*calls, using="default")
    return states


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pipelines are PostgreSQL's")
def test_queries_run_together_go_to_postgresql_in_one_pipeline(three):
    states = _pipeline_states([(TITLES, [three[0].pk]), (AGREEMENTS, [three[1].pk])])
    assert states == [pq.PipelineStatus.ON, pq.PipelineStatus.ON]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pipelines are PostgreSQL's")
def test_a_query_run_alone_needs_no_pipeline(three):
    assert _pipeline_states([(TITLES, [three[0].pk]), (AGREEMENTS, [])]) == [pq.PipelineStatus.OFF]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite casts any text to a number")
def test_an_error_in_queries_run_together_is_djangos_database_error(three):
    with pytest.raises(DatabaseError), transaction.atomic():
        rows_together((TITLES, [three[0].pk]), (NOT_A_NUMBER, [three[0].pk]), using="default")
    assert AGREEMENTS.rows([three[0].pk], using="default")[0][0] == three[0].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_query_run_often_is_prepared_on_the_server(three):
    for _ in range(6):
        AGREEMENTS.rows([three[0].pk], using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert [s for s in prepared if '"agreements_agreement"."title"' in s and "ANY($1)" in s]
