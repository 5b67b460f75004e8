"""``jsonl`` fixtures with exact timestamps (see the package's docstring)."""

from django.core.serializers import jsonl

from agreements.fixture_formats import ExactJSONEncoder

Deserializer = jsonl.Deserializer


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
