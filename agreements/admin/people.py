from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from agreements.admin.base import CitationInline, CuratedAdmin, PreloadedInline
from agreements.models import OfficeHeld, Official, OfficialName


class OfficialNameInline(admin.TabularInline):
    model = OfficialName
    extra = 0
    fields = ("text", "language", "kind")


class OfficeHeldInline(PreloadedInline):
    model = OfficeHeld
    extra = 0
    fields = ("title", "role", "country", "started_on", "ended_on", "review_state")
    autocomplete_fields = ("country",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("country")


@admin.register(Official)
class OfficialAdmin(CuratedAdmin):
    list_display = ("name", "country", "offices_display", "wikidata_id", "review_state")
    list_filter = ("review_state", ("country", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    autocomplete_fields = ("country",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OfficialNameInline, OfficeHeldInline, CitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        offices = OfficeHeld.objects.select_related("country").order_by("-started_on")
        return (
            super()
            .get_queryset(request)
            .select_related("country")
            .prefetch_related(Prefetch("offices", queryset=offices))
        )

    @admin.display(description="offices")
    def offices_display(self, official: Official) -> str:
        return "; ".join(str(office) for office in official.offices.all())


@admin.register(OfficeHeld)
class OfficeHeldAdmin(CuratedAdmin):
    list_display = (
        "official",
        "title",
        "role",
        "country",
        "started_on",
        "ended_on",
        "review_state",
    )
    list_filter = ("review_state", "role", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("official", "country")
    search_fields = ("title",)
    autocomplete_fields = ("official", "country")
    inlines = [CitationInline]
