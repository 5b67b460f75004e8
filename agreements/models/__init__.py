from agreements.models.agreements import (
    Agreement,
    Commission,
    CountClaim,
    Sector,
    Signatory,
    SigningEvent,
    Statement,
)
from agreements.models.base import Bilateral, Curated, Language, ReviewState
from agreements.models.fields import PartialDateField
from agreements.models.geography import Country, CountryAlias, Place, PlaceName
from agreements.models.people import OfficeHeld, Official, OfficialName, OfficialRecord
from agreements.models.sources import CITED_FIELDS, Citation, Source, citation_field_for
from agreements.models.versions import bump_data_version, current_data_version

__all__ = [
    "CITED_FIELDS",
    "Agreement",
    "Bilateral",
    "Citation",
    "Commission",
    "CountClaim",
    "Country",
    "CountryAlias",
    "Curated",
    "Language",
    "OfficeHeld",
    "Official",
    "OfficialName",
    "OfficialRecord",
    "PartialDateField",
    "Place",
    "PlaceName",
    "ReviewState",
    "Sector",
    "Signatory",
    "SigningEvent",
    "Source",
    "Statement",
    "bump_data_version",
    "citation_field_for",
    "current_data_version",
]
