from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from agreements.admin.base import CuratedAdmin, TrackedAdmin
from agreements.models import Country, CountryAlias, Place, PlaceName


class CountryAliasInline(admin.TabularInline):
    model = CountryAlias
    extra = 0
    fields = ("text", "language", "kind")


@admin.register(Country)
class CountryAdmin(TrackedAdmin):
    """The 249 ISO countries come from migrations; curators add aliases, not countries."""

    list_display = ("code", "name_en", "name_ar", "alpha3")
    search_fields = ("name_en",)
    readonly_fields = (
        "code",
        "alpha3",
        "name_en",
        "name_ar",
        "name_es",
        "name_ru",
        "name_fr",
        "name_zh",
    )
    inlines = [CountryAliasInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Country | None = None) -> bool:
        return False


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 0
    fields = ("language", "text")


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ("name", "country", "kind", "review_state")
    list_filter = ("review_state", "kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country",)
    search_fields = ("name",)
    autocomplete_fields = ("country",)
    inlines = [PlaceNameInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("country")
