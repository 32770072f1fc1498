"""The Statements resource (Communication §2.1): PUT, POST, GET and HEAD."""

from dataclasses import replace

import orjson
from flask import current_app, g

from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.request import XAPIRequest, request_version
from lrs_bridge.web.xapi.responses import http_date, json_response
from lrs_bridge.web.xapi.statement_body import read_statements
from lrs_bridge.web.xapi.statement_query import (
    check_single_params,
    parse_query,
    render_page,
    render_single,
)
from lrs_bridge.xapi.agents import ifi_key
from lrs_bridge.xapi.errors import BadRequest, NotFound
from lrs_bridge.xapi.formats import is_uuid

# While statement writes are open, a query may report a moment settled this long ago rather
# than wait for them: a long write (a batch of 1,000) does not hold up reads, and under
# steady writing one query a second per process waits, to move the moment on.
_SETTLED_MAX_AGE_MS = 1000


def dispatch():
    """Route by the (possibly alternate-syntax) method."""
    xreq: XAPIRequest = g.xreq
    handler = {"PUT": put, "POST": post, "GET": get, "HEAD": get}.get(xreq.method)
    if handler is None:
        raise BadRequest(f"{xreq.method} is not a method of the Statements resource")
    return handler(xreq)


def put(xreq: XAPIRequest):
    """Store one statement under the statementId parameter; 204."""
    require(g.credential, "statements/write")
    _only_params(xreq, {"statementId"})
    statement_id = xreq.param("statementId")
    if not statement_id:
        raise BadRequest("statementId: required for PUT")
    if not is_uuid(statement_id):
        raise BadRequest("statementId: must be a UUID")
    body = read_statements(xreq, _services().settings.max_batch, request_version())
    if not body.single:
        raise BadRequest("PUT takes one statement, not an array")
    statement = body.statements[0]
    if "id" in statement and statement["id"].lower() != statement_id.lower():
        raise BadRequest("id: does not match the statementId parameter")
    statement = {**statement, "id": statement.get("id", statement_id)}
    _save([statement], body.parts)
    return json_response(b"", 204)


def post(xreq: XAPIRequest):
    """Store one statement or a batch; 200 with their ids in order."""
    require(g.credential, "statements/write")
    _only_params(xreq, set())
    body = read_statements(xreq, _services().settings.max_batch, request_version())
    return json_response(_save(body.statements, body.parts))


def get(xreq: XAPIRequest):
    """One statement by statementId / voidedStatementId, or a StatementResult page."""
    credential = g.credential
    require(credential, "statements/read/mine")
    mine = _authority_key() if credential.reads_only_own_statements() else None
    head = xreq.method == "HEAD"
    if xreq.param("statementId") is not None or xreq.param("voidedStatementId") is not None:
        return _get_single(xreq, mine, head)
    query, cursor = parse_query(xreq)
    services = _services()
    settled = cursor.settled if cursor else None
    if settled is None:
        # Before the query, so that all it promises is in the snapshot the query reads.
        settled = services.statements.barrier.settle(max_age_ms=_SETTLED_MAX_AGE_MS)
    g.statements_settled = settled
    limit = min(query.limit or services.settings.page_limit, services.settings.page_limit)
    page = services.statements.query(credential.tenant_id, query, page_size=limit,
                                     cursor=cursor, authority_key=mine)
    if page.more is not None:
        page = replace(page, more=replace(page.more, settled=settled))
    return render_page(xreq, page, query, services.statements, credential.tenant_id, head)


def _get_single(xreq: XAPIRequest, mine: str | None, head: bool):
    fmt, attachments = check_single_params(xreq)
    voided_param = xreq.param("voidedStatementId")
    wanted = voided_param if voided_param is not None else xreq.param("statementId")
    if not is_uuid(wanted):
        raise BadRequest("statementId: must be a UUID")
    services = _services()
    found = services.statements.get(g.credential.tenant_id, wanted)
    if found is None or found.voided != (voided_param is not None):
        raise NotFound(f"no {'voided ' if voided_param else ''}statement with id {wanted}")
    if mine and not _authority_is(found.payload, mine):
        raise NotFound(f"no statement with id {wanted}")
    response = render_single(xreq, found.payload, fmt, attachments, services.statements,
                             g.credential.tenant_id, head)
    response.headers["Last-Modified"] = http_date(found.stored)
    return response


def _save(statements: list[dict], parts: dict) -> list[str]:
    credential = g.credential
    authority = {
        "objectType": "Agent",
        "name": credential.name,
        "account": {"homePage": _services().settings.authority_home, "name": credential.key},
    }
    return _services().writer.save(
        credential.tenant_id, statements, authority=authority, authority_key=ifi_key(authority),
        parts=parts, define=credential.allows("define"))


def _authority_key() -> str:
    return ifi_key({"account": {"homePage": _services().settings.authority_home,
                                "name": g.credential.key}})


def _authority_is(payload: str, key: str) -> bool:
    authority = orjson.loads(payload).get("authority") or {}
    return ifi_key(authority) == key


def _only_params(xreq: XAPIRequest, allowed: set[str]) -> None:
    unknown = sorted(set(xreq.params) - allowed)
    if unknown:
        raise BadRequest(f"{unknown[0]}: not a parameter of {xreq.method} /statements")


def _services():
    return current_app.extensions["lrs_bridge"]
