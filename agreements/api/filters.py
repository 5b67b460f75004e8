"""Query-string filters. Every filter has a matching and a non-matching test; none can return
a record twice (relations are filtered with EXISTS, never with joins)."""

import copy
import re
from typing import Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django_filters.filters import QuerySetRequestMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agreements import models
from agreements.partial_dates import FORMAT_HELP, PartialDate

_CODE = re.compile(r"[A-Za-z]{2}")


def invalid(message: str) -> ValidationError:
    """A form error whose message may quote the client's value: passed as a parameter, since
    django-filter formats every message with ``%`` and a "%" in the value would otherwise
    break that formatting (a 500 for ``?active_on=%``)."""
    return ValidationError("%(message)s", params={"message": message})


class CountryCodesField(forms.Field):
    """One or more ISO codes, repeated (country=VE&country=RU) or comma-separated."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[models.Country]:
        if not value:
            return []
        codes = [code.strip() for item in value for code in str(item).split(",") if code.strip()]
        return countries_of_codes(codes)


def countries_of_codes(codes: list[str]) -> list[models.Country]:
    """The countries of ISO codes (any case, repeats dropped); a malformed or unknown code is
    an error naming it."""
    malformed = [code for code in codes if not _CODE.fullmatch(code)]
    if malformed:
        raise invalid(f"{malformed[0][:20]!r} is not an ISO 3166-1 alpha-2 code.")
    codes = list(dict.fromkeys(code.upper() for code in codes))
    found = {country.code: country for country in models.Country.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise invalid(f"Unknown country code: {', '.join(unknown)}.")
    return [found[code] for code in codes]


@extend_schema_field({"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{2}$"}})
class PartiesFilter(filters.Filter):
    """Records to which every named country is a party: two codes name the pair."""

    field_class = CountryCodesField

    def filter(self, queryset: QuerySet, countries: list[models.Country]) -> QuerySet:
        return queryset.involving(*countries) if countries else queryset


class PartialDateFormField(forms.CharField):
    def to_python(self, value: Any) -> PartialDate | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return PartialDate(value)
        except ValueError as error:
            raise invalid(str(error)) from error


PARTIAL_DATE_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
    "example": "2024-11",
}


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDateFilter(filters.Filter):
    """``after``: the record's (partial) date may fall on or after the given (partial) date;
    ``before``: on or before it. A record dated "2004" is after 2004-06 and before 2004-06."""

    field_class = PartialDateFormField

    def __init__(self, *args: Any, bound: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", f"{FORMAT_HELP} Partial dates compare as periods.")
        self.bound = bound
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: PartialDate | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.field_name}__may_be_{self.bound}": value})


def after(field_name: str) -> PartialDateFilter:
    return PartialDateFilter(field_name=field_name, bound="on_or_after")


def before(field_name: str) -> PartialDateFilter:
    return PartialDateFilter(field_name=field_name, bound="on_or_before")


def search_filter(
    method: str = "filter_search", help_text: str = "Search text."
) -> filters.CharFilter:
    return filters.CharFilter(method=method, max_length=200, help_text=help_text)


class CountryCodeField(forms.Field):
    """One ISO code of a country that exists: a malformed or unknown code is a 400, as in
    ``country`` filters that take several, rather than a silently empty list."""

    def to_python(self, value: Any) -> models.Country | None:
        code = str(value or "").strip()
        return countries_of_codes([code])[0] if code else None


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$"})
class CountryCodeFilter(filters.Filter):
    field_class = CountryCodeField


def country_code_filter(field_name: str = "country") -> CountryCodeFilter:
    return CountryCodeFilter(field_name=field_name, help_text="ISO code.")


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class DayRangeFilter(filters.Filter):
    """A (partial) date against a full-date column: published_after=2024 is from 1 January."""

    field_class = PartialDateFormField

    def __init__(self, *args: Any, bound: str, **kwargs: Any) -> None:
        self.bound = bound
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: PartialDate | None) -> QuerySet:
        if value is None:
            return queryset
        day = value.start if self.bound == "start" else value.end
        return queryset.filter(**{f"{self.field_name}__{self.lookup_expr}": day})


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.ModelChoiceFilter):
    """A record by id; the error names the parameter when there is none such."""


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDayFilter(filters.Filter):
    field_class = PartialDateFormField


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    pass


class StrictBooleanField(forms.Field):
    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE | self.FALSE:
            return text in self.TRUE
        raise ValidationError("Use true or false.")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.Filter):
    field_class = StrictBooleanField


def visible(model: type) -> Any:
    """Choices of a curated model as the reader may see them: a draft's id is as unknown to the
    public as an id that does not exist."""

    def queryset(request: Any) -> QuerySet:
        return model.objects.visible_to(getattr(request, "user", None))

    return queryset


class SharedFieldsForm(forms.Form):
    """A form whose fields are shallow copies of its class's: a form deep-copies every field
    (widgets, choices, validators) for every instance, though validating never changes a
    field. ``FilterSet.form`` copies the fields with querysets, whose choices it sets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        shared = type(self).base_fields
        self.base_fields = {}  # what Form.__init__ deep-copies
        super().__init__(*args, **kwargs)
        del self.base_fields
        self.fields = {name: copy.copy(field) for name, field in shared.items()}


