"""Small service functions: the rules that span models or need a user."""

from collections.abc import Iterable
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from agreements import statistics
from agreements.api.records import refresh_official_records
from agreements.models import (
    Agreement,
    Bilateral,
    Citation,
    OfficeHeld,
    Official,
    ReviewState,
    Source,
    bump_data_version,
)
from agreements.models.agreements import refresh_search_text

CURATORS_GROUP = "curators"


def ensure_curators_group() -> Group:
    """The ``curators`` group holds every permission of the agreements app, history included."""
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    permissions = Permission.objects.filter(content_type__app_label="agreements")
    group.permissions.add(*permissions)
    return group


def ensure_curators_group_after_migrate(
    app_config: Any, apps: Any = global_apps, **kwargs: Any
) -> None:
    # Permissions are created by contrib.auth's own post_migrate handler, which runs first
    # because django.contrib.auth comes before agreements in INSTALLED_APPS.
    ensure_curators_group()


def data_changed(sender: type, using: str = "default", **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        bump_data_version(using)


def data_version_after_migrate(app_config: Any, using: str = "default", **kwargs: Any) -> None:
    # A migration may change data (reference data, backfills), and flush empties the tables:
    # readers must not keep old copies, and the derived statistics are recomputed from scratch.
    statistics.refresh_pairs(None, using)
    try:
        kwargs.get("apps", global_apps).get_model("agreements", "OfficialRecord")
    except LookupError:
        pass  # migrated back to before the officials' records were stored
    else:
        refresh_official_records(None, using)
    bump_data_version(using)


def pair_records_changed(
    sender: type, instance: Any, using: str = "default", **kwargs: Any
) -> None:
    """An agreement, event, commission or count claim was saved or deleted: recompute its pair,
    and the pair it was loaded with if its parties changed."""
    pairs = {statistics.pair_of(instance), getattr(instance, "loaded_pair", None)}
    statistics.refresh_pairs((pair for pair in pairs if pair and None not in pair), using)


def agreement_sectors_changed(
    sender: type,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set | None,
    using: str = "default",
    **kwargs: Any,
) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        statistics.refresh_pairs([statistics.pair_of(instance)], using)
    elif pk_set is None:  # a sector's agreements cleared: rare enough to recount everything
        statistics.refresh_pairs(None, using)
    else:
        agreements = Agreement.objects.using(using).filter(pk__in=pk_set)
        statistics.refresh_pairs(agreements.values_list("party_a", "party_b"), using)


def refresh_cited_agreement(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.agreement_id:
        refresh_search_text([instance.agreement_id])


def refresh_agreements_of_source(sender: type, instance: Any, **kwargs: Any) -> None:
    cited = instance.citations.exclude(agreement=None).values_list("agreement_id", flat=True)
    refresh_search_text(list(cited))


def set_review_state(
    queryset: QuerySet, state: ReviewState, *, user: AbstractBaseUser | None
) -> int:
    """Move records to ``state``, recording one history entry per changed record."""
    model = queryset.model
    with transaction.atomic():
        pks = list(queryset.exclude(review_state=state).values_list("pk", flat=True))
        changed = list(model.objects.filter(pk__in=pks).select_for_update())
        now = timezone.now()
        for record in changed:
            record.review_state = state
            record.updated_at = now
        bulk_update_with_history(
            changed,
            model,
            ["review_state", "updated_at"],
            default_user=user,
            default_change_reason=f"Marked {ReviewState(state).label.lower()}",
        )
        bump_data_version(queryset.db)  # bulk updates send no post_save
        pks = [record.pk for record in changed]
        refresh_official_records(officials_shown_by(model, pks, queryset.db), queryset.db)
        if issubclass(model, Bilateral):
            statistics.refresh_pairs((record.party_a_id, record.party_b_id) for record in changed)
        if model._meta.model_name == "source":
            # Published sources' passages are searchable in the agreements they support.
            cited = Citation.objects.filter(source__in=changed).exclude(agreement=None)
            refresh_search_text(list(cited.values_list("agreement_id", flat=True)))
    return len(changed)


def official_names_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """An official's other names are part of its search column (``Official.search_names``).
    Kept by these signals: a bulk write or update() of names would have to call this too."""
    origin = kwargs.get("origin")
    if isinstance(origin, Official) or getattr(origin, "model", None) is Official:
        return  # the names go because their official does
    officials = Official.objects.using(using).filter(pk=instance.official_id)
    official = officials.only("search_name").first()
    if official is not None:
        officials.update(search_names=official.joined_search_names(using))


def official_saved(sender: type, instance: Official, using: str, **kwargs: Any) -> None:
    refresh_official_records([instance.pk], using)


def remember_official(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """Before a name, office or citation is saved: the official it belonged to, whose stored
    record must lose it if it moves to another."""
    if instance.pk is not None:
        previous = sender.objects.using(using).filter(pk=instance.pk)
        instance.previous_official_id = previous.values_list("official_id", flat=True).first()


def official_part_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """A name, office or citation was saved or deleted: its official's stored record shows it."""
    origin = kwargs.get("origin")
    if isinstance(origin, Official) or getattr(origin, "model", None) is Official:
        return  # deleted with its official
    previous = getattr(instance, "previous_official_id", None)
    refresh_official_records({instance.official_id, previous}, using)


def source_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    refresh_official_records(officials_shown_by(Source, [instance.pk], using), using)


def country_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """Officials show their country's name, and their offices its code."""
    of_country = Official.objects.using(using).filter(
        Q(country_id=instance.pk) | Q(offices__country_id=instance.pk)
    )
    refresh_official_records(of_country.values_list("pk", flat=True).distinct(), using)


def officials_shown_by(model: type, pks: list[int], using: str) -> Iterable[int | None]:
    """The ids of the officials whose stored records show the records ``pks`` of ``model``."""
    if model is Official:
        return pks
    if model is Source:
        return (
            Citation.objects.using(using)
            .filter(source_id__in=pks)
            .values_list("official_id", flat=True)
        )
    if model is OfficeHeld:  # the one part with a review state of its own
        return model.objects.using(using).filter(pk__in=pks).values_list("official_id", flat=True)
    return []
