"""Fields that embed a related record when reading and take its key when writing."""

from collections.abc import Mapping
from typing import Any

from django.db import models
from rest_framework import serializers

from agreements.models import Country, ReviewState


def hidden_from_reader(record: models.Model, context: Mapping) -> bool:
    """A draft or reviewed record embedded in a published one stays hidden from the public."""
    state = getattr(record, "review_state", ReviewState.PUBLISHED)
    return state != ReviewState.PUBLISHED and not context.get("sees_drafts", False)


class EmbeddedRelatedField(serializers.RelatedField):
    """Reads as the related record in brief (``serializer``); writes as its key (``lookup``),
    given alone ("VE", 12) or as an object holding it ({"code": "VE"})."""

    default_error_messages = {
        "does_not_exist": "There is no {model} with {lookup} {value}.",
        "invalid": "Give the {lookup} of a {model}, or an object with it.",
    }

    def __init__(self, serializer: type[serializers.Serializer], lookup: str = "id", **kwargs: Any):
        self.brief_serializer = serializer
        self.lookup = lookup
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    def get_choices(self, cutoff: int | None = None) -> dict:
        # For the browsable API's forms: an option's value is the key a client would send.
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {getattr(item, self.lookup): self.display_value(item) for item in queryset}

    def to_representation(self, value: models.Model) -> dict | None:
        if hidden_from_reader(value, self.context):
            return None
        return self.brief_serializer(value, context=self.context).data

    def to_internal_value(self, data: Any) -> models.Model:
        key = data.get(self.lookup) if isinstance(data, Mapping) else data
        model = self.get_queryset().model
        names = {"model": model._meta.verbose_name, "lookup": self.lookup}
        if isinstance(key, bool) or not isinstance(key, str | int) or key == "":
            self.fail("invalid", **names)
        if self.lookup == "id" and not (isinstance(key, int) or (key.isascii() and key.isdigit())):
            self.fail("invalid", **names)
        if self.lookup != "id" and (not isinstance(key, str) or "\x00" in key or len(key) > 100):
            self.fail("invalid", **names)
        if self.lookup == "code":
            key = key.upper()
        try:
            return self.get_queryset().get(**{self.lookup: key})
        except (model.DoesNotExist, ValueError, OverflowError):
            self.fail("does_not_exist", value=str(key)[:40], **names)


class CountryBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_en", read_only=True)

    class Meta:
        model = Country
        fields = ["code", "name"]


def country_field(**kwargs: Any) -> EmbeddedRelatedField:
    return EmbeddedRelatedField(
        CountryBriefSerializer, lookup="code", queryset=Country.objects.all(), **kwargs
    )


class PartiesField(serializers.ListField):
    """The two parties of a bilateral record, by ISO code, ordered by code on output."""

    child = country_field()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=2, max_length=2, **kwargs)

    def get_attribute(self, instance: Any) -> list:
        return sorted(instance.parties, key=lambda country: country.code)

    def to_internal_value(self, data: Any) -> list:
        if not isinstance(data, list) or len(data) != 2:
            raise serializers.ValidationError('Give exactly two parties, such as ["RU", "VE"].')
        try:
            parties = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # One flat list of messages rather than {"1": [...]}.
            details = error.detail.values() if isinstance(error.detail, dict) else [error.detail]
            raise serializers.ValidationError([str(m) for d in details for m in d]) from error
        if parties[0] == parties[1]:
            raise serializers.ValidationError("The two parties must be two different countries.")
        return parties
