"""The statement's object, dispatched on objectType, and Statement References (Data §2.4.4)."""

from marshmallow import Schema, ValidationError

from lrs_bridge.schemas.activities import ACTIVITY
from lrs_bridge.schemas.agents import AGENT, GROUP
from lrs_bridge.schemas.fields import Choice, DispatchField, Format, XAPISchema
from lrs_bridge.schemas.verbs import VOIDED
from lrs_bridge.xapi.formats import is_uuid

OBJECT_TYPES = ("Activity", "Agent", "Group", "StatementRef", "SubStatement")
VOIDING_OBJECT = "must be StatementRef: a voiding statement's object is the statement it voids"


def is_voiding(statement: dict) -> bool:
    """True when the statement uses the reserved voided verb (Data §2.3.2)."""
    verb = statement.get("verb")
    return type(verb) is dict and verb.get("id") == VOIDED


class StatementRefSchema(XAPISchema):
    """A pointer to another statement by its id."""

    objectType = Choice("StatementRef", required=True)
    id = Format(is_uuid, "must be a UUID", required=True)


STATEMENT_REF = StatementRefSchema()


class ObjectField(DispatchField):
    """An Activity (when objectType is absent), Agent, Group, StatementRef or SubStatement.

    `substatement` is the schema for SubStatements, or None where they are not allowed:
    inside a SubStatement, which cannot nest (Data §2.4.4.3.s8.b4).
    """

    default_error_messages = {"invalid": "must be an object"}

    def __init__(self, substatement: Schema | None = None, **kwargs):
        super().__init__(**kwargs)
        self.schemas = {None: ACTIVITY, "Activity": ACTIVITY, "Agent": AGENT, "Group": GROUP,
                        "StatementRef": STATEMENT_REF, "SubStatement": substatement}

    def schema_for(self, value: dict):
        """The schema for this objectType, or None when it is not allowed here."""
        kind = value.get("objectType")
        return self.schemas.get(kind) if kind is None or type(kind) is str else None

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not dict:
            raise self.make_error("invalid")
        # The statement's rule also checks this; saying it here names the real problem when
        # the object is otherwise invalid too, e.g. a bare {"id": <uuid>} read as an Activity.
        if type(data) is dict and is_voiding(data) and value.get("objectType") != "StatementRef":
            raise ValidationError({"objectType": [VOIDING_OBJECT]})
        schema = self.schema_for(value)
        if schema is None:
            raise ValidationError({"objectType": [self._kind_message(value["objectType"])]})
        return self.validate_with(schema, value)

    def _kind_message(self, kind) -> str:
        if kind == "SubStatement":
            return "must not be SubStatement: a SubStatement cannot contain another"
        return "must be one of " + ", ".join(name for name in OBJECT_TYPES if self.schemas[name])
