"""What every API serializer and view shares: strict input, the model's own validation,
visibility of drafts, strict query strings, ETags."""

import copy
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agreements.api.conditional import ConditionalGetMixin, content_matches, tag_for_write
from agreements.models.base import can_see_drafts

# Model fields that the API shows under another name.
FIELD_ALIASES = {"party_a": "parties", "party_b": "parties", NON_FIELD_ERRORS: "non_field_errors"}


def django_errors_to_api(error: DjangoValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        errors.setdefault(FIELD_ALIASES.get(field, field), []).extend(messages)
    return errors


class StrictKeysMixin:
    """A key the representation does not have is a 400 naming it (a typo must not be ignored);
    nested rows (names, signatories) use this too."""

    def to_internal_value(self, data: Any) -> dict:
        if isinstance(data, Mapping):
            unknown = [name for name in data if name not in self.fields]
            if unknown:
                raise ValidationError({str(name)[:60]: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """Refuses what a client may not set, and validates like the admin does.

    - A field the resource does not have is a 400 naming it (a typo must not be ignored).
    - A read-only field (id, uid, hashes, timestamps, derived lists) may be sent back unchanged,
      so that a GET can be PUT again, but any other value is a 400.
    - The model's ``full_clean()`` runs on the would-be record, so constraints and ``clean()``
      give the same messages as in the admin.
    """

    # Writable fields that are not model fields and are saved by the serializer itself.
    extra_write_fields: tuple[str, ...] = ()

    def to_internal_value(self, data: Any) -> dict:
        if isinstance(data, Mapping):
            self._refuse_unknown_and_read_only(data)
        return super().to_internal_value(data)

    def _refuse_unknown_and_read_only(self, data: Mapping) -> None:
        errors = {}
        current = None
        for name in data:
            field = self.fields.get(name)
            if field is None:
                errors[name] = ["Unknown field."]
            elif field.read_only:
                if self.instance is not None and current is None:
                    current = self.to_representation(self.instance)
                if current is None or data[name] != current.get(name):
                    errors[name] = ["This field is read-only: the server sets it."]
        if errors:
            raise ValidationError(errors)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name == "parties":
                candidate.party_a, candidate.party_b = value
            elif name not in many_to_many and name not in self.extra_write_fields:
                setattr(candidate, name, value)
        exclude = [field.name for field in model._meta.fields if not field.editable]
        try:
            candidate.full_clean(exclude=exclude)
        except DjangoValidationError as error:
            raise ValidationError(django_errors_to_api(error)) from error
        return attrs

    def _model_attrs(self, attrs: dict) -> tuple[dict, dict]:
        """Split validated data into model fields and what the serializer saves itself."""
        model_attrs, extra = {}, {}
        for name, value in attrs.items():
            if name == "parties":
                model_attrs["party_a"], model_attrs["party_b"] = value
            elif name in self.extra_write_fields:
                extra[name] = value
            else:
                model_attrs[name] = value
        return model_attrs, extra

    def save_extra(self, instance: models.Model, extra: dict) -> None:
        """Save the ``extra_write_fields`` (nested lists) of ``instance``."""

    @transaction.atomic
    def create(self, validated_data: dict) -> models.Model:
        model_attrs, extra = self._model_attrs(validated_data)
        instance = super().create(model_attrs)
        self.save_extra(instance, extra)
        return instance

    @transaction.atomic
    def update(self, instance: models.Model, validated_data: dict) -> models.Model:
        model_attrs, extra = self._model_attrs(validated_data)
        instance = super().update(instance, model_attrs)
        self.save_extra(instance, extra)
        return instance


def replace_children(
    manager: Any, rows: Iterable[Mapping], key: tuple[str, ...], **parent: Any
) -> None:
    """Make the children under ``manager`` exactly ``rows``, keeping those whose ``key`` matches
    (so their history continues) and deleting and creating the rest."""
    wanted = {tuple(row[name] for name in key): row for row in rows}
    for child in list(manager.all()):
        identity = tuple(getattr(child, name) for name in key)
        if identity in wanted:
            row = wanted.pop(identity)
            changed = [name for name, value in row.items() if getattr(child, name) != value]
            for name in changed:
                setattr(child, name, row[name])
            if changed:
                child.save()
        else:
            child.delete()
    for row in wanted.values():
        manager.model.objects.create(**parent, **row)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record has changed since you read it (If-Match does not match its ETag). "
        "Read it again and reapply your change."
    )
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "This write must be conditional: send the record's ETag (from a GET) as If-Match, so "
        "that a change made since you read it is not overwritten. If-Match: * overwrites "
        "whatever is there."
    )
    default_code = "precondition_required"


class ReaderContextMixin:
    """Serializers learn whether the reader may see drafts (embedded records included)."""

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["sees_drafts"] = self.sees_drafts()
        return context

    def sees_drafts(self) -> bool:
        model = self.get_queryset_model()
        return can_see_drafts(self.request.user, model)

    def get_queryset_model(self) -> type[models.Model]:
        return self.queryset.model


class ETagMixin(ConditionalGetMixin):
    """Reads carry ETags (``conditional.py``). An update or delete must say which version it
    changes: without If-Match it gets 428, with a stale one 412, and nothing is written, so
    that two curators cannot silently overwrite each other. ``If-Match: *`` is the explicit
    "overwrite whatever is there". The schema hook (``schema.py``) documents all this."""

    def check_if_match(self, instance: models.Model) -> None:
        header = (self.request.headers.get("If-Match") or "").strip()
        if not header:
            raise PreconditionRequired()
        if header == "*":
            return
        if not content_matches(header, self.get_serializer(instance).data):
            raise PreconditionFailed()

    @transaction.atomic
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.lock_and_check()
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        response = Response(self.fresh_representation(serializer.instance))
        response["ETag"] = tag_for_write(response.data, request, self.audience())
        return response

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        data = self.fresh_representation(serializer.instance)
        tag = tag_for_write(data, request, self.audience())
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": tag})

    def fresh_representation(self, instance: models.Model) -> dict:
        # Read back through get_queryset(): the same prefetching as a GET, not a query per row.
        return self.get_serializer(self.get_queryset().get(pk=instance.pk)).data

    def lock_and_check(self) -> models.Model:
        """Lock the row for the rest of the transaction, then read it and compare If-Match: a
        concurrent writer waits for the lock and then sees the new ETag. (The record must be
        read after the lock: compared as it was read before, both writers would match.)"""
        key = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        rows = self.queryset.model.objects.select_for_update()
        rows.filter(**{self.lookup_field: key}).exists()
        instance = self.get_object()  # 404 and object permissions, on what the lock protects
        self.check_if_match(instance)
        return instance

    @transaction.atomic
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.lock_and_check()
        try:
            with transaction.atomic():
                self.perform_destroy(instance)
                return Response(status=status.HTTP_204_NO_CONTENT)
        except (ProtectedError, RestrictedError) as error:
            blockers = Counter(
                record._meta.verbose_name_plural for record in error.protected_objects
            )
            listed = ", ".join(f"{count} {name}" for name, count in sorted(blockers.items()))
            raise Conflict(
                f"This record cannot be deleted while other records refer to it: {listed}."
            ) from error
