"""Viewsets: each builds its prefetched queryset in ``get_queryset()`` for the reader."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, CharField, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from agreements import models
from agreements.api import filters, projections, serializers
from agreements.api.base import ETagMixin, ReaderContextMixin
from agreements.api.conditional import PUBLIC, ConditionalGetMixin
from agreements.api.ordering import StrictOrderingFilter, nulls_last
from agreements.api.pagination import ProjectedRows
from agreements.extraction.reading import UnreadableArticle, read_article_text
from agreements.ingestion import IngestError, ingest_article
from agreements.models.base import can_see_drafts
from agreements.relations import (
    RELATION_MODELS,
    has_records,
    pair_of_codes,
    pairs_with_records,
    sees_only_published,
    summarise,
)
from agreements.text import fold

PAGINATION_PARAMS = {"page", "page_size"}
ALWAYS_ACCEPTED = {"format"}


def check_query_params(
    request: Request, accepted: set[str], repeatable: set[str] = frozenset()
) -> None:
    """An unknown parameter is a 400 listing the accepted ones: a typo must not silently
    return everything. So is a parameter given twice that takes one value (which of the two
    would count?), while those that take several (country, sector) may repeat. NUL
    characters are refused before they reach the database."""
    errors = {}
    for name, values in request.query_params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            errors[name.replace("\x00", "\\0")[:60]] = ["Contains a NUL character."]
        elif name not in accepted:
            errors[name[:60]] = [
                f"Unknown query parameter. Accepted: {', '.join(sorted(accepted))}."
            ]
        elif len(values) > 1 and name not in repeatable:
            errors[name] = ["Give this parameter once: it takes a single value."]
    if errors:
        raise ValidationError(errors)


def takes_several_values(filter_: Any) -> bool:
    widget = getattr(filter_.field_class, "widget", None)
    return isinstance(widget, type) and issubclass(
        widget, forms.MultipleHiddenInput | forms.SelectMultiple
    )


class StrictQueryMixin:
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        check_query_params(request, self.accepted_query_params(), self.repeatable_query_params())

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple:
        """An unknown ``?format=`` is a 400 naming the formats (DRF answers a bare 404); an
        unknown suffix in the path (``/places/1.5/``) stays a 404."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            if "format" in self.kwargs:
                raise
            formats = sorted(renderer.format for renderer in self.get_renderers())
            raise ValidationError(
                {"format": [f"Unknown format. Accepted: {', '.join(formats)}."]}
            ) from error

    def accepted_query_params(self) -> set[str]:
        if self.action != "list":
            return set(ALWAYS_ACCEPTED)
        accepted = ALWAYS_ACCEPTED | PAGINATION_PARAMS
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            accepted |= set(filterset_class.base_filters)
        if getattr(self, "ordering_fields", None):
            accepted.add("ordering")
        return accepted

    def repeatable_query_params(self) -> set[str]:
        filterset_class = getattr(self, "filterset_class", None)
        if self.action != "list" or filterset_class is None:
            return set()
        return {
            name
            for name, filter_ in filterset_class.base_filters.items()
            if takes_several_values(filter_)
        }


def visible_citations(sees_drafts: bool) -> Prefetch:
    citations = models.Citation.objects.from_sources_seen(sees_drafts)
    return Prefetch(
        "citations", queryset=citations.select_related("source").order_by("start", "pk")
    )


class ReadViewSet(
    StrictQueryMixin, ReaderContextMixin, ConditionalGetMixin, viewsets.ReadOnlyModelViewSet
):
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]