class FilterSet(filters.FilterSet):
    """django-filter deep-copies every filter (with its querysets and choices) and builds a new
    form class from them for every request: a fifth of a short list request's time. A filter's
    own per-request state is its parent, its model and the call to its parent's method, and
    only the choices of id filters depend on the request (on the reader). So each request
    gets shallow copies of the filters, each FilterSet class builds its form class once, and
    each form gets the reader's choices."""

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # django-filter's own __init__, but for the copies.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, shared in self.base_filters.items():
            filter_ = copy.copy(shared)
            filter_.extra = dict(shared.extra)
            filter_.method = shared.method  # calls this filterset's method, not nobody's
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        form_class = type(self).__dict__.get("shared_form_class")
        if form_class is None:
            form_class = type(
                f"Shared{self.__class__.__name__}Form",
                (SharedFieldsForm, super().get_form_class()),
                {},
            )
            type(self).shared_form_class = form_class
        return form_class

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = super().form
            for name, filter_ in self.filters.items():
                shared = form.fields[name]
                if not hasattr(shared, "queryset"):
                    continue
                queryset = shared.queryset
                if isinstance(filter_, QuerySetRequestMixin) and callable(filter_.queryset):
                    queryset = filter_.get_queryset(self.request)  # the reader's choices
                # On copies of the field and its widget (which the choices are set on), and
                # a clone of the queryset (the setter's), as Django's deepcopy would give.
                field = form.fields[name] = copy.copy(shared)
                field.widget = copy.copy(shared.widget)
                field.queryset = queryset
        return self._form

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_full_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.full_text(value)


class ReviewStateFilterSet(FilterSet):
    review_state = filters.ChoiceFilter(
        choices=models.ReviewState.choices,
        help_text="Anonymous readers only ever see published records.",
    )


class CitedFilterSet(ReviewStateFilterSet):
    source = IdFilter(
        queryset=visible(models.Source),
        method="filter_source",
        help_text="Records cited from this source (id).",
    )

    def filter_source(self, queryset: QuerySet, name: str, source: models.Source) -> QuerySet:
        cited = models.Citation.objects.filter(
            source=source, **{models.citation_field_for(queryset.model): OuterRef("pk")}
        )
        return queryset.filter(Exists(cited))


