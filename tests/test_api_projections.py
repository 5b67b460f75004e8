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
