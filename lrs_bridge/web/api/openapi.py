"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1, built with apispec from the
marshmallow schemas of each route's query parameters and answer (web.api.schemas). Every rule
of the blueprint needs an entry in OPERATIONS: a route without one is listed with its
docstring alone, and the test of the document fails until it has one."""

import re
from dataclasses import dataclass
from importlib.metadata import version

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app
from marshmallow import Schema

from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas import queries as q
from lrs_bridge.web.api.schemas.alerts import AlertsPageSchema
from lrs_bridge.web.api.schemas.common import ErrorSchema
from lrs_bridge.web.api.schemas.learners import LearnerReportSchema, LearnersPageSchema
from lrs_bridge.web.api.schemas.mappings import MappingsSchema
from lrs_bridge.web.api.schemas.progress import FeedPageSchema
from lrs_bridge.web.api.schemas.status import StatusSchema
from lrs_bridge.web.xapi.responses import json_response

JSON, CSV, ATOM = "application/json", "text/csv", "application/atom+xml"
_READ = "Needs the scope progress/read (or all/read, all)."
_MAPPING = " Without a working mapping: 503."
_NEXT = {"Link": {"description": "the next page: <URL>; rel=\"next\"",
                  "schema": {"type": "string"}}}


@dataclass(frozen=True)
class Operation:
    """What the document says of one GET route."""

    summary: str
    description: str
    query: type[Schema]
    answer: type[Schema] | None  # the JSON answer; None: text (CSV, Atom) or free-form
    media: str = JSON
    errors: tuple[int, ...] = (400, 401, 403)
    headers: dict | None = None


OPERATIONS = {
    "api.journey_metrics": Operation(
        "Journey metrics of a period", "Participation per phase and month, path completion, "
        "the skill-gap matrix, skill decay, time to productivity, retention after six months, "
        "microlearning, leavers' feedback and journey coverage, each a member of the answer "
        "(see the README's Journey metrics). " + _READ + _MAPPING, q.JourneyMetricsQuery,
        None, errors=(400, 401, 403, 503)),
    "api.learners": Operation(
        "The learners, with where they stand", "A page of learners in id order. " + _READ
        + _MAPPING, q.LearnersQuery, LearnersPageSchema, errors=(400, 401, 403, 503)),
    "api.learner": Operation(
        "One learner with their paths, steps, skills and open alerts",
        "What `lrs-bridge learner show --json` prints. " + _READ + _MAPPING
        + " Another tenant's learner is a 404.", q.LearnerQuery, LearnerReportSchema,
        errors=(400, 401, 403, 404, 503)),
    "api.alerts": Operation(
        "Alerts, newest first", "Open alerts unless `status` says otherwise. " + _READ,
        q.AlertsQuery, AlertsPageSchema),
    "api.alerts_atom": Operation(
        "Alerts as an Atom feed", "An entry per alert opened and per alert resolved, newest "
        "first, with stable ids and a link to the learner; older entries are behind the "
        "feed's `next` link. " + _READ, q.AlertsAtomQuery, None, ATOM),
    "api.status": Operation(
        "How far the progress engine has got", "Statements stored and processed, the lag, "
        "the outbox and its deliveries. " + _READ, q.EmptyQuery, StatusSchema),
    "api.progress": Operation(
        "Progress changes in the order they were recorded",
        "Every step, path and skill change once, after the cursor `after`; `next` (also in "
        "the Link header) continues after them now, or later for new changes. " + _READ
        + " `phase` and `path` need a working mapping (503 otherwise).", q.ProgressQuery,
        FeedPageSchema, errors=(400, 401, 403, 503), headers=_NEXT),
    "api.progress_csv": Operation(
        "Progress changes as CSV", "The entries of /api/v1/progress that the filters match, "
        "from `after` to where the export began, streamed; the Link header names where a "
        "later export continues. " + _READ, q.ProgressFilters, None, CSV,
        errors=(400, 401, 403, 503), headers=_NEXT),
    "api.path_matrix": Operation(
        "Learner × path as CSV", "One row per learner, and per path its status and share of "
        "required steps met (empty: a path the learner does not follow). " + _READ + _MAPPING,
        q.PathMatrixQuery, None, CSV, errors=(400, 401, 403, 503)),
    "api.skill_matrix": Operation(
        "Learner × skill as CSV", "One row per learner, and per skill the level, the role's "
        "target and the gap (empty: no evidence, or no target). " + _READ + _MAPPING,
        q.SkillMatrixQuery, None, CSV, errors=(400, 401, 403, 503)),
    "api.mappings": Operation(
        "The mapping in use", "Its version, and the problems of a newer version that was "
        "refused. Needs the scope define, all/read or all.", q.EmptyQuery, MappingsSchema,
        errors=(401, 403)),
    "api.openapi": Operation(
        "This document", "OpenAPI 3.1; any valid credential may read it.", q.EmptyQuery, None,
        errors=(400, 401)),
}
_ERRORS = {400: "a bad parameter, named in `error`", 401: "no valid credential",
           403: "the credential lacks the scope", 404: "no such learner of the tenant",
           503: "no working mapping is loaded"}


def get_openapi():
    """The OpenAPI document, built once per app."""
    Params(q.EmptyQuery)  # takes none: refuses any
    app = current_app._get_current_object()
    document = app.extensions.get("lrs_bridge_openapi")
    if document is None:
        document = app.extensions["lrs_bridge_openapi"] = build_document(app)
    return json_response(document)


def build_document(app: Flask) -> dict:
    """The OpenAPI document of the app's /api/v1 routes."""
    spec = APISpec(
        title="lrs-bridge API", version=version("lrs-bridge"), openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": "Learners' progress, alerts, feeds and exports of lrs-bridge. "
                             "Times are ISO 8601 in UTC."},
        security=[{"xapiBasic": []}])
    spec.components.security_scheme("xapiBasic", {
        "type": "http", "scheme": "basic",
        "description": "An xAPI credential (`lrs-bridge credentials add NAME --scope "
                       "progress/read`): its key and secret. A credential sees its own "
                       "tenant only."})
    spec.components.schema("Error", schema=ErrorSchema)
    for status, text in _ERRORS.items():
        spec.components.response(f"E{status}", {"description": text, "content": {
            JSON: {"schema": "Error"}}})
    rules = sorted((r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")),
                   key=lambda r: r.rule)
    for rule in rules:
        op = OPERATIONS.get(rule.endpoint) or _undescribed(app, rule.endpoint)
        spec.path(path=_path(rule.rule), operations={"get": _operation(op, rule.arguments)})
    return spec.to_dict()


def _undescribed(app: Flask, endpoint: str) -> Operation:
    """A route OPERATIONS lacks (a test fails on it): listed with its view's docstring, so
    that the document is still whole."""
    summary = (app.view_functions[endpoint].__doc__ or endpoint).strip().splitlines()[0]
    return Operation(summary, summary, q.EmptyQuery, None, errors=(400, 401, 403))


def _operation(op: Operation, arguments) -> dict:
    content = {op.media: {"schema": op.answer if op.answer else (
        {"type": "object"} if op.media == JSON else {"type": "string"})}}
    ok = {"description": op.summary, "content": content}
    if op.headers:
        ok["headers"] = op.headers
    parameters = [{"in": "path", "name": name, "required": True,
                   "schema": {"type": "integer", "minimum": 0}} for name in sorted(arguments)]
    return {"summary": op.summary, "description": op.description,
            "parameters": [*parameters, {"in": "query", "schema": op.query}],
            "responses": {"200": ok, **{str(s): f"E{s}" for s in op.errors}}}


def _path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: <int(max=…):learner_id> is {learner_id}."""
    return re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", rule)
