"""The query parameters of each /api/v1 route. web.api.params refuses any other name, so the
OpenAPI document lists exactly what a route takes."""

from marshmallow import Schema, fields, validate

from lrs_bridge.journey.alert_rules import KINDS
from lrs_bridge.journey.learners import STATUSES as LEARNER_STATUSES
from lrs_bridge.store.progress_feed import PROGRESS_TYPES
from lrs_bridge.web.api.params import MOST

ALERT_STATUSES = ("open", "resolved", "all")


def _param(description: str, kind=fields.String, **kwargs) -> fields.Field:
    return kind(metadata={"description": description}, **kwargs)


def _choice(description: str, allowed) -> fields.Field:
    return _param(description, validate=validate.OneOf(list(allowed)))


def _limit(description: str = "how many per page (default 100)") -> fields.Field:
    return _param(description, fields.Integer, validate=validate.Range(1, MOST))


def _cursor() -> fields.Field:
    return _param("where the page starts: the cursor of a `more` or `next` link, taken as "
                  "it is")


def _at(what: str) -> fields.Field:
    return _param(f"{what} as at this ISO 8601 date (midnight UTC) or date and time "
                  "(default: now)", fields.String)


def _since(what: str) -> fields.Field:
    return _param(f"only {what} at or after this ISO 8601 date (midnight UTC) or date and "
                  "time")


_TEAM = "the learner's team (exact)"
_MANAGER = "the learner's manager's e-mail address (any case)"
_LEARNER = "a learner's id, or one of their e-mail addresses (any case)"
_ROLE_NOW = "the role the learner holds now"
_PHASE = ("a phase of the mapping: paths and modules tagged with it, and skills its modules "
          "give")


class EmptyQuery(Schema):
    """No parameters."""


class LearnersQuery(Schema):
    email = _param("one of the learner's e-mail addresses (any case)")
    team = _param(_TEAM)
    manager = _param(_MANAGER)
    role = _param("the role held on the day of `at`")
    status = _choice("the learner's status", LEARNER_STATUSES)
    at = _at("read paths and roles")
    limit = _limit()
    after = _cursor()


class LearnerQuery(Schema):
    at = _at("read paths and skills")


class AlertsQuery(Schema):
    kind = _choice("the alert's kind", KINDS)
    status = _choice("open (default), resolved or all", ALERT_STATUSES)
    learner = _param(_LEARNER)
    manager = _param(_MANAGER)
    team = _param(_TEAM)
    phase = _param("the alert's phase")
    since = _since("alerts opened")
    limit = _limit()
    after = _cursor()


class AlertsAtomQuery(AlertsQuery):
    status = _choice("the alerts' status now: all (default), open or resolved",
                     ALERT_STATUSES)
    since = _since("entries (an alert opened or resolved)")
    limit = _limit("how many entries per page (default 100)")


class ProgressFilters(Schema):
    type = _choice("the kind of change", PROGRESS_TYPES)
    phase = _param(_PHASE)
    path = _param("a path of the mapping: its path and step changes")
    role = _param(_ROLE_NOW)
    team = _param(_TEAM)
    manager = _param(_MANAGER)
    learner = _param(_LEARNER)
    since = _since("changes recorded")
    after = _cursor()


class ProgressQuery(ProgressFilters):
    limit = _limit("how many entries per page (default 100)")


class MatrixFilters(Schema):
    role = _param("the role held on the day of `at`")
    team = _param(_TEAM)
    manager = _param(_MANAGER)
    learner = _param(_LEARNER)
    status = _choice("the learner's status", LEARNER_STATUSES)
    phase = _param(_PHASE + ": only those columns")
    at = _at("read progress")


class PathMatrixQuery(MatrixFilters):
    path = _param("only this path's columns")


class SkillMatrixQuery(MatrixFilters):
    skill = _param("only this skill's columns")


class JourneyMetricsQuery(Schema):
    # "from" is a Python keyword: the field takes its name from data_key.
    from_ = _param("the period's first day (YYYY-MM-DD; default: twelve calendar months "
                   "before `to`)", data_key="from")
    to = _param("the period's last day (YYYY-MM-DD; default: today)")
    phase = _param("only this phase of the mapping")
    role = _param("only learners whose latest role is this one")
    team = _param(_TEAM)
    metrics = _param("only these metrics, comma-separated (default: every one)")
    expiring_within = _param("skill decay: days ahead that count as expiring", fields.Integer)
