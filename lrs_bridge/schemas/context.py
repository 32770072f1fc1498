"""Context and contextActivities (Data §2.4.6)."""

from lrs_bridge.schemas.activities import ActivitiesField
from lrs_bridge.schemas.agents import GROUP, ActorField
from lrs_bridge.schemas.fields import Extensions, Format, Obj, Str, XAPISchema
from lrs_bridge.schemas.objects import STATEMENT_REF
from lrs_bridge.xapi.formats import is_language_tag, is_uuid


class ContextActivitiesSchema(XAPISchema):
    """Related Activities by the four context types; no other keys."""

    parent = ActivitiesField()
    grouping = ActivitiesField()
    category = ActivitiesField()
    other = ActivitiesField()


CONTEXT_ACTIVITIES = ContextActivitiesSchema()


class ContextSchema(XAPISchema):
    """The statement's context; revision and platform are checked against the object."""

    registration = Format(is_uuid, "must be a UUID")
    instructor = ActorField()
    team = Obj(GROUP)
    contextActivities = Obj(CONTEXT_ACTIVITIES)
    revision = Str()
    platform = Str()
    language = Format(is_language_tag, "must be an RFC 5646 language tag, e.g. en-US")
    statement = Obj(STATEMENT_REF)
    extensions = Extensions()


CONTEXT = ContextSchema()
