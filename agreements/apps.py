from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from agreements import services
        from agreements.api import schema  # noqa: F401  (registers the OpenAPI extensions)
        from agreements.models.base import prepare_before_save

        post_migrate.connect(services.ensure_curators_group_after_migrate, sender=self)
        from agreements.models import Citation, OfficialName, Source

        for signal in (post_save, post_delete):
            signal.connect(
                services.official_names_changed,
                sender=OfficialName,
                dispatch_uid=f"official-names-{signal}",
            )

        for signal in (post_save, post_delete):
            signal.connect(
                services.refresh_cited_agreement, sender=Citation, dispatch_uid=f"cited-{signal}"
            )
        post_save.connect(
            services.refresh_agreements_of_source, sender=Source, dispatch_uid="source-refresh"
        )
        pre_save.connect(prepare_before_save, dispatch_uid="agreements_prepare_before_save")
        self._announce_changes(services.data_changed)
        post_migrate.connect(services.data_version_after_migrate, sender=self)
        self._keep_statistics(services)
        self._keep_official_records(services)

    def _keep_official_records(self, services: Any) -> None:
        """Every write to what an official's stored public record shows rebuilds the record
        (agreements/api/records.py)."""
        from agreements.models import Citation, Country, OfficeHeld, Official, OfficialName, Source

        post_save.connect(services.official_saved, sender=Official, dispatch_uid="record-official")
        for model in (OfficialName, OfficeHeld, Citation):
            name = model._meta.model_name
            pre_save.connect(
                services.remember_official, sender=model, dispatch_uid=f"record-before-{name}"
            )
            for signal in (post_save, post_delete):
                signal.connect(
                    services.official_part_changed,
                    sender=model,
                    dispatch_uid=f"record-{signal}-{name}",
                )
        post_save.connect(services.source_changed, sender=Source, dispatch_uid="record-source")
        post_save.connect(services.country_changed, sender=Country, dispatch_uid="record-country")

    def _keep_statistics(self, services: Any) -> None:
        """Every write to a pair's records recomputes the pair's statistics (statistics.py)."""
        from agreements.models import Agreement
        from agreements.relations import PAIR_MODELS

        for model in PAIR_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(
                    services.pair_records_changed,
                    sender=model,
                    dispatch_uid=f"statistics-{signal}-{model._meta.model_name}",
                )
        m2m_changed.connect(
            services.agreement_sectors_changed,
            sender=Agreement.sectors.through,
            dispatch_uid="statistics-sectors",
        )

    def _announce_changes(self, receiver: Any) -> None:
        """Every write to the app's data moves the data version (models/versions.py)."""
        for model in self.get_models():
            name = model._meta.model_name
            if name.startswith("historical") or name == "officialrecord":
                continue  # histories and read models change with the records they follow
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid=f"version-{signal}-{name}")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(receiver, sender=through, dispatch_uid=f"version-{through}")
