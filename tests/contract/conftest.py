"""Fixtures of the connector contract tests: a fake LMS on pytest-httpserver per test."""

import pytest
import requests

from lrs_bridge_connectors.base import ConnectorConfig
from lrs_bridge_connectors.moodle import MoodleConnector
from tests.contract.moodle_fake import TOKEN, FakeMoodle


@pytest.fixture
def moodle(httpserver):
    """A fake Moodle; after the test, no request may have gone unanswered by it."""
    fake = FakeMoodle(httpserver)
    yield fake
    if fake.hold is not None:
        fake.hold.set()
    httpserver.check_assertions()


@pytest.fixture
def session():
    with requests.Session() as opened:
        yield opened


@pytest.fixture
def connect(moodle, session):
    """A MoodleConnector for the fake: connect(lms_map, token=…, timeout=…, url=…, **options)."""
    def make(lms_map=None, token=TOKEN, timeout=5.0, url=None, **options):
        config = ConnectorConfig("moodle-test", "moodle", url or moodle.url, token, options,
                                 timeout)
        return MoodleConnector(config, session, lms_map or {})
    return make
