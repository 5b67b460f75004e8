"""Request bodies: bounded in size, strict JSON, and a clear 4xx for whatever cannot be read.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` guards ``request.body`` (which DRF reads for JSON and
forms) and form fields, but not a multipart body's file parts; the check here covers every
body, before any of it is read. ``errors.exception_handler`` turns Django's own refusal into
the same 413.
"""

import codecs
from typing import Any

import orjson
from django.conf import settings
from django.utils.http import parse_header_parameters
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser, get_encoding


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(f"The request body is larger than {limit} bytes.")


class BoundedParserMixin:
    """A body longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 before any of it is read, and
    a charset nobody knows is a 415 (Django would quietly read the body as UTF-8)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            meta = request.META
            try:
                length = int(meta.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise too_large(limit)
        charset = parse_header_parameters(media_type or "")[1].get("charset")
        if charset is not None:
            try:
                codecs.lookup(charset)
            except LookupError as error:
                raise UnsupportedMediaType(
                    media_type, f"Unsupported charset {charset[:40]!r}: send UTF-8."
                ) from error
        return super().parse(stream, media_type, parser_context)


class StrictJSONParser(JSONParser):
    """JSON through orjson, which refuses what the standard library lets through and the
    database or the renderer would choke on later: lone surrogates ("\\ud800"), NaN and
    Infinity, and nesting deeper than 1,024 levels. (It reads integers beyond 64 bits as
    floats, which every integer field here refuses with a 400.)"""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = get_encoding(parser_context or {})
        raw = stream.read() if stream is not None else b""
        try:
            text = raw if codecs.lookup(encoding).name == "utf-8" else raw.decode(encoding)
            return orjson.loads(text)
        except (orjson.JSONDecodeError, UnicodeDecodeError) as error:
            raise ParseError(f"JSON parse error - {error}") from error


class BoundedJSONParser(BoundedParserMixin, StrictJSONParser):
    pass


class BoundedFormParser(BoundedParserMixin, FormParser):
    pass


class BoundedMultiPartParser(BoundedParserMixin, MultiPartParser):
    pass
