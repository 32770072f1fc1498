"""The shape of each mapping file (marshmallow): types, required fields, allowed values.

Unknown keys are refused (marshmallow's default), so a misspelt key is reported, not ignored.
"""

import isodate
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lrs_bridge.journey.model import MODULE_TYPES, OUTCOMES, PHASE_KINDS, VERB_MEANINGS
from lrs_bridge.xapi.formats import is_iri

ANCHORS = ("start_date", "role_start_date", "leave_date")
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*\Z"
_ID = validate.Regexp(ID_PATTERN, error="must be lower-case letters, digits, '.', '_' or '-'")


class Duration(fields.Field):
    """An ISO 8601 duration such as P30D or PT20M, loaded with isodate."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("must be an ISO 8601 duration such as P30D")
        try:
            parsed = isodate.parse_duration(value)
        except (isodate.ISO8601Error, ValueError, OverflowError):
            raise ValidationError(f"{value!r} is not an ISO 8601 duration such as P30D") from None
        if isodate.duration_isoformat(parsed).startswith("-"):
            raise ValidationError("must not be negative")
        return parsed


class Iri(fields.String):
    """An absolute IRI, as xAPI wants for activity and verb ids."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_iri(text):
            raise ValidationError(f"{text!r} is not an absolute IRI")
        return text


def _id(**kwargs):
    return fields.String(validate=_ID, **kwargs)


def _level(**kwargs):
    return fields.Integer(strict=True, **kwargs)


class _Object(Schema):
    """An object of a mapping file: `key: value` lines, not a single value."""

    error_messages = {"type": "must be an object (`key: value` lines), not a single value"}


class TextSchema(_Object):
    error_messages = {"type": "must be a text in English and Dutch: {en: ..., nl: ...}"}

    en = fields.String(required=True, validate=validate.Length(min=1))
    nl = fields.String(required=True, validate=validate.Length(min=1))


class PhaseSchema(_Object):
    id = _id(required=True)
    name = fields.Nested(TextSchema, required=True)
    # Marks the phase the journey metrics read as onboarding or offboarding (README: Journey
    # metrics); without it, the phase with that id is taken.
    kind = fields.String(validate=validate.OneOf(PHASE_KINDS))


class ScaleSchema(_Object):
    min = _level(required=True)
    max = _level(required=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["min"] >= data["max"]:
            raise ValidationError("min must be below max", "max")


class SkillSchema(_Object):
    id = _id(required=True)
    name = fields.Nested(TextSchema, required=True)
    scale = fields.Nested(ScaleSchema)
    uri = Iri()
    valid_for = Duration()
    # What the object is in each LMS, by connector kind (README: Connectors), e.g.
    # {moodle: {cmid: 42}}; each connector checks its own part.
    lms = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)


class RoleSchema(_Object):
    id = _id(required=True)
    name = fields.Nested(TextSchema, required=True)
    skills = fields.Dict(keys=_id(), values=_level(), load_default=dict)
    paths = fields.List(_id(), load_default=list)


class GrantSchema(_Object):
    skill = _id(required=True)
    level = _level(required=True)
    outcome = fields.String(validate=validate.OneOf(OUTCOMES), load_default="completed")
    min_score = fields.Float(validate=validate.Range(-1, 1))


class ModuleSchema(_Object):
    id = _id(required=True)
    activity = Iri()
    activity_prefix = Iri()
    title = fields.Nested(TextSchema, required=True)
    type = fields.String(required=True, validate=validate.OneOf(MODULE_TYPES))
    phase = _id(required=True)
    duration = Duration()
    skills = fields.List(fields.Nested(GrantSchema), load_default=list)
    # What the object is in each LMS, by connector kind (README: Connectors), e.g.
    # {moodle: {cmid: 42}}; each connector checks its own part.
    lms = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)

    @validates_schema
    def _one_match(self, data, **kwargs):
        if ("activity" in data) == ("activity_prefix" in data):
            raise ValidationError("give exactly one of activity and activity_prefix", "activity")


class StepSchema(_Object):
    module = _id(required=True)
    due = Duration()
    outcome = fields.String(validate=validate.OneOf(OUTCOMES), load_default="completed")
    optional = fields.Boolean(load_default=False)
    prerequisites = fields.List(_id(), load_default=list)


class Audience(fields.Field):
    """`all`, or a list of role ids."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "all":
            return None
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ValidationError("must be `all` or a list of role ids")


class PathSchema(_Object):
    id = _id(required=True)
    name = fields.Nested(TextSchema, required=True)
    phase = _id(required=True)
    audience = Audience(load_default=None, allow_none=False)
    anchor = fields.String(validate=validate.OneOf(ANCHORS), load_default="start_date")
    steps = fields.List(fields.Nested(StepSchema), required=True,
                        validate=validate.Length(min=1, error="a path needs at least one step"))
    # What the object is in each LMS, by connector kind (README: Connectors), e.g.
    # {moodle: {cmid: 42}}; each connector checks its own part.
    lms = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)


class AlertsSchema(_Object):
    stalled_after = Duration()
    failures_before_alert = fields.Integer(strict=True, validate=validate.Range(min=1))
    expiry_warning = Duration()


def _file(key: str, value: fields.Field) -> type[Schema]:
    return Schema.from_dict({key: value}, name=f"{key.title()}File")


# The files that hold one object rather than a list (the list files are read item by item).
FILE_SCHEMAS = {
    "verbs": _file("verbs", fields.Dict(keys=Iri(), values=fields.String(
        validate=validate.OneOf(VERB_MEANINGS)), required=True)),
    "alerts": _file("alerts", fields.Nested(AlertsSchema, required=True)),
}
