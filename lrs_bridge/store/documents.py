"""The document repository behind the State, Activity Profile and Agent Profile resources.

Each change runs in one write transaction that reads the current document, checks the
request's preconditions against it and writes, so no precondition is judged on a stale read.
"""

import hashlib
import time
from dataclasses import dataclass
from enum import IntEnum

from sqlalchemy import Engine, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from lrs_bridge.store.engine import read_transaction, write_transaction
from lrs_bridge.store.tables import documents
from lrs_bridge.xapi.documents import (
    Document,
    Preconditions,
    check_new_json,
    check_profile_put,
    check_state_put,
    etag_of,
    merge_json,
)
from lrs_bridge.xapi.errors import PreconditionFailed


class Resource(IntEnum):
    """Which resource a document belongs to (stored in documents.resource: never renumber)."""

    STATE = 1
    ACTIVITY_PROFILE = 2
    AGENT_PROFILE = 3


@dataclass(frozen=True)
class Place:
    """Where documents live: the resource, its Activity and/or Agent, and a registration."""

    resource: Resource
    activity_id: str | None = None
    agent_key: str | None = None
    registration: str | None = None

    @property
    def context(self) -> str:
        parts = (str(int(self.resource)), self.activity_id or "", self.agent_key or "")
        return _sha256("\0".join(parts))


class DocumentStore:
    """Documents of every tenant, one row each."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def get(self, tenant_id: int, place: Place, doc_id: str) -> Document | None:
        """The document, or None when there is none."""
        with self.engine.connect() as conn:
            return _current(conn, tenant_id, place, doc_id)

    def put(self, tenant_id: int, place: Place, doc_id: str, contents: bytes,
            content_type: str, preconditions: Preconditions, *,
            state_needs_headers: bool = False) -> None:
        """Store `contents` as the document, replacing any earlier one. `state_needs_headers`:
        a State document is replaced only with a concurrency header (xAPI 2.0)."""

        def change(current: Document | None) -> tuple[bytes, str]:
            if place.resource is not Resource.STATE:
                check_profile_put(preconditions, current)
            elif state_needs_headers:
                check_state_put(preconditions, current)
            return contents, content_type

        self._write(tenant_id, place, doc_id, preconditions, change)

    def post(self, tenant_id: int, place: Place, doc_id: str, contents: bytes,
             content_type: str, preconditions: Preconditions) -> None:
        """Create the document, or merge a JSON object into the stored JSON object."""

        def change(current: Document | None) -> tuple[bytes, str]:
            if current is None:
                check_new_json(contents, content_type)
                return contents, content_type
            return merge_json(current, contents, content_type), current.content_type

        self._write(tenant_id, place, doc_id, preconditions, change)

    def delete(self, tenant_id: int, place: Place, doc_id: str,
               preconditions: Preconditions) -> None:
        """Delete the document (nothing happens when there is none and no If-Match says so)."""
        with write_transaction(self.engine) as conn:
            preconditions.check(_current(conn, tenant_id, place, doc_id))
            conn.execute(delete(documents).where(_one(tenant_id, place, doc_id)))

    def ids(self, tenant_id: int, place: Place,
            since: int | None = None) -> tuple[list[str], int | None]:
        """The ids of the documents in `place` updated after `since`, and the newest update."""
        query = select(documents.c.doc_id, documents.c.updated).where(
            _many(tenant_id, place)).order_by(documents.c.updated, documents.c.id)
        if since is not None:
            query = query.where(documents.c.updated > since)
        with read_transaction(self.engine) as conn:
            rows = conn.execute(query).all()
        # Without a registration, states of every registration are listed: keep ids unique.
        ids = list(dict.fromkeys(row.doc_id for row in rows))
        return ids, max((row.updated for row in rows), default=None)

    def delete_all(self, tenant_id: int, place: Place) -> int:
        """Delete every document in `place`; return how many went."""
        with write_transaction(self.engine) as conn:
            return conn.execute(delete(documents).where(_many(tenant_id, place))).rowcount

    def _write(self, tenant_id, place, doc_id, preconditions, change) -> None:
        for attempt in range(2):
            try:
                with write_transaction(self.engine) as conn:
                    current = _current(conn, tenant_id, place, doc_id)
                    preconditions.check(current)
                    contents, content_type = change(current)
                    _store(conn, tenant_id, place, doc_id, contents, content_type, current)
                return
            except IntegrityError:
                # Another request created the document between our read and our insert
                # (PostgreSQL); judge the request again against what it wrote.
                if attempt:
                    raise PreconditionFailed(
                        "the document changed while this request was written; retry") from None


def _store(conn, tenant_id, place, doc_id, contents, content_type, current) -> None:
    values = {"contents": contents, "content_type": content_type or "application/octet-stream",
              "etag": etag_of(contents), "updated": _now_ms(current)}
    if current is None:
        conn.execute(insert(documents).values(
            tenant_id=tenant_id, resource=int(place.resource), context=place.context,
            registration=place.registration or "", doc_key=_sha256(doc_id), doc_id=doc_id,
            activity_id=place.activity_id, agent=place.agent_key, **values))
    else:
        conn.execute(update(documents).where(_one(tenant_id, place, doc_id)).values(**values))


def _current(conn, tenant_id: int, place: Place, doc_id: str) -> Document | None:
    row = conn.execute(select(documents.c.contents, documents.c.content_type, documents.c.etag,
                              documents.c.updated).where(_one(tenant_id, place, doc_id))).first()
    if row is None:
        return None
    return Document(bytes(row.contents), row.content_type, row.etag, row.updated)


def _one(tenant_id: int, place: Place, doc_id: str):
    return and_(documents.c.tenant_id == tenant_id, documents.c.context == place.context,
                documents.c.registration == (place.registration or ""),
                documents.c.doc_key == _sha256(doc_id))


def _many(tenant_id: int, place: Place):
    condition = and_(documents.c.tenant_id == tenant_id, documents.c.context == place.context)
    if place.registration is not None:
        condition = and_(condition, documents.c.registration == place.registration)
    return condition


def _now_ms(current: Document | None) -> int:
    # Strictly after the previous update, so `since` sees every change even within one ms.
    now = int(time.time() * 1000)
    return max(now, current.updated + 1) if current else now


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
