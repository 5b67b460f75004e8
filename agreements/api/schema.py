"""drf-spectacular extensions for the project's own fields."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class EmbeddedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Responses embed the brief record; requests send it with at least its key."""

    target_class = "agreements.api.fields.EmbeddedRelatedField"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict:
        component = auto_schema.resolve_serializer(self.target.brief_serializer, direction)
        schema = component.ref
        if self.target.allow_null:
            return {"oneOf": [schema], "nullable": True}
        return schema