class ProjectedReadsMixin:
    """List and retrieve through a projection (``projections.py``): the same JSON as the
    serializer, built from a few value queries."""

    projection_class: type = None

    def projection(self) -> Any:
        return self.projection_class(self.request, self.sees_drafts())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        projection = self.projection()
        rows = ProjectedRows(
            self.filter_queryset(self.get_queryset()),
            projection.columns,
            counts_with_page=self.page_reads_every_match(),
        )
        page = self.paginate_queryset(rows)
        data = projection.page(rows if page is None else page)
        return Response(data) if page is None else self.get_paginated_response(data)

    def page_reads_every_match(self) -> bool:
        """Whether the page query must read every match to sort them (see ProjectedRows)."""
        return False

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = kwargs["pk"]
        # No id has more than 19 digits, and int() refuses to read some thousands of them.
        record = self.projection().record(int(key)) if len(key) <= 19 else None
        if record is None:
            raise Http404
        return Response(record)


class CuratedViewSet(StrictQueryMixin, ReaderContextMixin, ETagMixin, viewsets.ModelViewSet):
    """List, read, create, update and delete curated records.

    Anonymous readers see published records only; curators also see drafts and reviewed ones.
    """

    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    default_ordering: tuple[str, ...] = ("-id",)
    # Ids are whole numbers: anything else in their place is a 404 from the router, before
    # a view could hand it to the database ("null,null" made the projected reads fail).
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet:
        if self.action in {"list", "retrieve"} and getattr(self, "projection_class", None):
            records = self.queryset.model.objects.all()  # the projection fetches the rest
        else:
            records = self.build_queryset(self.sees_drafts())
        if not self.sees_drafts():
            records = records.published()
        return records.order_by(*nulls_last(self.default_ordering))

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        return self.queryset.model.objects.all()


class CountryViewSet(ReadViewSet):
    """The 249 ISO 3166-1 countries; detail by code, in any case (`/countries/ve/`)."""

    queryset = models.Country.objects.none()
    serializer_class = serializers.CountrySerializer
    filterset_class = filters.CountryFilter
    ordering_fields = ["code", "name_en"]
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_queryset(self) -> QuerySet:
        return models.Country.objects.prefetch_related("aliases").order_by("name_en")

    def get_object(self) -> models.Country:
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class SectorViewSet(ReadViewSet):
    queryset = models.Sector.objects.none()
    serializer_class = serializers.SectorSerializer
    filterset_class = filters.SectorFilter
    ordering_fields = ["slug", "name_en"]
    lookup_field = "slug"
    lookup_value_regex = "[a-z0-9-]+"

    def get_queryset(self) -> QuerySet:
        return models.Sector.objects.select_related("parent").order_by("name_en")


class PlaceViewSet(CuratedViewSet):
    queryset = models.Place.objects.none()
    serializer_class = serializers.PlaceSerializer
    filterset_class = filters.PlaceFilter
    ordering_fields = ["name", "id"]
    default_ordering = ("name", "id")

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        return models.Place.objects.select_related("country").prefetch_related("names")


class OfficialViewSet(ProjectedReadsMixin, CuratedViewSet):
    queryset = models.Official.objects.none()
    projection_class = projections.OfficialProjection
    serializer_class = serializers.OfficialSerializer
    filterset_class = filters.OfficialFilter
    ordering_fields = ["name", "id", "updated_at"]
    default_ordering = ("name", "id")

    def page_reads_every_match(self) -> bool:
        # The page query sorts every match of a name search by name: no index gives that
        # order. A term that folds to nothing ("-") searches for nothing: the whole list.
        return bool(fold(self.request.query_params.get("q", "")))

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        offices = models.OfficeHeld.objects.select_related("country").order_by("started_on", "pk")
        return models.Official.objects.select_related("country").prefetch_related(
            "names", Prefetch("offices", queryset=offices), visible_citations(sees_drafts)
        )


class OfficeViewSet(CuratedViewSet):
    queryset = models.OfficeHeld.objects.none()
    serializer_class = serializers.OfficeSerializer
    filterset_class = filters.OfficeFilter
    ordering_fields = ["started_on", "ended_on", "id"]
    default_ordering = ("official_name_shown", "started_on", "id")

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        # Ordered by the name the reader sees: by a hidden official's name, a published office
        # would show where that name sorts (the official itself shows as null, and sorts last).
        shown = F("official__name")
        if not sees_drafts:
            published = Q(official__review_state=models.ReviewState.PUBLISHED)
            shown = Case(When(published, then=shown), default=Value(None, output_field=CharField()))
        return (
            models.OfficeHeld.objects.select_related("official", "country")
            .prefetch_related(visible_citations(sees_drafts))
            .annotate(official_name_shown=shown)
        )


