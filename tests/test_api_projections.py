"""The fast read paths give exactly what the serializers give, for every reader."""

import pytest
from rest_framework.test import APIRequestFactory

from agreements import models
from agreements.api import projections, serializers
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    OfficeHeldFactory,
    OfficialFactory,
    PlaceFactory,
    SigningEventFactory,
    SourceFactory,
    country,
    sector,
)

pytestmark = pytest.mark.usefixtures("seed")
PUBLISHED = models.ReviewState.PUBLISHED


@pytest.fixture
def mixed_records():
    """Published records that embed drafts, and drafts, so that hiding is exercised."""
    official = OfficialFactory(review_state=PUBLISHED)
    OfficeHeldFactory(official=official, started_on="2001", ended_on="2010", review_state=PUBLISHED)
    OfficeHeldFactory(official=official, started_on="2005", title="Draft office")
    hidden_official = OfficialFactory()
    agreement = AgreementFactory(
        review_state=PUBLISHED,
        signed_on="2006-05",
        place=PlaceFactory(),
        event=SigningEventFactory(),
        sectors=[sector("oil"), sector("agriculture")],
        expires_on="2030",
    )
    for signer, party in ((official, "VE"), (hidden_official, "RU")):
        models.Signatory.objects.create(
            agreement=agreement, official=signer, country=country(party)
        )
    CitationFactory(agreement=agreement, source__review_state=PUBLISHED)
    CitationFactory(agreement=agreement)  # from a draft source
    AgreementFactory(signed_on="2004")  # a draft
    models.OfficialName.objects.create(official=official, language="ar", text="اسم")
    CitationFactory(agreement=None, official=official, source=SourceFactory(review_state=PUBLISHED))


def _request(user=None):
    request = APIRequestFactory().get("/api/v1/agreements/")
    from rest_framework.request import Request

    wrapped = Request(request)
    wrapped.user = user
    return wrapped


@pytest.mark.parametrize("sees_drafts", [False, True])
@pytest.mark.parametrize(
    ("model", "serializer", "projection", "prefetch"),
    [
        (
            models.Agreement,
            serializers.AgreementSerializer,
            projections.AgreementProjection,
            "agreement",
        ),
        (
            models.Official,
            serializers.OfficialSerializer,
            projections.OfficialProjection,
            "official",
        ),
    ],
)
def test_projections_equal_the_serializers(
    mixed_records, sees_drafts, model, serializer, projection, prefetch
):
    from agreements.api import views

    view_class = views.AgreementViewSet if prefetch == "agreement" else views.OfficialViewSet
    view = view_class()
    view.request = _request()
    view.action = "other"
    records = view.build_queryset(sees_drafts).order_by("pk")
    if not sees_drafts:
        records = records.published()
    context = {"request": view.request, "sees_drafts": sees_drafts}
    expected = serializer(records, many=True, context=context).data
    fast = projection(view.request, sees_drafts)
    built = fast.build(
        fast.columns(model.objects.filter(pk__in=[r.pk for r in records]).order_by("pk"))
    )
    assert [dict(item) for item in expected] == built
    assert len(built) >= 2


def _shape(value):
    """The keys of every object, recursively: what the schema promises."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def _schema_shape(serializer) -> dict:
    shape = {}
    for name, field in serializer.fields.items():
        child = getattr(field, "child", field)
        shape[name] = _schema_shape(child) if hasattr(child, "fields") else None
        if hasattr(field, "child") and hasattr(child, "fields"):
            shape[name] = [shape[name]]
    return shape


@pytest.mark.parametrize("reader", ["api", "curator_api"])
def test_relation_summaries_have_the_documented_shape(request, reader):
    body = request.getfixturevalue(reader).get("/api/v1/relations/RU-VE/").json()
    expected = _schema_shape(serializers.RelationSerializer())
    assert body["recent_events"] and body["reported_totals"] and body["sectors"]
    assert body["reported_totals"][0]["sources"] and body["commissions"]
    assert _shape(body) == expected


def test_officials_are_built_in_the_pages_order():
    first, second = OfficialFactory(name="Zoe"), OfficialFactory(name="Adam")
    built = projections.OfficialProjection(_request(), True).build([(first.pk,), (second.pk,)])
    assert [official["id"] for official in built] == [first.pk, second.pk]


def test_an_official_gone_or_hidden_since_its_page_was_read_is_left_out():
    shown = OfficialFactory(review_state=PUBLISHED)
    hidden = OfficialFactory()
    gone = OfficialFactory(review_state=PUBLISHED)
    gone_id = gone.pk
    gone.delete()
    page = [(gone_id,), (hidden.pk,), (shown.pk,)]
    built = projections.OfficialProjection(_request(), False).build(page)
    assert [official["id"] for official in built] == [shown.pk]
