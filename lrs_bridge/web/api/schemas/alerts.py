"""The JSON of GET /api/v1/alerts (learner_report.alert_entry builds each alert)."""

from marshmallow import Schema, fields

from lrs_bridge.web.api.schemas.common import moment, nested, text, whole


class AlertSchema(Schema):
    id = whole("the alert's id")
    learner = whole("the learner's id")
    learner_email = text("the learner's e-mail address (in lists of alerts)", nullable=True,
                         required=False)
    learner_name = text("the learner's name (in lists of alerts)", nullable=True,
                        required=False)
    kind = text("overdue, skill_gap, stalled, repeated_failure, expiring, expired or "
                "milestone")
    subject = text("what it is about: <path>/<module>, a module, a skill, journey, "
                   "path:<id> or phase:<id>")
    status = text("open or resolved")
    path = text("the path it concerns", nullable=True)
    phase = text("the phase it concerns", nullable=True)
    since = moment("when the condition began to hold")
    opened = moment("when the alert was opened")
    detail = fields.Dict(required=True, metadata={"description": "the facts behind it"})
    resolved = moment("when it resolved", nullable=True)
    resolved_by = text("the statement that cleared it", nullable=True)
    resolved_reason = text("why it resolved", nullable=True)


class AlertsPageSchema(Schema):
    alerts = nested(AlertSchema, "the alerts, newest first", many=True)
    more = text("the next page, or null on the last", nullable=True)
