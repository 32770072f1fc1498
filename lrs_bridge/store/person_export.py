"""All the store holds of one person, as plain data (README: Exporting): what erasure.find
found, with the contents of their documents, every alert and every progress-feed event."""

import base64

import orjson
from sqlalchemy import Connection, select

from lrs_bridge.store.alerts import AlertRow, list_alerts
from lrs_bridge.store.documents import Resource
from lrs_bridge.store.erasure import Footprint
from lrs_bridge.store.progress_feed import FeedRow
from lrs_bridge.store.tables import documents, outbox
from lrs_bridge.xapi.timestamps import format_millis

_RESOURCES = {Resource.STATE: "state", Resource.ACTIVITY_PROFILE: "activity_profile",
              Resource.AGENT_PROFILE: "agent_profile"}


def statements_of(found: Footprint) -> tuple[list[dict], list[dict]]:
    """Their statements (and those pointing at them), and the statements of others that name
    them, each in the order stored."""
    def ordered(rows: dict) -> list[dict]:
        return [row[2] for row in sorted(rows.values(), key=lambda row: (row[1], row[0]))]

    return ordered(found.statements), ordered(found.elsewhere)


def documents_of(conn: Connection, found: Footprint) -> list[dict]:
    """Their State and Agent Profile documents with their contents: JSON as JSON, text as
    text, anything else in base64."""
    entries = []
    for chunk in [found.document_ids[i:i + 500] for i in range(0, len(found.document_ids), 500)]:
        for row in conn.execute(select(documents).where(documents.c.id.in_(chunk))
                                .order_by(documents.c.id)):
            entry = {"resource": _RESOURCES[Resource(row.resource)], "id": row.doc_id,
                     "activityId": row.activity_id, "agent": row.agent,
                     "registration": row.registration or None,
                     "contentType": row.content_type, "etag": row.etag,
                     "updated": format_millis(row.updated)}
            entry.update(_contents(row.content_type, bytes(row.contents)))
            entries.append(entry)
    return entries


def alerts_of(conn: Connection, tenant_id: int, learner_id: int) -> list[AlertRow]:
    """Every alert of the learner, open and resolved, newest first."""
    return list_alerts(conn, tenant_id, status=None, learner_ids=[learner_id], limit=10**9)


def feed_rows(conn: Connection, tenant_id: int, learner_id: int) -> list[FeedRow]:
    """Every progress-feed event of the learner, in the order written."""
    query = select(outbox).where(outbox.c.tenant_id == tenant_id,
                                 outbox.c.learner_id == learner_id).order_by(outbox.c.id)
    return [FeedRow((row.txn, row.id), row.event_id, row.type, row.learner_id, row.created,
                    orjson.loads(row.payload)) for row in conn.execute(query)]


def _contents(content_type: str, data: bytes) -> dict:
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            return {"content": orjson.loads(data)}
        except orjson.JSONDecodeError:
            pass
    if content_type.lower().startswith("text/"):
        try:
            return {"content": data.decode("utf-8")}
        except UnicodeDecodeError:
            pass
    return {"content_base64": base64.b64encode(data).decode()}