class AgreementFilter(CitedFilterSet):
    country = PartiesFilter(help_text="Repeatable: every named country is a party.")
    sector = SlugsFilter(
        queryset=models.Sector.objects.all(),
        to_field_name="slug",
        method="filter_sector",
        help_text="Sector slug, repeatable: agreements in any of them.",
    )
    kind = filters.ChoiceFilter(choices=models.Agreement.Kind.choices)
    status = filters.ChoiceFilter(choices=models.Agreement.Status.choices)
    signed_after = after("signed_on")
    signed_before = before("signed_on")
    signatory = IdFilter(
        queryset=visible(models.Official), method="filter_signatory", help_text="Official id."
    )
    event = IdFilter(queryset=visible(models.SigningEvent))
    place = IdFilter(queryset=visible(models.Place))
    q = search_filter(
        "filter_q", "Full text over titles, summaries and cited passages (Arabic and English)."
    )

    class Meta:
        model = models.Agreement
        fields: list[str] = []

    def filter_sector(self, queryset: QuerySet, name: str, sectors: list) -> QuerySet:
        if not sectors:
            return queryset
        links = models.Agreement.sectors.through.objects.filter(
            agreement=OuterRef("pk"), sector__in=sectors
        )
        return queryset.filter(Exists(links))

    def filter_signatory(self, queryset: QuerySet, name: str, official: Any) -> QuerySet:
        signed = models.Signatory.objects.filter(agreement=OuterRef("pk"), official=official)
        return queryset.filter(Exists(signed))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # An agreement's search text includes the passages that cite it from published sources.
        return queryset.full_text(value)


class OfficialFilter(CitedFilterSet):
    country = country_code_filter()
    role = filters.ChoiceFilter(
        choices=models.OfficeHeld.Role.choices, method="filter_role", help_text="Held such a role."
    )
    active_on = PartialDayFilter(
        method="filter_active_on",
        help_text=f"Held an office on that date. {FORMAT_HELP}",
    )
    q = search_filter(help_text="Any name, script or alias; accents and Arabic variants ignored.")

    class Meta:
        model = models.Official
        fields: list[str] = []

    def visible_offices(self) -> QuerySet:
        return models.OfficeHeld.objects.visible_to(self.request.user)

    def filter_role(self, queryset: QuerySet, name: str, role: str) -> QuerySet:
        offices = self.visible_offices().filter(official=OuterRef("pk"), role=role)
        return queryset.filter(Exists(offices))

    def filter_active_on(self, queryset: QuerySet, name: str, day: PartialDate | None) -> QuerySet:
        if day is None:
            return queryset
        offices = self.visible_offices().held_on(day).filter(official=OuterRef("pk"))
        return queryset.filter(Exists(offices))


class OfficeFilter(CitedFilterSet):
    official = IdFilter(queryset=visible(models.Official))
    country = country_code_filter()
    role = filters.ChoiceFilter(choices=models.OfficeHeld.Role.choices)
    active_on = PartialDayFilter(
        method="filter_active_on",
        help_text=f"Held on that date. {FORMAT_HELP}",
    )
    q = search_filter(help_text="Title, or the holder's name in any script.")

    class Meta:
        model = models.OfficeHeld
        fields: list[str] = []

    def filter_active_on(self, queryset: QuerySet, name: str, day: PartialDate | None) -> QuerySet:
        return queryset if day is None else queryset.held_on(day)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        officials = models.Official.objects.visible_to(self.request.user).search(value)
        return queryset.filter(Q(title__icontains=value.strip()) | Q(official__in=officials))


class CountryFilter(FilterSet):
    q = search_filter(help_text="Code, name in any language, or alias.")
    has_agreements = StrictBooleanFilter(
        method="filter_has_agreements", help_text="Party to at least one agreement you can see."
    )

    class Meta:
        model = models.Country
        fields: list[str] = []

    def filter_has_agreements(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        visible = models.Agreement.objects.visible_to(self.request.user)
        as_party = Exists(visible.filter(party_a=OuterRef("pk"))) | Exists(
            visible.filter(party_b=OuterRef("pk"))
        )
        return queryset.filter(as_party if value else ~as_party)


class SectorFilter(FilterSet):
    q = filters.CharFilter(method="filter_name", max_length=100, help_text="Name or slug.")

    class Meta:
        model = models.Sector
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(slug__icontains=value) | Q(name_en__icontains=value) | Q(name_ar__contains=value)
        )


class PlaceFilter(ReviewStateFilterSet):
    country = country_code_filter()
    q = search_filter(help_text="Name in any language.")

    class Meta:
        model = models.Place
        fields: list[str] = []


