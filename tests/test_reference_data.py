import pytest
from django.contrib.auth.models import Group, Permission

from agreements.models import Country, CountryAlias, Sector
from agreements.reference import SECTORS
from agreements.services import CURATORS_GROUP


def test_all_249_iso_countries_exist_after_migrate(db):
    assert Country.objects.count() == 249


def test_country_names_come_from_cldr_in_six_languages(db):
    venezuela = Country.objects.get(code="VE")
    assert (venezuela.alpha3, venezuela.name_en) == ("VEN", "Venezuela")
    assert venezuela.name_ar == "فنزويلا"
    assert (venezuela.name_es, venezuela.name_ru, venezuela.name_fr, venezuela.name_zh) == (
        "Venezuela",
        "Венесуэла",
        "Venezuela",
        "委内瑞拉",
    )


def test_countries_are_found_by_any_name_alias_or_misspelling(db):
    for term in ["Venezuela", "فنزويلا", "Венесуэла", "فنزيلا", "Venezuelan", "كراكاس"]:
        assert list(Country.objects.search(term).values_list("code", flat=True)) == ["VE"], term


@pytest.mark.parametrize("code", ["GB", "gb", "GBR"])
def test_a_country_is_found_by_its_iso_codes(db, code):
    # Neither code is part of the name "United Kingdom": only the code match finds it.
    assert list(Country.objects.search(code).values_list("code", flat=True)) == ["GB"]


def test_a_capital_is_an_alias_of_its_state(db):
    alias = CountryAlias.objects.get(text="Moscow")
    assert (alias.country.code, alias.kind) == ("RU", CountryAlias.Kind.CAPITAL)


def test_country_search_misses_what_is_not_a_country(db):
    assert not Country.objects.search("Atlantis").exists()


def test_the_sector_taxonomy_exists_with_arabic_names(db):
    assert Sector.objects.count() == len(SECTORS) == 34
    drones = Sector.objects.get(slug="drones")
    assert (drones.name_ar, drones.parent.slug) == ("طائرات مسيرة", "military")


def test_the_curators_group_holds_every_permission_of_the_app(db):
    group = Group.objects.get(name=CURATORS_GROUP)
    expected = Permission.objects.filter(content_type__app_label="agreements")
    assert set(group.permissions.all()) == set(expected)
    assert group.permissions.filter(codename="change_agreement").exists()
    assert group.permissions.filter(codename="view_historicalagreement").exists()
