"""One serializer per representation. Related records are embedded in brief where a reader
needs them and linked by ``href`` otherwise; partial dates are ISO strings of their precision."""

from typing import Any

from django.urls import reverse as django_reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements import models
from agreements.api.base import StrictKeysMixin, StrictModelSerializer, replace_children
from agreements.api.fields import (
    CountryBriefSerializer,
    EmbeddedRelatedField,
    PartiesField,
    country_field,
    hidden_from_reader,
)

CURATED_READ_ONLY = ["id", "href", "uid", "created_at", "updated_at"]


class HrefField(serializers.HyperlinkedIdentityField):
    """The record's own URL, without the request's ``?format=`` (a CSV row links to JSON)."""

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> str | None:
        lookup_value = getattr(obj, self.lookup_field)
        if lookup_value in (None, ""):
            return None
        path = django_reverse(view_name, kwargs={self.lookup_url_kwarg: lookup_value})
        return request.build_absolute_uri(path) if request else path


def href(view_name: str, lookup_field: str = "pk") -> HrefField:
    return HrefField(view_name=view_name, lookup_field=lookup_field)


# Briefs: how a record looks when embedded in another. The key field is writable so that the
# request schema shows what to send ({"id": 12}); the rest is for reading.


class SectorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Sector
        fields = ["slug", "name_en", "name_ar"]
        read_only_fields = ["name_en", "name_ar"]
        extra_kwargs = {"slug": {"validators": []}}


class PlaceBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    href = href("place-detail")
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = models.Place
        fields = ["id", "href", "name", "country"]
        read_only_fields = ["name"]


class OfficialBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    href = href("official-detail")

    class Meta:
        model = models.Official
        fields = ["id", "href", "name"]
        read_only_fields = ["name"]


class EventBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    href = href("event-detail")

    class Meta:
        model = models.SigningEvent
        fields = ["id", "href", "name", "held_on"]
        read_only_fields = ["name", "held_on"]


class CommissionBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    href = href("commission-detail")

    class Meta:
        model = models.Commission
        fields = ["id", "href", "name", "founded_on"]
        read_only_fields = ["name", "founded_on"]


class SourceBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    href = href("source-detail")
    # Declared so that the schema says what it holds: a URL, or "" when it is unknown.
    url = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = models.Source
        fields = ["id", "href", "title", "publisher", "url", "language", "published_on"]
        read_only_fields = ["title", "publisher", "language", "published_on"]


class AgreementBriefSerializer(serializers.ModelSerializer):
    href = href("agreement-detail")

    class Meta:
        model = models.Agreement
        fields = ["id", "href", "kind", "title", "signed_on", "status"]


class CitationBriefSerializer(serializers.ModelSerializer):
    """A citation embedded in the fact it supports: the passage and its source."""

    href = href("citation-detail")
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = models.Citation
        fields = ["id", "href", "passage", "translation_en", "start", "end", "source"]


class CountClaimBriefSerializer(serializers.ModelSerializer):
    href = href("claim-detail")

    class Meta:
        model = models.CountClaim
        fields = ["id", "href", "value", "qualifier", "counted", "since", "until"]


def place_field(**kwargs: Any) -> EmbeddedRelatedField:
    places = models.Place.objects.select_related("country")
    return EmbeddedRelatedField(PlaceBriefSerializer, queryset=places, **kwargs)


def official_field(**kwargs: Any) -> EmbeddedRelatedField:
    return EmbeddedRelatedField(
        OfficialBriefSerializer, queryset=models.Official.objects.all(), **kwargs
    )


def event_field(**kwargs: Any) -> EmbeddedRelatedField:
    return EmbeddedRelatedField(
        EventBriefSerializer, queryset=models.SigningEvent.objects.all(), **kwargs
    )


def citations_field() -> CitationBriefSerializer:
    return CitationBriefSerializer(many=True, read_only=True)


class VisibleListSerializer(serializers.ListSerializer):
    """A list of embedded records without the ones the reader may not see."""

    def to_representation(self, data: Any) -> list:
        records = data.all() if hasattr(data, "all") else data
        return [
            self.child.to_representation(record)
            for record in records
            if not hidden_from_reader(record, self.context)
        ]


# Reference data: read-only through the API.


