"""Statements and SubStatements, with the rules that span their properties (Data §2.4)."""

from marshmallow import ValidationError

from lrs_bridge.schemas.agents import AUTHORITY_GROUP, ActorField
from lrs_bridge.schemas.attachments import ATTACHMENT
from lrs_bridge.schemas.context import CONTEXT, CONTEXT_2
from lrs_bridge.schemas.fields import Arr, Choice, Forbidden, Format, Obj, XAPISchema, XField, rule
from lrs_bridge.schemas.objects import VOIDING_OBJECT, ObjectField, is_voiding
from lrs_bridge.schemas.results import RESULT
from lrs_bridge.schemas.verbs import VERB
from lrs_bridge.xapi.formats import (
    is_statement_version,
    is_statement_version_2,
    is_timestamp,
    is_uuid,
)

_NO_OFFSET = ("-00:00", "-0000", "-00")


class Timestamp(XField):
    """An ISO 8601 timestamp (Data §4.5)."""

    default_error_messages = {"invalid": "must be a string"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not str:
            raise self.make_error("invalid")
        if not is_timestamp(value):
            if value.endswith(_NO_OFFSET):
                raise ValidationError("must not use the offset -00:00 (unknown local time)")
            raise ValidationError("must be an ISO 8601 timestamp, e.g. 2026-01-02T03:04:05.678Z")
        return value


class _StatementBody(XAPISchema):
    """What a Statement and a SubStatement share, and the rules across their properties."""

    actor = ActorField(required=True)
    verb = Obj(VERB, required=True)
    object = ObjectField(required=True)
    result = Obj(RESULT)
    context = Obj(CONTEXT)
    timestamp = Timestamp()
    attachments = Arr(Obj(ATTACHMENT))

    @rule
    def _across_properties(self, data, **kwargs):
        kind = data["object"].get("objectType", "Activity")
        errors = {}
        if kind != "Activity":
            misplaced = [key for key in ("revision", "platform") if key in data.get("context", ())]
            message = f"only allowed when the object is an Activity, not with objectType {kind}"
            if misplaced:
                errors["context"] = {key: [message] for key in misplaced}
        if kind != "StatementRef" and is_voiding(data):
            errors["object"] = {"objectType": [VOIDING_OBJECT]}
        if errors:
            raise ValidationError(errors)


_NOT_IN_SUBSTATEMENT = "must not be used in a SubStatement"


class SubStatementSchema(_StatementBody):
    """A statement inside a statement: no id, stored, version, authority or nesting."""

    objectType = Choice("SubStatement", required=True)
    id = Forbidden(_NOT_IN_SUBSTATEMENT)
    stored = Forbidden(_NOT_IN_SUBSTATEMENT)
    version = Forbidden(_NOT_IN_SUBSTATEMENT)
    authority = Forbidden(_NOT_IN_SUBSTATEMENT)


class StatementSchema(_StatementBody):
    """A full statement as a Learning Record Provider sends it."""

    id = Format(is_uuid, "must be a UUID")
    object = ObjectField(substatement=SubStatementSchema(), required=True)
    stored = Timestamp()
    authority = ActorField(group=AUTHORITY_GROUP)
    version = Format(is_statement_version,
                     "must be 1.0 or 1.0.x (e.g. 1.0.0); 2.0.0 only with "
                     "X-Experience-API-Version: 2.0.0")


STATEMENT = StatementSchema()


class SubStatement2Schema(SubStatementSchema):
    """A SubStatement in xAPI 2.0: its context may have contextAgents and contextGroups."""

    context = Obj(CONTEXT_2)


class Statement2Schema(StatementSchema):
    """A statement sent with X-Experience-API-Version 2.0.x: the 2.0 context, and a version of
    1.0.x or 2.0.x (a 1.0.x statement is a valid 2.0 statement)."""

    context = Obj(CONTEXT_2)
    object = ObjectField(substatement=SubStatement2Schema(), required=True)
    version = Format(is_statement_version_2, "must be 1.0, 1.0.x, 2.0 or 2.0.x (e.g. 2.0.0)")


STATEMENT_2 = Statement2Schema()
