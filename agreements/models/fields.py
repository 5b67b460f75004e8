"""The partial-date model field and its range lookups."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from agreements.partial_dates import FORMAT_HELP, SQL_PATTERN, PartialDate


def validate_partial_date(value: str) -> None:
    try:
        PartialDate(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_partial_date") from error


class PartialDateFormField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", FORMAT_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "YYYY, YYYY-MM or YYYY-MM-DD")
        self.widget.attrs.setdefault("size", 12)

    def to_python(self, value: Any) -> PartialDate | str | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return PartialDate(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error


class PartialDateField(models.CharField):
    """A date of year, month or day precision, stored as its ISO 8601 string.

    The string form orders correctly ("2004" < "2004-03" < "2004-03-05" < "2005") on both
    engines, and the range lookups below treat "2004" as the whole year.
    """

    description = "A date known to the year, the month or the day"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 10
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        # The column's check constraint (partial_date_format_constraint) already holds it.
        return None if value is None else PartialDate.trusted(value)

    def to_python(self, value: Any) -> PartialDate | None:
        if value is None or value == "":
            return None
        if isinstance(value, PartialDate):
            return value
        try:
            return PartialDate(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        return None if value in (None, "") else str(value)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


def partial_date_format_constraint(field_name: str) -> models.CheckConstraint:
    """The database's own check that a stored partial date has a valid shape."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__regex": SQL_PATTERN}),
        name=f"%(app_label)s_%(class)s_{field_name}_format",
        violation_error_message=f"{field_name}: {FORMAT_HELP}",
    )


class _PartialDateRangeLookup(models.Lookup):
    def get_prep_lookup(self) -> str:
        try:
            return self.bound(PartialDate(self.rhs)).isoformat()
        except (TypeError, ValueError) as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error


@PartialDateField.register_lookup
class MayBeOnOrAfter(_PartialDateRangeLookup):
    """Some day of the stored period falls on or after the start of the given (partial) date.

    The period of a stored value V ends on or after day D exactly when V >= D cut to V's length.
    """

    lookup_name = "may_be_on_or_after"

    @staticmethod
    def bound(value: PartialDate):
        return value.start

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        exact = f"{lhs} >= SUBSTR({rhs}, 1, LENGTH({lhs}))"
        exact_params = [*lhs_params, *rhs_params, *lhs_params]
        if rhs != "%s" or len(rhs_params) != 1:
            return exact, exact_params
        # Every stored value has at least a year, so it is >= the bound's year: an index range.
        return f"{lhs} >= %s AND {exact}", [*lhs_params, rhs_params[0][:4], *exact_params]


@PartialDateField.register_lookup
class MayBeOnOrBefore(_PartialDateRangeLookup):
    """Some day of the stored period falls on or before the end of the given (partial) date.

    The period of a stored value V starts on or before day D exactly when V <= D as strings.
    """

    lookup_name = "may_be_on_or_before"

    @staticmethod
    def bound(value: PartialDate):
        return value.end

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} <= {rhs}", [*lhs_params, *rhs_params]


class OrderedIndex(models.Index):
    """An index on ordered expressions that SQLite can build too.

    SQLite refuses NULLS FIRST/LAST in an index, but already sorts NULL lowest: a descending
    column there is NULLS LAST by itself, which is all this project's indexes ask for.
    """

    def create_sql(self, model: type[models.Model], schema_editor: Any, **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, **kwargs)
        portable = self.clone()
        portable.expressions = tuple(
            models.OrderBy(term.expression, descending=term.descending)
            if isinstance(term, models.OrderBy)
            else term
            for term in self.expressions
        )
        return super(OrderedIndex, portable).create_sql(model, schema_editor, **kwargs)


class Constant(models.Value):
    """A word written into the SQL itself rather than bound as a parameter.

    A partial index (``WHERE review_state = 'published'``) serves a query only where the
    planner can prove its condition from the query's own: SQLite, given the state as a bound
    parameter, still read every counted row from the table to check it (an exact count of a
    pair's 14,000 agreements at 100,000 took 23 ms instead of 0.8), and a prepared statement's
    generic plan on PostgreSQL cannot use such an index at all. Only plain words are taken, so
    no quoting is needed.
    """

    def __init__(self, word: str) -> None:
        if not (word.isascii() and word.replace("_", "").isalnum()):
            raise ValueError(f"Not a plain word: {word!r}")
        super().__init__(str(word), output_field=models.CharField())

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        return f"'{self.value}'", []