class AgreementViewSet(ProjectedReadsMixin, CuratedViewSet):
    queryset = models.Agreement.objects.none()
    projection_class = projections.AgreementProjection
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    ordering_fields = ["signed_on", "title", "kind", "status", "id", "created_at", "updated_at"]
    default_ordering = ("-signed_on", "-id")

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        offices = models.OfficeHeld.objects.select_related("country")
        signatories = models.Signatory.objects.select_related(
            "official", "country", "agreement"
        ).prefetch_related(Prefetch("official__offices", queryset=offices))
        return models.Agreement.objects.select_related(
            "party_a", "party_b", "place__country", "event"
        ).prefetch_related(
            "sectors",
            Prefetch("signatory_links", queryset=signatories),
            visible_citations(sees_drafts),
        )


class EventViewSet(CuratedViewSet):
    queryset = models.SigningEvent.objects.none()
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    ordering_fields = ["held_on", "name", "id"]
    default_ordering = ("-held_on", "-id")

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        return models.SigningEvent.objects.select_related(
            "party_a", "party_b", "place__country"
        ).prefetch_related(
            Prefetch("officials_present", queryset=models.Official.objects.seen(sees_drafts)),
            Prefetch(
                "agreements", queryset=models.Agreement.objects.seen(sees_drafts).order_by("pk")
            ),
            Prefetch("count_claims", queryset=models.CountClaim.objects.seen(sees_drafts)),
            visible_citations(sees_drafts),
        )


class CommissionViewSet(CuratedViewSet):
    queryset = models.Commission.objects.none()
    serializer_class = serializers.CommissionSerializer
    filterset_class = filters.CommissionFilter
    ordering_fields = ["founded_on", "name", "id"]
    default_ordering = ("name", "id")

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        return models.Commission.objects.select_related("party_a", "party_b").prefetch_related(
            Prefetch("count_claims", queryset=models.CountClaim.objects.seen(sees_drafts)),
            visible_citations(sees_drafts),
        )


class CountClaimViewSet(CuratedViewSet):
    queryset = models.CountClaim.objects.none()
    serializer_class = serializers.CountClaimSerializer
    filterset_class = filters.CountClaimFilter
    ordering_fields = ["value", "since", "id"]
    default_ordering = ("-id",)

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        return models.CountClaim.objects.select_related(
            "party_a", "party_b", "event", "commission"
        ).prefetch_related(visible_citations(sees_drafts))


class StatementViewSet(CuratedViewSet):
    queryset = models.Statement.objects.none()
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    ordering_fields = ["said_on", "id"]
    default_ordering = ("-said_on", "-id")

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        return models.Statement.objects.select_related("official", "event").prefetch_related(
            visible_citations(sees_drafts)
        )


class SourceViewSet(CuratedViewSet):
    queryset = models.Source.objects.none()
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    ordering_fields = ["published_on", "title", "id"]
    default_ordering = ("-published_on", "-id")

    def get_serializer_class(self) -> type:
        if self.action == "list":
            return serializers.SourceListSerializer
        return serializers.SourceSerializer

    @extend_schema(
        request=serializers.IngestRequestSerializer,
        responses={
            201: serializers.IngestResultSerializer,
            200: serializers.IngestResultSerializer,
        },
    )
    @action(detail=False, methods=["post"], url_path="ingest")
    def ingest(self, request: Request) -> Response:
        """Read an article and create its source and draft records, each citing its passage.

        201 with the records created; 200 with the existing source if the text was ingested
        before (nothing is created twice)."""
        payload = serializers.IngestRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            read = read_article_text(data["text"])
            result = ingest_article(
                read.text,
                title=data["title"],
                url=data["url"],
                publisher=data["publisher"],
                published_on=data["published_on"] or read.published_on,
                user=request.user,
            )
        except (UnreadableArticle, IngestError) as error:
            raise ValidationError({"text": [str(error)]}) from error
        records = [
            {"kind": kind, "id": record.pk, "label": str(record)[:200]}
            for kind, items in result.records.items()
            for record in items
            if kind != "sources"
        ]
        body = serializers.IngestResultSerializer(
            {"created": result.created, "source": result.source, "records": records},
            context=self.get_serializer_context(),
        ).data
        return Response(body, status=201 if result.created else 200)

    def build_queryset(self, sees_drafts: bool) -> QuerySet:
        records = models.Source.objects.prefetch_related("countries_mentioned")
        if self.action == "list":
            records = records.defer("text", "search_text")
        return records


