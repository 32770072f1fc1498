"""The mapping the routes that read progress work with: without one they answer 503."""

from lrs_bridge.bootstrap import Services
from lrs_bridge.mapping_files.holder import Snapshot
from lrs_bridge.xapi.errors import XAPIError


class Unavailable(XAPIError):
    """The server has no working mapping to read progress with (503)."""

    status = 503


def working(services: Services) -> Snapshot:
    """The mapping in use; Unavailable when none is loaded."""
    snapshot = services.mappings.current()
    if snapshot.mapping is None:
        raise Unavailable("no working mapping is loaded (see GET /api/v1/mappings), so "
                          "progress cannot be read")
    return snapshot
