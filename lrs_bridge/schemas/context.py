"""Context and contextActivities (Data §2.4.6)."""

from lrs_bridge.schemas.activities import ActivitiesField
from lrs_bridge.schemas.agents import AGENT, GROUP, ActorField
from lrs_bridge.schemas.fields import (
    IRI,
    Arr,
    Choice,
    Extensions,
    Forbidden,
    Format,
    Obj,
    Str,
    XAPISchema,
)
from lrs_bridge.schemas.objects import STATEMENT_REF
from lrs_bridge.xapi.formats import is_iri, is_language_tag, is_uuid


class ContextActivitiesSchema(XAPISchema):
    """Related Activities by the four context types; no other keys."""

    parent = ActivitiesField()
    grouping = ActivitiesField()
    category = ActivitiesField()
    other = ActivitiesField()


CONTEXT_ACTIVITIES = ContextActivitiesSchema()


ONLY_IN_2 = "only allowed in xAPI 2.0.0: send the request with X-Experience-API-Version: 2.0.0"


class ContextSchema(XAPISchema):
    """The statement's context in xAPI 1.0.x; revision and platform are checked against the
    object."""

    registration = Format(is_uuid, "must be a UUID")
    instructor = ActorField()
    team = Obj(GROUP)
    contextActivities = Obj(CONTEXT_ACTIVITIES)
    revision = Str()
    platform = Str()
    language = Format(is_language_tag, "must be an RFC 5646 language tag, e.g. en-US")
    statement = Obj(STATEMENT_REF)
    extensions = Extensions()
    contextAgents = Forbidden(ONLY_IN_2)
    contextGroups = Forbidden(ONLY_IN_2)


CONTEXT = ContextSchema()


def _relevant_types():
    # 2.0: when present, at least one Activity type IRI.
    return Arr(Format(is_iri, IRI), non_empty=True)


class ContextAgentSchema(XAPISchema):
    """An Agent the statement relates to, with what it was in the experience (xAPI 2.0)."""

    objectType = Choice("contextAgent", required=True)
    agent = Obj(AGENT, required=True)
    relevantTypes = _relevant_types()


class ContextGroupSchema(XAPISchema):
    """A Group the statement relates to, with what it was in the experience (xAPI 2.0)."""

    objectType = Choice("contextGroup", required=True)
    group = Obj(GROUP, required=True)
    relevantTypes = _relevant_types()


class Context2Schema(ContextSchema):
    """The statement's context in xAPI 2.0: also contextAgents and contextGroups."""

    contextAgents = Arr(Obj(ContextAgentSchema()))
    contextGroups = Arr(Obj(ContextGroupSchema()))


CONTEXT_2 = Context2Schema()
