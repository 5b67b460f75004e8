"""``json`` fixtures with exact timestamps (see the package's docstring)."""

from django.core.serializers import json

from agreements.fixture_formats import ExactJSONEncoder

Deserializer = json.Deserializer


class Serializer(json.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
