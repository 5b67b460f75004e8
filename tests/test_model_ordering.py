"""Every model's default ordering is total: rows that tie on the named fields would come back
in whatever order the database likes, and the same record could then serialise differently
from one read to the next (an ETag that changes while nothing did, a spurious 412)."""

import pytest
from django.apps import apps
from django.db import models

MODELS = [model for model in apps.get_app_config("agreements").get_models() if model._meta.ordering]


def _is_total(model: type[models.Model]) -> bool:
    names = [field.lstrip("-") for field in model._meta.ordering]
    if names[-1] in ("pk", "id"):
        return True
    if any(model._meta.get_field(name).unique for name in names if "__" not in name):
        return True
    unique_sets = [set(fields) for fields in model._meta.unique_together] + [
        set(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    return any(unique <= set(names) for unique in unique_sets)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_default_ordering_never_ties(model):
    assert _is_total(model), f"{model.__name__}.Meta.ordering = {model._meta.ordering}"
