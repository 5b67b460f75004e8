"""Reading news articles into findings, each with the span of text that supports it.

Plain Python over plain data: no Django, no database; give it a ``Gazetteer``.
"""

from agreements.extraction.extractor import Extraction, extract
from agreements.extraction.gazetteer import Gazetteer, OfficialRecord, PlaceRecord

__all__ = ["Extraction", "Gazetteer", "OfficialRecord", "PlaceRecord", "extract"]
