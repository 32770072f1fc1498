"""What an HTTP answer, or its absence, means for a delivery: the wait a `Retry-After` asks
for, the receiver's words kept short, the failure of a network call, and the exception a
lookup raises when the LMS cannot answer it."""

import email.utils
import time
from urllib.parse import urlsplit

import requests

from lrs_bridge_connectors.base import ConnectorError, Result


class LmsFailure(ConnectorError):
    """A call the LMS did not answer as hoped; `result` says whether retrying may help, and
    `status` is the HTTP status of the answer (None without one). `resolve_user` raises it,
    since a lookup that failed is not a user that is missing."""

    def __init__(self, result: Result, status: int | None = None):
        super().__init__(result)
        self.status = status


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """The seconds a `Retry-After` header asks for (delta-seconds or an HTTP date, RFC 9110
    §10.2.3); None without a readable one."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # an HTTP date is GMT even when it does not say so
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def excerpt(text: str, limit: int = 200) -> str:
    """The start of a receiver's answer, on one line."""
    return " ".join((text or "").split())[:limit]


def host_of(url: str) -> str:
    """The host (and port) a URL names, for messages."""
    return urlsplit(url).netloc or url


def network_failure(err: requests.RequestException, host: str, timeout: float) -> Result:
    """A call that got no answer: worth another try later, said in plain words."""
    if isinstance(err, requests.Timeout):
        return Result.retry(f"{host} did not answer within {timeout:g} s")
    text = str(err).lower()
    if isinstance(err, requests.exceptions.SSLError):
        reason = "the TLS handshake failed (is the certificate trusted?)"
    elif "refused" in text:
        reason = "connection refused"
    elif "name or service not known" in text or "nodename nor servname" in text \
            or "getaddrinfo" in text:
        reason = "host name not found"
    else:
        reason = "connection failed"
    return Result.retry(f"cannot reach {host}: {reason}")


def without(secret: str, result: Result) -> Result:
    """`result` with `secret` blanked out of its message, should a receiver echo it."""
    if not secret or secret not in result.message:
        return result
    return Result(result.status, result.message.replace(secret, "[token]"),
                  result.retry_after, result.user_gone)
