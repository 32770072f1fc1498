"""The JSON of GET /api/v1/progress (web.api.feed_entries builds each entry)."""

from marshmallow import Schema, fields, validate

from lrs_bridge.store.progress_feed import PROGRESS_TYPES
from lrs_bridge.web.api.schemas.common import day, flag, moment, nested, real, text, whole


def _some(field: fields.Field) -> fields.Field:
    """A field of some kinds of change only."""
    field.required = False
    return field


class FeedLearnerSchema(Schema):
    """The learner as the directory has them now."""

    id = whole("the learner's id (GET /api/v1/learners/{id})")
    email = text("the e-mail address", nullable=True)
    name = text("the name", nullable=True)
    role = text("the role held now", nullable=True)
    team = text("the team", nullable=True)
    manager_email = text("the manager's e-mail address", nullable=True)


class ChangeSchema(Schema):
    """What changed: a step (path, step, module …), a path (path, status, progress …) or a
    skill (skill, level, target, gap …), as the step, path or skill stands after it."""

    path = _some(text("the path (step and path changes)"))
    step = _some(whole("the step's place on the path, from 1"))
    module = _some(text("the step's module"))
    skill = _some(text("the skill (skill changes)"))
    status = _some(text("the step's or path's status"))
    outcome = _some(text("completed or passed: what meets the step"))
    optional = _some(flag("whether the step is optional"))
    due = _some(day("when the step is due", nullable=True))
    progress = _some(real("the path's share of required steps met, 0 to 1"))
    completed_at = _some(moment("when the step or path was met", nullable=True))
    completed_by = _some(text("the statement that met the step", nullable=True))
    score = _some(real("the step's best scaled score", nullable=True))
    attempts = _some(whole("the step's attempts"))
    failures = _some(whole("the step's failed attempts"))
    level = _some(whole("the skill's level", nullable=True))
    target = _some(whole("the level the role needs", nullable=True))
    gap = _some(whole("target minus level"))
    attained = _some(moment("when the level was first shown", nullable=True))
    expires = _some(moment("when its evidence expires", nullable=True))
    evidence = _some(fields.List(fields.String(),
                                 metadata={"description": "the statements showing the level"}))


class FeedEntrySchema(Schema):
    id = text("the event's id: the same change always has the same id")
    type = fields.String(required=True, validate=validate.OneOf(PROGRESS_TYPES),
                         metadata={"description": "the kind of change"})
    at = moment("when the progress engine recorded the change")
    learner = nested(FeedLearnerSchema, "whose progress changed")
    change = nested(ChangeSchema, "what changed")


class FeedPageSchema(Schema):
    entries = nested(FeedEntrySchema, "changes in the order they were recorded", many=True)
    next = text("the entries after these: follow it now for more, or later for new ones")
