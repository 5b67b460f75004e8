"""drf-spectacular extensions for the project's own fields, and the error responses every
operation can give."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.settings import api_settings


class EmbeddedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Responses embed the brief record; requests send it with at least its key."""

    target_class = "agreements.api.fields.EmbeddedRelatedField"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict:
        component = auto_schema.resolve_serializer(self.target.brief_serializer, direction)
        schema = component.ref
        if self.target.allow_null:
            return {"oneOf": [schema], "nullable": True}
        return schema


def error_formats() -> list[str]:
    """The media types an error can come in: those of the renderers the schema documents."""
    return [
        renderer.media_type
        for renderer in api_settings.DEFAULT_RENDERER_CLASSES
        if not issubclass(renderer, BrowsableAPIRenderer)
    ]


ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Not found."},
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Each key names the query parameter or field at fault (``non_field_errors`` for the "
        "record as a whole, ``detail`` for the request as a whole) and holds its messages; "
        "nested rows give their errors in the same shape."
    ),
    "additionalProperties": {},
    "example": {"signed_after": ["'2024-13' is not a partial date: month 13 does not exist."]},
}

# Status: (description, component), for the methods that can give it.
READS = {"get"}
WRITES = {"post", "put", "patch"}
ON_RECORDS = {"put", "patch", "delete"}
EVERY = READS | WRITES | {"delete"}
ERROR_RESPONSES: dict[str, tuple[set[str], str, str]] = {
    "400": (
        EVERY,
        "A query parameter or a field is wrong, unknown or missing, or the body cannot be "
        "parsed; each message names what is at fault.",
        "ValidationError",
    ),
    "401": (EVERY, "The credentials given are not valid, or a write came without any.", "Error"),
    "403": (WRITES | {"delete"}, "Only curators may write.", "Error"),
    "404": (EVERY, "No such record visible to you, or no such page.", "Error"),
    "406": (EVERY, "None of the formats in Accept (or ?format=) can be given.", "Error"),
    "409": ({"delete"}, "Other records refer to this one; the message counts them.", "Error"),
    "412": (ON_RECORDS, "If-Match does not match the record's current ETag.", "Error"),
    "413": (WRITES, "The body is larger than the server accepts.", "Error"),
    "415": (WRITES, "The body's Content-Type is not one of those documented.", "Error"),
    "428": (ON_RECORDS, "The request has no If-Match: say which version you change.", "Error"),
}
IF_MATCH = (
    "If-Match",
    "The ETag of the record as you read it: 412 if it changed since. `*` overwrites "
    "whatever is there.",
    True,
)
# Method: (header, description, whether required).
CONDITIONAL_HEADERS = {
    "get": [
        ("If-None-Match", "ETags of copies you hold: 304 if one is current.", False),
        ("If-Modified-Since", "An HTTP date: 304 if nothing changed since.", False),
    ],
    "put": [IF_MATCH],
    "patch": [IF_MATCH],
    "delete": [IF_MATCH],
}


def document_errors(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A postprocessing hook: add to every operation the error statuses it can answer (with
    the shape of their bodies, in every format: ``?format=`` is accepted everywhere), the
    conditional request headers it honours and its 304."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("ValidationError", VALIDATION_ERROR)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in EVERY:
                continue
            responses = operation.setdefault("responses", {})
            formats = error_formats()
            for code, (methods, description, component) in ERROR_RESPONSES.items():
                if method in methods and code not in responses:
                    responses[code] = {
                        "description": description,
                        "content": {
                            media_type: {"schema": _error_schema(media_type, component)}
                            for media_type in formats
                        },
                    }
            if method == "get":
                responses.setdefault("304", {"description": "Your copy is current."})
            parameters = operation.setdefault("parameters", [])
            named = {(parameter.get("in"), parameter.get("name")) for parameter in parameters}
            for name, description, required in CONDITIONAL_HEADERS.get(method, ()):
                if ("header", name) not in named:
                    parameters.append(
                        {
                            "in": "header",
                            "name": name,
                            "required": required,
                            "schema": {"type": "string"},
                            "description": description,
                        }
                    )
    return result


def _error_schema(media_type: str, component: str) -> dict:
    if media_type == "application/json":
        return {"$ref": f"#/components/schemas/{component}"}
    # Under ?format=csv an error is a one-row CSV of the same keys.
    return {"type": "string"}
