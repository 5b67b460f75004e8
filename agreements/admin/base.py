"""What every admin page shares: folded search, review actions, history, list filters, and
optimistic locking of change forms."""

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.forms.models import _get_foreign_key
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Citation, Country, ReviewState
from agreements.services import set_review_state


class FoldedSearchMixin:
    """Search through the model's ``QuerySet.search()``: accents, case and Arabic letter
    variants are ignored, so "Chavez" finds "Chávez" and "شافيز" finds "تشافيز"."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if search_term.strip() and hasattr(queryset, "search"):
            return queryset.search(search_term), False
        return super().get_search_results(request, queryset, search_term)


VERSION_FIELD = "record_version"


def editable_values(record: models.Model) -> dict[str, Any]:
    """What a form can change on ``record``: its editable fields and many-to-many links.
    Derived columns (search keys, timestamps) are left out, so that a change elsewhere that
    only recomputes them does not make a page stale."""
    values: dict[str, Any] = {"pk": record.pk}
    for field in record._meta.concrete_fields:
        if field.editable:
            values[field.attname] = field.value_from_object(record)
    for field in record._meta.many_to_many:
        if field.editable:
            values[field.name] = sorted(related.pk for related in field.value_from_object(record))
    return values


def version_digest(rows: list) -> str:
    body = orjson.dumps(rows, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.sha256(body).hexdigest()[:32]


class VersionedForm(forms.ModelForm):
    """A change form that carries the version of the record it was made from.

    On save, inside the admin's transaction, the record is locked (``select_for_update``) and
    its current version compared with the one the page was made from: if another curator saved
    in between, the save is refused with a form error and nothing is written, instead of the
    second save silently overwriting the first.
    """

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by the admin's get_form(): the version of a record as this page shows it.
    version_of: Callable[[models.Model], str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.version_of is not None and not self.is_bound:
            # Read again: the revert page's instance is an old version, not the stored one.
            stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            if stored is not None:
                self.initial[VERSION_FIELD] = self.version_of(stored)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None or self.version_of is None:
            return cleaned
        model = type(self.instance)
        # Locked until the admin's transaction ends: a concurrent save of this record waits,
        # then finds the version this save leaves.
        stored = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if stored is None:
            raise ValidationError(
                "This record was deleted after you opened this page. Nothing was saved.",
                code="deleted",
            )
        if self.version_of(stored) != cleaned.get(VERSION_FIELD):
            raise ValidationError(stale_message(stored), code="stale")
        return cleaned


def stale_message(stored: models.Model) -> str:
    last = stored.history.select_related("history_user").first()
    who = ""
    if last is not None:
        when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M:%S")
        who = f" (last change: {when}" + (f" by {last.history_user})" if last.history_user else ")")
    return (
        f"Someone else changed this record after you opened this page{who}. Nothing was "
        "saved: open the record again to see the current version, then make your change."
    )


class TrackedAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    """History (who changed what, when; revert from the history page) on every model, and
    change forms that refuse to overwrite a change made since the page was opened."""

    list_per_page = 50
    # A filtered list shows "N results" without a second COUNT(*) over the whole table.
    show_full_result_count = False
    form = VersionedForm

    def version_of_record(self, request: HttpRequest, record: models.Model) -> str:
        """The version of ``record`` as its change page shows it: its fields and the rows of
        its inlines (a row changed by someone else would be overwritten too)."""
        rows: list = [editable_values(record)]
        for inline in self.get_inline_instances(request, record):
            link = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            links = [field.name for field in inline.model._meta.many_to_many if field.editable]
            children = (
                inline.get_queryset(request)
                .filter(**{link.name: record})
                .prefetch_related(*links)
                .order_by("pk")
            )
            rows.append([editable_values(child) for child in children])
        return version_digest(rows)

    def get_form(
        self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, VersionedForm):
            form.version_of = staticmethod(lambda record: self.version_of_record(request, record))
        return form

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if (
            obj is None
            or not self.has_change_permission(request, obj)  # a read-only page saves nothing
            or VERSION_FIELD in flatten_fieldsets(fieldsets)
        ):
            return fieldsets
        # The hidden field must be on the page to come back with the form.
        *rest, (name, options) = fieldsets
        return [*rest, (name, {**options, "fields": (*options["fields"], VERSION_FIELD)})]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple-history hides the Revert button from those who may only view, but saves the
        # form they POST all the same: a view-only user could revert (and publish) a record.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        # A revert is a save like any other: one transaction, with the record locked.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # The autocomplete pages these results, and an aggregate that a get_queryset() adds
        # for the changelist drops Meta.ordering.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not found.ordered:
            found = found.order_by(*self.model._meta.ordering)
        return found, may_have_duplicates


class CuratedAdmin(TrackedAdmin):
    """Records that go through review: draft → reviewed → published."""

    actions = ["mark_reviewed", "mark_published", "mark_draft"]
    readonly_fields = ("uid", "created_at", "updated_at")

    def _set_state(self, request: HttpRequest, queryset: QuerySet, state: ReviewState) -> None:
        changed = set_review_state(queryset, state, user=request.user)
        self.message_user(
            request, f"{changed} marked {state.label.lower()}.", level=messages.SUCCESS
        )

    @admin.action(description="Mark selected as reviewed", permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, ReviewState.REVIEWED)

    @admin.action(description="Mark selected as published", permissions=["change"])
    def mark_published(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, ReviewState.PUBLISHED)

    @admin.action(description="Return selected to draft", permissions=["change"])
    def mark_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, ReviewState.DRAFT)


@admin.display(description="parties")
def parties_display(record: Any) -> str:
    return " – ".join(sorted(country.name_en for country in record.parties))


class PartyCountryFilter(admin.SimpleListFilter):
    """Records to which a country is a party (either side of the pair)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        records = model_admin.model.objects.all()
        as_party = Exists(records.filter(party_a=OuterRef("pk"))) | Exists(
            records.filter(party_b=OuterRef("pk"))
        )
        return list(Country.objects.filter(as_party).values_list("code", "name_en"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        return queryset.filter(Q(party_a__code=self.value()) | Q(party_b__code=self.value()))


def year_filter(field_name: str, title: str = "year") -> type[admin.SimpleListFilter]:
    """A list filter on the year of a partial date ("2004" matches 2004, 2004-05 and 2004-05-06)."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_year"

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
            years = (
                model_admin.model.objects.filter(**{f"{field_name}__isnull": False})
                .annotate(year=Substr(field_name, 1, 4))
                .order_by("-year")
                .values_list("year", flat=True)
                .distinct()
            )
            return [(year, year) for year in years]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            year = self.value()
            if year and year.isdigit() and len(year) == 4:
                return queryset.filter(**{f"{field_name}__startswith": year})
            return queryset

    YearFilter.title = title
    return YearFilter


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selected option from the related object the form's
    instance already holds (select_related), instead of one query per inline row."""

    preloaded: dict[str, Any] | None = None

    def optgroups(self, name: str, value: list, attr: Any = None) -> list:
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not self.preloaded or not selected or any(v not in self.preloaded for v in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in selected:
            label = self.choices.field.label_from_instance(self.preloaded[pk])
            options.append(self.create_option(name, pk, label, set(selected), len(options)))
        return [(None, options, 0)]


class PreloadedRelationsForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cached = self.instance._state.fields_cache
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, PreloadedAutocompleteSelect) and cached.get(name) is not None:
                widget.preloaded = {str(cached[name].pk): cached[name]}


class PreloadedInline(admin.TabularInline):
    """A tabular inline whose autocompletes cost no query per row; its ``get_queryset`` must
    select_related the autocomplete fields."""

    form = PreloadedRelationsForm
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CitationInline(PreloadedInline):
    """The passages that support the fact; offsets are found from the passage when left empty."""

    model = Citation
    fields = ("source", "passage", "translation_en", "start", "end")
    autocomplete_fields = ("source",)
    verbose_name_plural = "citations (source and exact passage)"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("source")
