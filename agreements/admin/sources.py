from functools import partial

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import path

from agreements.admin.base import CuratedAdmin, TrackedAdmin
from agreements.admin.ingest import ingest_view
from agreements.models import CITED_FIELDS, Citation, Source


class SourceCitationInline(admin.TabularInline):
    """What the tracker cites from this source; citations are added from the facts' pages."""

    model = Citation
    extra = 0
    fields = ("passage", "start", "end", "cited_display")
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = "citations of this source"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*CITED_RELATIONS)

    @admin.display(description="supports")
    def cited_display(self, citation: Citation) -> str:
        return cited_label(citation)


# What ``Citation.cited`` and the facts' __str__ read, fetched in the same query.
CITED_RELATIONS = (
    *CITED_FIELDS,
    "office_held__country",
    "statement__official",
    "count_claim__event",
)


def cited_label(citation: Citation) -> str:
    fact = citation.cited
    return f"{fact._meta.verbose_name}: {fact}" if fact is not None else "—"


@admin.register(Source)
class SourceAdmin(CuratedAdmin):
    list_display = (
        "title",
        "publisher",
        "language",
        "published_on",
        "citation_count",
        "review_state",
    )
    list_filter = ("review_state", "language")
    search_fields = ("title", "publisher", "url")
    autocomplete_fields = ("countries_mentioned",)
    inlines = [SourceCitationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    def get_urls(self) -> list:
        ingest = self.admin_site.admin_view(partial(ingest_view, self))
        return [path("ingest/", ingest, name="agreements_source_ingest"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {
            **(extra_context or {}),
            "can_ingest": request.user.has_perm("agreements.add_source"),
        }
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> tuple:
        # Citations point into the text by offsets, so a saved source's text is fixed.
        fixed = ("text", "content_hash") if obj is not None else ("content_hash",)
        return (*super().get_readonly_fields(request, obj), *fixed)

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, source: Source) -> int:
        return source.citation_count


@admin.register(Citation)
class CitationAdmin(TrackedAdmin):
    list_display = ("excerpt", "source", "cited_display")
    list_select_related = ("source", *CITED_RELATIONS)
    search_fields = ("passage", "translation_en")
    autocomplete_fields = ("source", *CITED_FIELDS)
    fieldsets = (
        (None, {"fields": ("source", "passage", "translation_en", "start", "end")}),
        ("The fact it supports (exactly one)", {"fields": CITED_FIELDS}),
    )

    @admin.display(description="passage")
    def excerpt(self, citation: Citation) -> str:
        return citation.passage[:100] + ("…" if len(citation.passage) > 100 else "")

    @admin.display(description="supports")
    def cited_display(self, citation: Citation) -> str:
        return cited_label(citation)
