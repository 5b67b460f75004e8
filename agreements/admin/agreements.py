from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from agreements.admin.base import (
    CitationInline,
    CuratedAdmin,
    PartyCountryFilter,
    PreloadedInline,
    TrackedAdmin,
    parties_display,
    year_filter,
)
from agreements.models import (
    Agreement,
    Commission,
    CountClaim,
    Sector,
    Signatory,
    SigningEvent,
    Statement,
)


@admin.register(Sector)
class SectorAdmin(TrackedAdmin):
    list_display = ("name_en", "name_ar", "slug", "parent")
    list_select_related = ("parent",)
    search_fields = ("name_en", "name_ar", "slug")
    autocomplete_fields = ("parent",)


class SignatoryInline(PreloadedInline):
    model = Signatory
    fields = ("official", "country")
    autocomplete_fields = ("official", "country")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("official", "country")


@admin.register(Agreement)
class AgreementAdmin(CuratedAdmin):
    list_display = (
        "title",
        "kind",
        parties_display,
        "signed_on",
        "status",
        "sectors_display",
        "event",
        "review_state",
    )
    list_filter = (
        PartyCountryFilter,
        ("sectors", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        "review_state",
        year_filter("signed_on"),
    )
    list_select_related = ("party_a", "party_b", "event")
    search_fields = ("title",)
    autocomplete_fields = ("party_a", "party_b", "sectors", "place", "event")
    inlines = [SignatoryInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("kind", "title", "original_title", "summary", "sectors")}),
        ("Parties and signing", {"fields": ("party_a", "party_b", "signed_on", "place", "event")}),
        ("Status", {"fields": ("status", "in_force_on", "expires_on", "review_state")}),
        ("Record", {"fields": ("uid", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("sectors")

    @admin.display(description="sectors")
    def sectors_display(self, agreement: Agreement) -> str:
        return ", ".join(sector.name_en for sector in agreement.sectors.all())


class ItemisedAgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ("title", "kind", "status", "review_state")
    show_change_link = True
    # Deleting here would delete the agreement itself, not just its link to the event.
    can_delete = False
    verbose_name = "itemised agreement"
    verbose_name_plural = "itemised agreements"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # An agreement needs its parties and sectors: added from its own page.
        return False


class EventCountClaimInline(admin.TabularInline):
    """Counts reported for this event; their parties are the event's, and they have no period."""

    model = CountClaim
    extra = 0
    fields = ("value", "qualifier", "counted", "review_state")
    show_change_link = True
    verbose_name_plural = "reported counts"


class CommissionCountClaimInline(EventCountClaimInline):
    fields = ("value", "qualifier", "counted", "since", "until", "review_state")


def _claims_text(claims: list[CountClaim]) -> str:
    return "; ".join(f"{claim.get_qualifier_display()} {claim.value}" for claim in claims) or "none"


@admin.register(SigningEvent)
class SigningEventAdmin(CuratedAdmin):
    list_display = (
        "name",
        parties_display,
        "held_on",
        "weekday",
        "place",
        "reported_display",
        "itemised_display",
        "review_state",
    )
    list_filter = (PartyCountryFilter, "review_state", year_filter("held_on"))
    list_select_related = ("party_a", "party_b", "place__country")
    search_fields = ("name",)
    autocomplete_fields = ("party_a", "party_b", "place", "officials_present")
    readonly_fields = (*CuratedAdmin.readonly_fields, "counts_display")
    inlines = [ItemisedAgreementInline, EventCountClaimInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("name", "summary", "counts_display")}),
        (
            "When and where",
            {"fields": ("party_a", "party_b", "held_on", "weekday", "part_of_day", "place")},
        ),
        ("Who", {"fields": ("officials_present",)}),
        ("Review", {"fields": ("review_state", "uid", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(itemised_count=Count("agreements", distinct=True))
            .prefetch_related("count_claims")
        )

    @admin.display(description="reported")
    def reported_display(self, event: SigningEvent) -> str:
        return _claims_text(list(event.count_claims.all()))

    @admin.display(description="itemised", ordering="itemised_count")
    def itemised_display(self, event: SigningEvent) -> int:
        return event.itemised_count

    @admin.display(description="reported vs itemised")
    def counts_display(self, event: SigningEvent) -> str:
        if event.pk is None:
            return "—"
        reported = _claims_text(list(event.count_claims.all()))
        return f"Reported: {reported}. Itemised in the tracker: {event.itemised_count}."


@admin.register(Commission)
class CommissionAdmin(CuratedAdmin):
    list_display = ("name", parties_display, "founded_on", "dissolved_on", "review_state")
    list_filter = (PartyCountryFilter, "review_state", year_filter("founded_on", "founded"))
    list_select_related = ("party_a", "party_b")
    search_fields = ("name", "original_name")
    autocomplete_fields = ("party_a", "party_b")
    inlines = [CommissionCountClaimInline, CitationInline]


@admin.register(CountClaim)
class CountClaimAdmin(CuratedAdmin):
    list_display = ("__str__", parties_display, "value", "qualifier", "since", "review_state")
    list_filter = (PartyCountryFilter, "qualifier", "review_state")
    list_select_related = ("party_a", "party_b", "event")
    search_fields = ("counted",)
    autocomplete_fields = ("party_a", "party_b", "event", "commission")
    inlines = [CitationInline]


@admin.register(Statement)
class StatementAdmin(CuratedAdmin):
    list_display = ("official", "excerpt", "kind", "language", "said_on", "review_state")
    list_filter = ("kind", "language", "review_state", year_filter("said_on"))
    list_select_related = ("official",)
    search_fields = ("text",)
    autocomplete_fields = ("official", "event")
    inlines = [CitationInline]

    @admin.display(description="words")
    def excerpt(self, statement: Statement) -> str:
        words = statement.translation_en or statement.text
        return words[:100] + ("…" if len(words) > 100 else "")
