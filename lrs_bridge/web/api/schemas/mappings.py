"""The JSON of GET /api/v1/mappings (web.api.mappings builds it from the mapping model)."""

from marshmallow import Schema, fields

from lrs_bridge.web.api.schemas.common import moment, nested, text, texts


def _objects(description: str) -> fields.List:
    return fields.List(fields.Dict(), required=True, metadata={"description": description})


class MappingSchema(Schema):
    """The mapping files' content (README: Mappings), durations in ISO 8601."""

    phases = _objects("phases.yaml: the phases in order")
    skills = _objects("skills.yaml")
    roles = _objects("roles.yaml")
    modules = _objects("modules.yaml and modules/*.yaml")
    paths = _objects("paths.yaml")
    verbs = fields.Dict(required=True, metadata={"description": "verb IRI -> meaning"})
    alerts = fields.Dict(required=True, metadata={"description": "alerts.yaml"})


class RefusedSchema(Schema):
    version = text("the version of the files refused")
    problems = texts("what is wrong with them")


class MappingsSchema(Schema):
    folder = text("the mappings folder")
    version = text("the version in use (a hash of the files)", nullable=True)
    loaded_at = moment("when it was loaded", nullable=True)
    refused = nested(RefusedSchema, "a newer version that was refused", nullable=True)
    mapping = nested(MappingSchema, "the mapping in use", nullable=True)