class CitationViewSet(StrictQueryMixin, ReaderContextMixin, ETagMixin, viewsets.ModelViewSet):
    """The passages that support facts. A citation is visible when its source is."""

    queryset = models.Citation.objects.none()
    serializer_class = serializers.CitationSerializer
    filterset_class = filters.CitationFilter
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "start"]

    def get_queryset_model(self) -> type:
        return models.Source

    def get_queryset(self) -> QuerySet:
        records = models.Citation.objects.from_sources_seen(self.sees_drafts())
        records = records.select_related("source").order_by("source", "start", "pk")
        if not self.sees_drafts():
            # Visible when its source and the fact it supports are both published.
            published = models.ReviewState.PUBLISHED
            for field in models.CITED_FIELDS:
                records = records.filter(
                    Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__review_state": published})
                )
        return records


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "country", str, many=True, description="Pairs including every named country."
            )
        ]
    ),
    retrieve=extend_schema(
        parameters=[OpenApiParameter("pair", str, OpenApiParameter.PATH, description="RU-VE")]
    ),
)
class RelationViewSet(
    StrictQueryMixin, ConditionalGetMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """One entry per country pair with records: `/relations/RU-VE/` (either order)."""

    serializer_class = serializers.RelationSerializer
    lookup_field = "pair"
    lookup_value_regex = "[A-Za-z]{2}-[A-Za-z]{2}"
    filter_backends: list = []
    permission_classes = [AllowAny]  # read-only: it only lists and shows

    def accepted_query_params(self) -> set[str]:
        accepted = super().accepted_query_params()
        return accepted | {"country"} if self.action == "list" else accepted

    def repeatable_query_params(self) -> set[str]:
        return {"country"} if self.action == "list" else set()

    def audience(self) -> str:
        # A summary draws on several models, each with its own view permission.
        user = self.request.user
        seen = [model for model in RELATION_MODELS if can_see_drafts(user, model)]
        return "+".join(model._meta.model_name for model in seen) or PUBLIC

    def get_queryset(self) -> list:
        if getattr(self, "swagger_fake_view", False):
            return []  # the schema generator asks, and must not query the database
        field = filters.CountryCodesField(required=False)
        try:
            countries = field.clean(self.request.query_params.getlist("country"))
        except DjangoValidationError as error:
            raise ValidationError({"country": error.messages}) from error
        return pairs_with_records(self.request.user, countries)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pairs = self.get_queryset()
        page = self.paginate_queryset(pairs)
        data = summarise(pairs if page is None else page, request.user, self.href)
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request: Request, pair: str, **kwargs: Any) -> Response:
        found = pair_of_codes(pair)
        user = request.user
        if found is not None:
            stored, countries = found
            # The public's summaries come from the statistics, which only hold pairs with
            # records.
            if sees_only_published(user) or has_records(stored, user):
                (summary,) = summarise([stored], user, self.href, countries)
                if summary is not None:
                    return Response(summary)
        raise Http404(f"No records between {pair.upper()}.")

    def href(self, resource: str, key: Any) -> str:
        return self._links.href(resource, key)

    @cached_property
    def _links(self) -> projections.Projection:
        return projections.Projection(self.request, sees_drafts=False)