class CountrySerializer(serializers.ModelSerializer):
    href = href("country-detail", lookup_field="code")
    names = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = models.Country
        fields = ["code", "alpha3", "href", "names", "aliases"]

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "example": {"en": "Venezuela"},
        }
    )
    def get_names(self, country: models.Country) -> dict[str, str]:
        return {
            language: getattr(country, f"name_{language}")
            for language in models.geography.NAME_LANGUAGES
        }

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "language": {"type": "string"},
                    "kind": {"type": "string"},
                },
            },
        }
    )
    def get_aliases(self, country: models.Country) -> list[dict[str, str]]:
        return [
            {"text": alias.text, "language": alias.language, "kind": alias.kind}
            for alias in country.aliases.all()
        ]


class SectorSerializer(serializers.ModelSerializer):
    href = href("sector-detail", lookup_field="slug")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = models.Sector
        fields = ["slug", "href", "name_en", "name_ar", "parent"]


# Curated records.


class NameSerializer(StrictKeysMixin, serializers.Serializer):
    language = serializers.ChoiceField(choices=models.Language.choices)
    text = serializers.CharField(max_length=150)


class OfficialNameSerializer(NameSerializer):
    kind = serializers.ChoiceField(
        choices=models.OfficialName.Kind.choices, default=models.OfficialName.Kind.NAME
    )


def _unique_names(names: list[dict]) -> list[dict]:
    keys = [(name["language"], name["text"]) for name in names]
    if len(keys) != len(set(keys)):
        raise serializers.ValidationError("The same name is given twice in one language.")
    return names


class PlaceSerializer(StrictModelSerializer):
    href = href("place-detail")
    country = country_field()
    names = NameSerializer(many=True, required=False)
    extra_write_fields = ("names",)

    class Meta:
        model = models.Place
        fields = [*CURATED_READ_ONLY, "name", "country", "kind", "names", "review_state"]
        read_only_fields = CURATED_READ_ONLY

    def validate_names(self, names: list[dict]) -> list[dict]:
        return _unique_names(names)

    def save_extra(self, place: models.Place, extra: dict) -> None:
        if "names" in extra:
            replace_children(place.names, extra["names"], ("language", "text"), place=place)


