"""GET /statements: parameters into a StatementQuery, and pages into responses."""

import orjson
from flask import request

from lrs_bridge.store.statements import Page, StatementStore
from lrs_bridge.web.xapi.params import agent_param, timestamp_param
from lrs_bridge.web.xapi.request import XAPIRequest
from lrs_bridge.web.xapi.responses import http_date, json_response
from lrs_bridge.xapi.agents import ifi_key
from lrs_bridge.xapi.definitions import activities_of
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.formats import is_iri, is_uuid
from lrs_bridge.xapi.formatting import to_canonical_format, to_ids_format
from lrs_bridge.xapi.multipart import AttachmentPart, build_multipart
from lrs_bridge.xapi.query import FORMATS, Cursor, StatementQuery

_QUERY_PARAMS = {
    "agent", "verb", "activity", "registration", "related_activities", "related_agents",
    "since", "until", "limit", "format", "attachments", "ascending",
}


def parse_query(xreq: XAPIRequest) -> tuple[StatementQuery, Cursor | None]:
    """The query of a GET, or of the `more` cursor it continues."""
    token = xreq.param("more")
    if token is not None:
        if set(xreq.params) != {"more"}:
            raise BadRequest("more: cannot be combined with other parameters")
        cursor = Cursor.decode(token)
        return cursor.query, cursor
    unknown = sorted(set(xreq.params) - _QUERY_PARAMS - {"statementId", "voidedStatementId"})
    if unknown:
        raise BadRequest(f"{unknown[0]}: not a parameter of GET /statements")
    return StatementQuery(
        filters=_filters(xreq),
        since_ms=timestamp_param(xreq, "since"),
        until_ms=timestamp_param(xreq, "until"),
        ascending=_boolean(xreq, "ascending"),
        limit=_limit(xreq),
        format=_format(xreq),
        attachments=_boolean(xreq, "attachments"),
    ), None


def check_single_params(xreq: XAPIRequest) -> tuple[str, bool]:
    """Format and attachments of a single-statement GET, refusing any other parameter."""
    if xreq.param("statementId") is not None and xreq.param("voidedStatementId") is not None:
        raise BadRequest("statementId and voidedStatementId cannot be used together")
    extra = sorted(set(xreq.params) - {"statementId", "voidedStatementId", "format", "attachments"})
    if extra:
        raise BadRequest(f"{extra[0]}: not allowed with statementId or voidedStatementId")
    return _format(xreq), _boolean(xreq, "attachments")


def _filters(xreq: XAPIRequest) -> tuple[tuple[str, str], ...]:
    filters = []
    registration = xreq.param("registration")
    if registration is not None:
        if not is_uuid(registration):
            raise BadRequest("registration: must be a UUID")
        filters.append(("registration", registration.lower()))
    activity = xreq.param("activity")
    if activity is not None:
        if not is_iri(activity):
            raise BadRequest("activity: must be an IRI")
        related = _boolean(xreq, "related_activities")
        filters.append(("activity_related" if related else "activity", activity))
    agent = xreq.param("agent")
    if agent is not None:
        related = _boolean(xreq, "related_agents")
        filters.append(("agent_related" if related else "agent", ifi_key(agent_param(xreq))))
    verb = xreq.param("verb")
    if verb is not None:
        if not is_iri(verb):
            raise BadRequest("verb: must be an IRI")
        filters.append(("verb", verb))
    return tuple(filters)


def _boolean(xreq: XAPIRequest, name: str) -> bool:
    value = xreq.param(name)
    if value is None:
        return False
    if value not in ("true", "false"):
        raise BadRequest(f"{name}: must be true or false")
    return value == "true"


def _limit(xreq: XAPIRequest) -> int:
    value = xreq.param("limit")
    if value is None:
        return 0
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise BadRequest("limit: must be a non-negative integer")
    return int(value)


def _format(xreq: XAPIRequest) -> str:
    value = xreq.param("format") or "exact"
    if value not in FORMATS:
        raise BadRequest(f"format: must be one of {', '.join(FORMATS)}")
    return value


def _shape(payloads: list[str], fmt: str, languages: list[str], store: StatementStore,
           tenant_id: int) -> list[bytes]:
    if fmt == "exact":
        return [p.encode() for p in payloads]
    statements = [orjson.loads(p) for p in payloads]
    if fmt == "ids":
        return [orjson.dumps(to_ids_format(s)) for s in statements]
    ids = {a.get("id") for s in statements for a in activities_of(s)} - {None}
    definitions = store.activities.definitions(tenant_id, ids)
    return [orjson.dumps(to_canonical_format(s, languages, definitions)) for s in statements]


def render_page(xreq: XAPIRequest, page: Page, query: StatementQuery, store: StatementStore,
                tenant_id: int, head: bool):
    """The StatementResult of a page, as JSON or multipart with its attachments."""
    statements = _shape(page.payloads, query.format, xreq.accept_languages, store,
                        tenant_id)
    more = ""
    if page.more is not None:
        more = f"{request.script_root}/xapi/statements?more={page.more.encode()}"
    body = b'{"statements":[' + b",".join(statements) + b'],"more":' + orjson.dumps(more) + b"}"
    response = _respond(body, page.payloads, query.attachments, store, tenant_id, head)
    if page.last_modified is not None:
        response.headers["Last-Modified"] = http_date(page.last_modified)
    return response


def render_single(xreq, payload: str, fmt: str, attachments: bool, store, tenant_id, head):
    """One statement, as JSON or multipart with its attachments."""
    body = _shape([payload], fmt, xreq.accept_languages, store, tenant_id)[0]
    return _respond(body, [payload], attachments, store, tenant_id, head)


def _respond(body: bytes, payloads, attachments: bool, store, tenant_id, head):
    if not attachments:
        return json_response(body, head=head)
    # Stored by lower-case hash; sent under the spelling the statement uses.
    spelled = {sha.lower(): sha for p in payloads for sha in _attachment_shas(orjson.loads(p))}
    found = store.attachments(tenant_id, set(spelled))
    parts = [AttachmentPart(sha2=spelled[sha], content_type=ct, data=data)
             for sha, (ct, data) in sorted(found.items())]
    data, content_type = build_multipart(body, parts)
    response = json_response(data, head=head)
    response.headers["Content-Type"] = content_type
    return response


def _attachment_shas(statement: dict) -> list[str]:
    """The sha2 of every attachment of a statement and of its SubStatement."""
    found = [a["sha2"] for a in statement.get("attachments", ())]
    target = statement.get("object") or {}
    if target.get("objectType") == "SubStatement":
        found += [a["sha2"] for a in target.get("attachments", ())]
    return found
