"""factory_boy factories; countries and sectors come from the migrations, never from here."""

import factory
from django.contrib.auth import get_user_model

from agreements import models
from agreements.services import ensure_curators_group


def country(code: str) -> models.Country:
    return models.Country.objects.get(code=code)


def sector(slug: str) -> models.Sector:
    return models.Sector.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class CuratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def curators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(ensure_curators_group())


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Place

    name = factory.Sequence(lambda n: f"Place {n}")
    country = factory.LazyFunction(lambda: country("VE"))


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Official

    name = factory.Sequence(lambda n: f"Official {n}")
    country = factory.LazyFunction(lambda: country("VE"))


class OfficeHeldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OfficeHeld

    official = factory.SubFactory(OfficialFactory)
    country = factory.SelfAttribute("official.country")
    role = models.OfficeHeld.Role.MINISTER
    title = "Minister of Energy"


class SigningEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SigningEvent

    name = factory.Sequence(lambda n: f"Signing {n}")
    party_a = factory.LazyFunction(lambda: country("VE"))
    party_b = factory.LazyFunction(lambda: country("RU"))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    party_a = factory.LazyFunction(lambda: country("VE"))
    party_b = factory.LazyFunction(lambda: country("RU"))

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.add(*extracted)


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Commission

    name = factory.Sequence(lambda n: f"Commission {n}")
    party_a = factory.LazyFunction(lambda: country("VE"))
    party_b = factory.LazyFunction(lambda: country("RU"))


class CountClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CountClaim

    value = 17
    party_a = factory.LazyFunction(lambda: country("VE"))
    party_b = factory.LazyFunction(lambda: country("RU"))


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Statement

    official = factory.SubFactory(OfficialFactory)
    text = "We signed seventeen agreements today."
    language = "en"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Article {n}")
    language = "en"
    text = factory.Sequence(
        lambda n: f"Article {n}. Venezuela and Russia signed 17 agreements in Caracas on Thursday."
    )


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Citation

    source = factory.SubFactory(SourceFactory)
    passage = "signed 17 agreements"
    agreement = factory.SubFactory(AgreementFactory)


# The factory of each curated API resource, by its URL segment.
FACTORY_OF_RESOURCE = {
    "places": PlaceFactory,
    "officials": OfficialFactory,
    "offices": OfficeHeldFactory,
    "agreements": AgreementFactory,
    "events": SigningEventFactory,
    "commissions": CommissionFactory,
    "claims": CountClaimFactory,
    "statements": StatementFactory,
    "sources": SourceFactory,
    "citations": CitationFactory,
}