class EventFilter(CitedFilterSet):
    country = PartiesFilter(help_text="Repeatable: every named country is a party.")
    after = after("held_on")
    before = before("held_on")
    place = IdFilter(queryset=visible(models.Place))
    q = search_filter(help_text="Name and summary.")

    class Meta:
        model = models.SigningEvent
        fields: list[str] = []


class CommissionFilter(CitedFilterSet):
    country = PartiesFilter(help_text="Repeatable: every named country is a party.")
    founded_after = after("founded_on")
    founded_before = before("founded_on")
    q = search_filter(help_text="Name and summary.")

    class Meta:
        model = models.Commission
        fields: list[str] = []


class CountClaimFilter(CitedFilterSet):
    country = PartiesFilter(help_text="Repeatable: every named country is a party.")
    event = IdFilter(queryset=visible(models.SigningEvent))
    commission = IdFilter(queryset=visible(models.Commission))
    qualifier = filters.ChoiceFilter(choices=models.CountClaim.Qualifier.choices)
    since_after = after("since")
    since_before = before("since")

    class Meta:
        model = models.CountClaim
        fields: list[str] = []


class StatementFilter(CitedFilterSet):
    official = IdFilter(queryset=visible(models.Official))
    country = filters.CharFilter(
        method="filter_speaker_country", max_length=2, help_text="The speaker's country (ISO code)."
    )
    kind = filters.ChoiceFilter(choices=models.Statement.Kind.choices)
    language = filters.ChoiceFilter(choices=models.Language.choices)
    event = IdFilter(queryset=visible(models.SigningEvent))
    said_after = after("said_on")
    said_before = before("said_on")
    q = search_filter("filter_full_text", "Full text of the words and their translation.")

    class Meta:
        model = models.Statement
        fields: list[str] = []

    def filter_speaker_country(self, queryset: QuerySet, name: str, code: str) -> QuerySet:
        # Through the speakers the reader may see: the country of a draft official, whose
        # published statements show no speaker, must not be found out by filtering.
        speakers = models.Official.objects.visible_to(self.request.user).filter(
            pk=OuterRef("official"), country__code=code.strip().upper()
        )
        return queryset.filter(Exists(speakers))


class SourceFilter(ReviewStateFilterSet):
    language = filters.ChoiceFilter(choices=models.Language.choices)
    publisher = filters.CharFilter(lookup_expr="icontains", max_length=200)
    country = CountryCodeFilter(
        method="filter_mentions", help_text="Mentions this country (ISO code)."
    )
    published_after = DayRangeFilter(field_name="published_on", bound="start", lookup_expr="gte")
    published_before = DayRangeFilter(field_name="published_on", bound="end", lookup_expr="lte")
    q = search_filter("filter_full_text", "Full text of the title and the article.")

    class Meta:
        model = models.Source
        fields: list[str] = []

    def filter_mentions(self, queryset: QuerySet, name: str, country: models.Country) -> QuerySet:
        mentions = models.Source.countries_mentioned.through.objects.filter(
            source=OuterRef("pk"), country=country
        )
        return queryset.filter(Exists(mentions))


class CitationFilter(FilterSet):
    source = IdFilter(queryset=visible(models.Source))
    agreement = IdFilter(queryset=visible(models.Agreement))
    event = IdFilter(queryset=visible(models.SigningEvent))
    count_claim = IdFilter(queryset=visible(models.CountClaim))
    office_held = IdFilter(queryset=visible(models.OfficeHeld))
    statement = IdFilter(queryset=visible(models.Statement))
    official = IdFilter(queryset=visible(models.Official))
    commission = IdFilter(queryset=visible(models.Commission))
    q = search_filter("filter_full_text", "Full text of the passage and its translation.")

    class Meta:
        model = models.Citation
        fields: list[str] = []


class RelationFilter(filters.FilterSet):
    country = filters.Filter(
        field_class=CountryCodesField, help_text="Repeatable: pairs including every named country."
    )
