"""GET /api/v1/mappings: the mapping the server works with, read-only."""

from dataclasses import fields, is_dataclass
from datetime import UTC, datetime, timedelta

import isodate
from flask import current_app, g

from lrs_bridge.journey.model import Mapping
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.responses import json_response


def get_mappings():
    """The loaded mapping, its version, and the problems of a newer version that was refused."""
    require(g.credential, "mappings/read")
    holder = current_app.extensions["lrs_bridge"].mappings
    snapshot = holder.current()
    body = {
        "folder": str(holder.folder),
        "version": snapshot.version,
        "loaded_at": _time(snapshot.loaded_at),
        "refused": None if not snapshot.refused_problems else {
            "version": snapshot.refused_version,
            "problems": [str(p) for p in snapshot.refused_problems],
        },
        "mapping": None if snapshot.mapping is None else mapping_json(snapshot.mapping),
    }
    return json_response(body)


# Where things were written is for `mappings check`, not for API clients.
_SOURCE_FIELDS = {"origin"}


def mapping_json(mapping: Mapping) -> dict:
    """The mapping as JSON data: durations in ISO 8601, no source positions."""
    return _plain(mapping)


def _plain(value):
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
                if f.name not in _SOURCE_FIELDS}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, timedelta | isodate.Duration):
        return isodate.duration_isoformat(value)
    return value


def _time(epoch: float | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat()
