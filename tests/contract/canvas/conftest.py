"""A Canvas connector aimed at the fake Canvas, with the sample organisation's map."""

import pytest
import requests

from lrs_bridge_connectors.base import ConnectorConfig
from lrs_bridge_connectors.canvas import CanvasConnector
from tests.contract.canvas.canvas_fake import TOKEN, CanvasFake

# Where the sample organisation's modules, paths and skills go in the fake Canvas.
LMS_MAP = {
    "modules": {"welcome-noordwind": {"course": 12, "assignment": 34},
                "privacy-basics": {"course": "sis_course_id:AVG-2026", "assignment": 35,
                                   "grade": "score"},
                "pulse-survey": {"course": 12, "column": 10}},
    "paths": {"onboarding-general": {"course": 12, "column": "Onboarding progress"}},
    "skills": {"privacy-gdpr": {"course": 12, "column": "Privacy skill"}},
}


@pytest.fixture
def canvas(httpserver):
    yield CanvasFake(httpserver)
    httpserver.check_assertions()


@pytest.fixture
def naps():
    """The pauses the connector took (instead of sleeping them)."""
    return []


@pytest.fixture
def connector_for(naps):
    """A factory: a Canvas connector for a URL, with the token, map and options given."""
    sessions = []

    def make(url: str, token: str = TOKEN, lms_map: dict | None = None,
             timeout: float = 5.0, **options) -> CanvasConnector:
        config = ConnectorConfig(name="canvas", kind="canvas", url=url, token=token,
                                 options=options, timeout=timeout)
        sessions.append(requests.Session())
        return CanvasConnector(config, sessions[-1], LMS_MAP if lms_map is None else lms_map,
                               sleep=naps.append)
    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def connector(canvas, connector_for):
    return connector_for(canvas.url)
