"""The JSON of GET /api/v1/learners and /api/v1/learners/{id} (learner_report.py builds it)."""

from marshmallow import Schema

from lrs_bridge.web.api.schemas.alerts import AlertSchema
from lrs_bridge.web.api.schemas.common import (
    day,
    flag,
    moment,
    nested,
    real,
    text,
    texts,
    whole,
)


class RoleSpellSchema(Schema):
    role = text("a role id of the mapping")
    since = day("from this day")


class LearnerEntrySchema(Schema):
    """Who the learner is, as the directory has them."""

    id = whole("the learner's id")
    name = text("the name", nullable=True)
    email = text("the e-mail address", nullable=True)
    identifiers = texts("every identifier of the learner, as directory keys")
    role = text("the current role")
    roles = nested(RoleSpellSchema, "the role history, oldest first", many=True)
    manager_email = text("the manager's e-mail address", nullable=True)
    team = text("the team", nullable=True)
    start_date = day("the first working day")
    leave_date = day("the last day, when known", nullable=True)
    status = text("active, leaver or alumni")
    extra_paths = texts("paths followed on top of the role's")


class PathSummarySchema(Schema):
    id = text("the path")
    status = text("not_started, in_progress or completed")
    progress = real("the share of required steps met, 0 to 1")
    overdue_steps = whole("required steps past their due date and not met")


class LearnerSummarySchema(LearnerEntrySchema):
    """A learner with where they stand."""

    phase = text("the phase of their latest statement that has one", nullable=True)
    last_activity = moment("their latest statement", nullable=True)
    open_alerts = whole("how many alerts are open")
    paths = nested(PathSummarySchema, "the paths they follow", many=True)


class LearnersPageSchema(Schema):
    learners = nested(LearnerSummarySchema, "the learners, in id order", many=True)
    more = text("the next page, or null on the last", nullable=True)


class StepSchema(Schema):
    number = whole("the step's place on the path, from 1")
    module = text("the module")
    title = text("the module's title")
    outcome = text("completed or passed: what meets the step")
    optional = flag("whether the step is optional")
    status = text("not_started, in_progress, failed, completed or passed")
    due = day("when it is due", nullable=True)
    overdue = flag("past its due date and not met")
    completed_at = moment("when it was met", nullable=True)
    completed_by = text("the statement that met it", nullable=True)
    score = real("the best scaled score", nullable=True)
    attempts = whole("attempts")
    failures = whole("failed attempts")


class PathSchema(Schema):
    id = text("the path")
    name = text("its name (English)")
    phase = text("its phase")
    status = text("not_started, in_progress or completed")
    progress = real("the share of required steps met, 0 to 1")
    completed_at = moment("when the last required step was met", nullable=True)
    steps = nested(StepSchema, "its steps", many=True)


class SkillSchema(Schema):
    id = text("the skill")
    name = text("its name (English)")
    level = whole("the level of unexpired evidence", nullable=True)
    target = whole("the level the role needs", nullable=True)
    gap = whole("target minus level (no evidence: level 0)")
    attained = moment("when that level was first shown", nullable=True)
    expires = moment("when that evidence expires", nullable=True)
    evidence = texts("the statements that show the level")


class StateSchema(Schema):
    mapping_version = text("the mapping the state was folded with", nullable=True)
    current = flag("whether that is the mapping in use")


class LearnerReportSchema(LearnerEntrySchema):
    """One learner with their progress."""

    at = moment("the moment the paths and skills are read at")
    phase = text("the phase of their latest statement that has one", nullable=True)
    last_activity = moment("their latest statement", nullable=True)
    paths = nested(PathSchema, "the paths they follow", many=True)
    skills = nested(SkillSchema, "skills of the role or with evidence", many=True)
    alerts = nested(AlertSchema, "their open alerts", many=True)
    state = nested(StateSchema, "how current their state is")
