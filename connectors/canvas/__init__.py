"""The Canvas LMS connector (lms-apis.md §2)."""

from lrs_bridge_connectors.canvas.connector import CanvasConnector
from lrs_bridge_connectors.canvas.links import links, next_link
from lrs_bridge_connectors.canvas.targets import check_lms

__all__ = ["CanvasConnector", "check_lms", "links", "next_link"]
