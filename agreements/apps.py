from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from agreements import services
        from agreements.api import schema  # noqa: F401  (registers the OpenAPI extensions)
        from agreements.models.base import prepare_before_save

        post_migrate.connect(services.ensure_curators_group_after_migrate, sender=self)
        pre_save.connect(prepare_before_save, dispatch_uid="agreements_prepare_before_save")
