"""What a Canvas answer other than 2xx means for a delivery, in words an administrator can
act on (lms-apis.md §2.2, §2.3)."""

import requests

from lrs_bridge_connectors.base import Result
from lrs_bridge_connectors.http_results import excerpt, retry_after

# A throttled request waits for room in the bucket: 50 units up front of a 600-unit bucket
# that drains 10 a second.
THROTTLED_WAIT = 10.0


def failure(response: requests.Response, what: str) -> Result:
    """The result of a failed call that was to `what` (a phrase: "grade assignment 5 …")."""
    code, words = response.status_code, canvas_words(response)
    if throttled(response):
        wait = retry_after(response.headers.get("Retry-After")) or THROTTLED_WAIT
        return Result.retry(f"Canvas is throttling this token (rate limit exceeded) while "
                            f"trying to {what}: slowing down", wait)
    if code == 401 and "not authorized" not in words.lower():
        return Result.permanent(f"Canvas refused the token (\"{words}\"): make a new access "
                                f"token and give it to the connector")
    if code in (401, 403):
        return Result.permanent(f"the token's user may not {what}: Canvas says \"{words}\"")
    if code == 404:
        return Result.permanent(f"Canvas cannot {what}: one of them does not exist "
                                f"(\"{words}\")")
    if code >= 500 or code == 408:
        return Result.retry(f"Canvas failed to {what} (HTTP {code}): {words}")
    return Result.permanent(f"Canvas refused to {what} (HTTP {code}): {words}")


def throttled(response: requests.Response) -> bool:
    """A rate-limit answer: Canvas's plain-text 403, or the 429 some installs send."""
    if response.status_code == 429:
        return True
    # A 403 is also Canvas's answer to a missing permission: only the body tells them apart.
    return response.status_code == 403 and "rate limit exceeded" in response.text.lower()


def canvas_words(response: requests.Response) -> str:
    """The messages of Canvas's error envelope, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return excerpt(response.text) or response.reason or f"HTTP {response.status_code}"
    messages = []
    if isinstance(body, dict):
        messages = _messages(body.get("errors"))
        messages += [body[key] for key in ("error", "message") if isinstance(body.get(key), str)]
    elif isinstance(body, list):  # POST /conversations: [{"attribute", "message"}]
        messages = _messages(body)
    return excerpt("; ".join(messages)) or excerpt(response.text)


def _messages(errors) -> list[str]:
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):  # {"errors": {"<attribute>": [{"message": …}]}}
        return [f"{name}: {m}" for name, found in errors.items()
                for m in _messages(found if isinstance(found, list) else [found])]
    if not isinstance(errors, list):
        return []
    found = []
    for item in errors:
        if isinstance(item, dict) and item.get("message"):
            prefix = f"{item['attribute']}: " if item.get("attribute") else ""
            found.append(f"{prefix}{item['message']}")
        elif isinstance(item, str):
            found.append(item)
    return found