class OfficeSerializer(StrictModelSerializer):
    href = href("office-detail")
    official = official_field()
    country = country_field()
    citations = citations_field()

    class Meta:
        model = models.OfficeHeld
        fields = [
            *CURATED_READ_ONLY,
            "official",
            "country",
            "role",
            "title",
            "started_on",
            "ended_on",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY


class OfficeInOfficialSerializer(serializers.ModelSerializer):
    href = href("office-detail")
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = models.OfficeHeld
        fields = ["id", "href", "role", "title", "country", "started_on", "ended_on"]
        list_serializer_class = VisibleListSerializer


class OfficialSerializer(StrictModelSerializer):
    href = href("official-detail")
    country = country_field()
    names = OfficialNameSerializer(many=True, required=False)
    offices = OfficeInOfficialSerializer(many=True, read_only=True)
    citations = citations_field()
    extra_write_fields = ("names",)

    class Meta:
        model = models.Official
        fields = [
            *CURATED_READ_ONLY,
            "slug",
            "name",
            "country",
            "wikidata_id",
            "names",
            "offices",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY
        extra_kwargs = {"slug": {"required": False}}

    def validate_names(self, names: list[dict]) -> list[dict]:
        return _unique_names(names)

    def save_extra(self, official: models.Official, extra: dict) -> None:
        if "names" in extra:
            replace_children(
                official.names, extra["names"], ("language", "text"), official=official
            )


class VisibleSignatoriesSerializer(serializers.ListSerializer):
    """Signatories without those whose official the reader may not see: a row naming no one
    would still tell the public that a hidden official signed, for which party, in what
    office."""

    def to_representation(self, data: Any) -> list:
        records = data.all() if hasattr(data, "all") else data
        return [
            self.child.to_representation(signatory)
            for signatory in records
            if not hidden_from_reader(signatory.official, self.context)
        ]


class SignatorySerializer(StrictKeysMixin, serializers.ModelSerializer):
    official = official_field()
    country = country_field()
    office = serializers.SerializerMethodField(
        help_text="The office held on the signing date (derived: ignored when sent)."
    )

    class Meta:
        model = models.Signatory
        fields = ["official", "country", "office"]
        list_serializer_class = VisibleSignatoriesSerializer

    def validate(self, attrs: dict) -> dict:
        # A partial update of an agreement still needs whole signatory rows.
        missing = {
            name: ["This field is required."]
            for name in ("official", "country")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs

    @extend_schema_field(OfficeInOfficialSerializer(allow_null=True))
    def get_office(self, signatory: models.Signatory) -> dict | None:
        signed_on = signatory.agreement.signed_on
        for office in signatory.official.offices.all() if signed_on else ():
            if office.may_be_held_on(signed_on) and not hidden_from_reader(office, self.context):
                return OfficeInOfficialSerializer(office, context=self.context).data
        return None


class AgreementSerializer(StrictModelSerializer):
    href = href("agreement-detail")
    parties = PartiesField()
    sectors = EmbeddedRelatedField(
        SectorBriefSerializer,
        lookup="slug",
        many=True,
        queryset=models.Sector.objects.all(),
        required=False,
    )
    place = place_field(allow_null=True, required=False)
    event = event_field(allow_null=True, required=False)
    signatories = SignatorySerializer(source="signatory_links", many=True, required=False)
    citations = citations_field()
    extra_write_fields = ("signatory_links",)

    class Meta:
        model = models.Agreement
        fields = [
            *CURATED_READ_ONLY,
            "kind",
            "title",
            "original_title",
            "summary",
            "parties",
            "sectors",
            "signed_on",
            "place",
            "event",
            "status",
            "in_force_on",
            "expires_on",
            "signatories",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        parties = attrs.get("parties") or (self.instance.parties if self.instance else ())
        if self.instance is not None and "parties" in attrs and "signatory_links" not in attrs:
            stray = self.instance.signatory_links.exclude(country__in=parties)
            if stray.exists():
                raise serializers.ValidationError(
                    {
                        "parties": [
                            "A signatory signs for one of the two parties: change the "
                            "signatories with the parties."
                        ]
                    }
                )
        officials = [row["official"] for row in attrs.get("signatory_links", [])]
        if len(officials) != len(set(officials)):
            raise serializers.ValidationError(
                {"signatories": ["This official is already a signatory of the agreement."]}
            )
        for row in attrs.get("signatory_links", []):
            if row["country"] not in parties:
                raise serializers.ValidationError(
                    {"signatories": ["A signatory signs for one of the two parties."]}
                )
        return attrs

    def save_extra(self, agreement: models.Agreement, extra: dict) -> None:
        if "signatory_links" in extra:
            replace_children(
                agreement.signatory_links,
                extra["signatory_links"],
                ("official",),
                agreement=agreement,
            )


class EventSerializer(StrictModelSerializer):
    href = href("event-detail")
    parties = PartiesField()
    place = place_field(allow_null=True, required=False)
    officials_present = official_field(many=True, required=False)
    agreements = AgreementBriefSerializer(many=True, read_only=True)
    reported = CountClaimBriefSerializer(source="count_claims", many=True, read_only=True)
    itemised_count = serializers.SerializerMethodField()
    citations = citations_field()

    class Meta:
        model = models.SigningEvent
        fields = [
            *CURATED_READ_ONLY,
            "name",
            "parties",
            "held_on",
            "weekday",
            "part_of_day",
            "place",
            "summary",
            "officials_present",
            "agreements",
            "reported",
            "itemised_count",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY

    def get_itemised_count(self, event: models.SigningEvent) -> int:
        return len(event.agreements.all())

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        refuse_pair_change(self.instance, attrs, ("agreements", "count_claims"))
        return attrs


class CommissionSerializer(StrictModelSerializer):
    href = href("commission-detail")
    parties = PartiesField()
    count_claims = CountClaimBriefSerializer(many=True, read_only=True)
    citations = citations_field()

    class Meta:
        model = models.Commission
        fields = [
            *CURATED_READ_ONLY,
            "name",
            "original_name",
            "parties",
            "founded_on",
            "dissolved_on",
            "summary",
            "count_claims",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        refuse_pair_change(self.instance, attrs, ("count_claims",))
        return attrs


def refuse_pair_change(instance: Any, attrs: dict, relations: tuple[str, ...]) -> None:
    """An event or commission keeps its pair while records of that pair point at it."""
    if instance is None or "parties" not in attrs:
        return
    new = {country.pk for country in attrs["parties"]}
    if new == {instance.party_a_id, instance.party_b_id}:
        return
    linked = [
        f"{getattr(instance, name).count()} {name.replace('_', ' ')}"
        for name in relations
        if getattr(instance, name).exists()
    ]
    if linked:
        raise serializers.ValidationError(
            {
                "parties": [
                    f"Records of the old pair point here ({', '.join(linked)}); "
                    "move or change them first."
                ]
            }
        )


class CountClaimSerializer(StrictModelSerializer):
    href = href("claim-detail")
    parties = PartiesField()
    event = event_field(allow_null=True, required=False)
    commission = EmbeddedRelatedField(
        CommissionBriefSerializer,
        queryset=models.Commission.objects.all(),
        allow_null=True,
        required=False,
    )
    citations = citations_field()

    class Meta:
        model = models.CountClaim
        fields = [
            *CURATED_READ_ONLY,
            "value",
            "qualifier",
            "counted",
            "parties",
            "event",
            "commission",
            "since",
            "until",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY


class StatementSerializer(StrictModelSerializer):
    href = href("statement-detail")
    official = official_field()
    event = event_field(allow_null=True, required=False)
    citations = citations_field()

    class Meta:
        model = models.Statement
        fields = [
            *CURATED_READ_ONLY,
            "official",
            "kind",
            "text",
            "translation_en",
            "language",
            "said_on",
            "event",
            "citations",
            "review_state",
        ]
        read_only_fields = CURATED_READ_ONLY


class SourceSerializer(StrictModelSerializer):
    href = href("source-detail")
    countries_mentioned = country_field(many=True, required=False)

    class Meta:
        model = models.Source
        fields = [
            *CURATED_READ_ONLY,
            "title",
            "publisher",
            "url",
            "language",
            "published_on",
            "content_hash",
            "countries_mentioned",
            "text",
            "review_state",
        ]
        read_only_fields = [*CURATED_READ_ONLY, "content_hash"]


class SourceListSerializer(SourceSerializer):
    """Sources in a list leave out their full text (read it from the source's own page)."""

    class Meta(SourceSerializer.Meta):
        fields = [name for name in SourceSerializer.Meta.fields if name != "text"]


class CitationSerializer(StrictModelSerializer):
    href = href("citation-detail")
    source = EmbeddedRelatedField(SourceBriefSerializer, queryset=models.Source.objects.all())

    class Meta:
        model = models.Citation
        fields = [
            "id",
            "href",
            "uid",
            "source",
            "passage",
            "start",
            "end",
            "translation_en",
            *models.CITED_FIELDS,
        ]
        read_only_fields = ["id", "href", "uid"]
        extra_kwargs = {
            "start": {"required": False},
            "end": {"required": False},
            # Their labels in the browsable API's form read these relations.
            "office_held": {"queryset": models.OfficeHeld.objects.select_related("country")},
            "statement": {"queryset": models.Statement.objects.select_related("official")},
            "count_claim": {"queryset": models.CountClaim.objects.select_related("event")},
        }


class ReportedTotalSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    qualifier = serializers.CharField()
    counted = serializers.CharField()
    since = serializers.CharField(allow_null=True)
    until = serializers.CharField(allow_null=True)
    commission = serializers.IntegerField(allow_null=True, help_text="Commission id, if any.")
    sources = SourceBriefSerializer(many=True)


class SectorCountSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    count = serializers.IntegerField()


class RelationSerializer(serializers.Serializer):
    """One country pair: everything the tracker holds between the two."""

    pair = serializers.CharField(help_text="The two ISO codes in alphabetical order: RU-VE.")
    href = serializers.SerializerMethodField()
    countries = CountryBriefSerializer(many=True)
    agreement_count = serializers.IntegerField(help_text="Agreements itemised in the tracker.")
    first_signed_on = serializers.CharField(allow_null=True)
    last_signed_on = serializers.CharField(allow_null=True)
    event_count = serializers.IntegerField(help_text="Signing events between the two.")
    recent_events = EventBriefSerializer(
        many=True,
        help_text="The 10 latest events, newest first (undated last); /events/?country=… "
        "lists them all.",
    )
    reported_totals = ReportedTotalSerializer(
        many=True, help_text="Counts reported over a period (not per event), with their sources."
    )
    commissions = CommissionBriefSerializer(many=True)
    sectors = SectorCountSerializer(many=True, help_text="Itemised agreements per sector.")

    def get_href(self, summary: dict) -> str:
        path = django_reverse("relation-detail", kwargs={"pair": summary["pair"]})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class IngestRequestSerializer(StrictKeysMixin, serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, max_length=2 * 1024 * 1024)
    title = serializers.CharField(max_length=300, required=False, default="")
    url = serializers.URLField(max_length=500, required=False, default="")
    publisher = serializers.CharField(max_length=200, required=False, default="")
    published_on = serializers.DateField(required=False, allow_null=True, default=None)


class IngestedRecordSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()


class IngestResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text="False when the text was already a source.")
    source = SourceBriefSerializer()
    records = IngestedRecordSerializer(many=True, help_text="The draft records created.")
