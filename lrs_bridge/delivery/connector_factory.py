"""A working connector from its stored row: its class from the registry, its token from the
environment or decrypted, what the mapping says its LMS objects are."""

import requests

from lrs_bridge.journey.model import Mapping
from lrs_bridge.store.connectors import ConnectorRow
from lrs_bridge.token_box import from_environment, unseal
from lrs_bridge_connectors.base import Connector, ConnectorConfig
from lrs_bridge_connectors.registry import connector_class


def build(row: ConnectorRow, secret_key: str, session: requests.Session,
          mapping: Mapping | None) -> Connector:
    """The connector of `row`; UnknownKind or TokenError say why it cannot be built."""
    kind = connector_class(row.kind)
    token = unseal(row.token_encrypted, secret_key) if row.token_encrypted \
        else from_environment(row.token_env) if row.token_env else ""
    config = ConnectorConfig(row.name, row.kind, row.url, token, dict(row.options))
    return kind(config, session, lms_map(mapping, row.kind))


def lms_map(mapping: Mapping | None, kind: str) -> dict:
    """What the mapping says each module, path and skill is in an LMS of `kind`."""
    found = {"modules": {}, "paths": {}, "skills": {}}
    if mapping is None:
        return found
    for group, items in (("modules", mapping.modules), ("paths", mapping.paths),
                         ("skills", mapping.skills)):
        for item in items:
            data = (getattr(item, "lms", None) or {}).get(kind)
            if data:
                found[group][item.id] = dict(data)
    return found
