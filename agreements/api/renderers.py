from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from rest_framework.renderers import JSONRenderer

_FALLBACK = DjangoJSONEncoder()


class ORJSONRenderer(JSONRenderer):
    """JSON through orjson: several times faster than the standard library on large pages."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_FALLBACK.default, option=orjson.OPT_NON_STR_KEYS)
