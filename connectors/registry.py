"""Connector kinds, found through the entry-point group `lrs_bridge.connectors`: the built-ins
register there like any connector a third party ships with pip. A kind is imported only when
used; one that fails to import, or is not a Connector, is reported and skipped."""

import logging
from importlib.metadata import EntryPoint, entry_points

from lrs_bridge_connectors.base import Connector

GROUP = "lrs_bridge.connectors"
log = logging.getLogger(__name__)


class UnknownKind(LookupError):
    """No usable connector of this kind is installed."""


def kinds() -> dict[str, EntryPoint]:
    """The installed connector kinds by name (not imported yet)."""
    return {point.name: point for point in entry_points(group=GROUP)}


def connector_class(kind: str) -> type[Connector]:
    """The class of connector `kind`; UnknownKind names the installed ones when it is not
    one of them, or says why it cannot be used."""
    point = kinds().get(kind)
    if point is None:
        known = ", ".join(sorted(kinds())) or "none"
        raise UnknownKind(f"no connector of kind {kind!r} is installed (installed: {known})")
    try:
        found = point.load()
    except Exception as err:  # noqa: BLE001 - a broken plug-in must not take the worker down
        log.warning("connector %s (%s) cannot be loaded: %s", kind, point.value, err)
        raise UnknownKind(f"the connector {kind!r} ({point.value}) cannot be loaded: "
                          f"{err}") from None
    if not (isinstance(found, type) and issubclass(found, Connector)):
        raise UnknownKind(f"the connector {kind!r} ({point.value}) is not a "
                          f"lrs_bridge_connectors.base.Connector")
    return found
