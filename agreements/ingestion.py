"""The article reader with the database's knowledge: countries' aliases, places and officials
that curators recorded, on top of the built-in gazetteer."""

import datetime

from agreements.extraction import Extraction, Gazetteer, extract


def extract_article(
    text: str, *, published_on: datetime.date | None = None, gazetteer: Gazetteer | None = None
) -> Extraction:
    return extract(text, gazetteer or Gazetteer.builtin(), published_on)
