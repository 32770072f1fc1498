"""A working connector from its stored row: its class from the registry, its token from the
environment or decrypted, what the mapping says its LMS objects are."""

import requests

from lrs_bridge.journey.model import Mapping
from lrs_bridge.store.connectors import ConnectorRow
from lrs_bridge.token_box import from_environment, unseal
from lrs_bridge_connectors.base import Connector, ConnectorConfig
from lrs_bridge_connectors.registry import UnknownKind, connector_class


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


class EventFilter:
    """Which connector kinds want an event under one mapping (Connector.wants): the progress
    worker writes deliveries only to those. A kind that is not installed wants everything, so
    that its deliveries wait, and say why, until it is."""

    def __init__(self, mapping: Mapping | None):
        self.mapping = mapping
        self._kinds: dict[str, tuple[type[Connector] | None, dict]] = {}

    def __call__(self, kind: str, event: dict) -> bool:
        if kind not in self._kinds:
            try:
                found: type[Connector] | None = connector_class(kind)
            except UnknownKind:
                found = None
            self._kinds[kind] = (found, lms_map(self.mapping, kind))
        found, lms = self._kinds[kind]
        if found is None:
            return True
        try:
            return bool(found.wants(event, lms))
        except Exception:  # noqa: BLE001 - a plug-in's bug must not lose an event
            return True
