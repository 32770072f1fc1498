"""The Moodle connector (Moodle 4.5 LTS and later, REST web services)."""

from lrs_bridge_connectors.moodle.connector import MoodleConnector

__all__ = ["MoodleConnector"]
