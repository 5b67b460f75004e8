"""Loads the 249 ISO countries with their CLDR names and aliases, and the sector taxonomy."""

from django.db import migrations

from agreements.reference import sync_countries, sync_sectors
from agreements.text import fold


def load_reference_data(apps, schema_editor):
    sync_countries(
        apps.get_model("agreements", "Country"), apps.get_model("agreements", "CountryAlias"), fold
    )
    sync_sectors(apps.get_model("agreements", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
