"""The generic signed webhook connector (Standard Webhooks), and `verify` for receivers."""

from lrs_bridge_connectors.webhook.connector import EVENT_TYPES, PING, WebhookConnector
from lrs_bridge_connectors.webhook.signing import secret_bytes, sign, verify

__all__ = ["EVENT_TYPES", "PING", "WebhookConnector", "secret_bytes", "sign", "verify"]
