"""A webhook connector aimed at a fake receiver."""

import base64

import pytest
import requests

from lrs_bridge_connectors.base import ConnectorConfig
from lrs_bridge_connectors.webhook import WebhookConnector
from tests.contract.webhook.webhook_fake import Receiver

# 32 random-looking bytes in the whsec_ form receivers are given.
SECRET = "whsec_" + base64.b64encode(bytes(range(7, 39))).decode()


@pytest.fixture
def receiver(httpserver):
    yield Receiver(httpserver, SECRET)
    httpserver.check_assertions()


@pytest.fixture
def session():
    with requests.Session() as s:
        yield s


@pytest.fixture
def connector_for(session):
    """A factory: a webhook connector for a URL, with the secret and timeout given."""
    def make(url: str, secret: str = SECRET, timeout: float = 5.0) -> WebhookConnector:
        config = ConnectorConfig(name="hr-hooks", kind="webhook", url=url, token=secret,
                                 timeout=timeout)
        return WebhookConnector(config, session, {})
    return make


@pytest.fixture
def connector(receiver, connector_for):
    return connector_for(receiver.url)
