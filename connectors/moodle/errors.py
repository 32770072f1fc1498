"""What each of Moodle's failures means for a delivery, in one place: retry later, or
permanent (an administrator or the mapping must act first), in Moodle's words plus what to do.

Moodle answers web-service errors with HTTP 200 and {"exception", "errorcode", "message"};
the exception class names are namespaced since 4.5, so only `errorcode` is compared.
"""

from email.utils import parsedate_to_datetime
from time import time

from lrs_bridge_connectors.base import Result

WEB_SERVICES_OFF = (
    "web services or the REST protocol are off on this Moodle (HTTP 403 with an empty body): "
    "turn on Site administration > Advanced features > Enable web services, and enable REST "
    "under Site administration > Server > Web services > Manage protocols")

# Transient: the same call can succeed later without anybody acting.
RETRY_CODES = frozenset({"sitemaintenance", "dmlreadexception", "dmlwriteexception",
                         "dbsessionfailed", "dbconnectionfailed"})

# The capability each write needs; Moodle's own message does not always name it.
CAPABILITIES = {
    "core_completion_override_activity_completion_status": "moodle/course:overridecompletion",
    "core_competency_grade_competency_in_course": "moodle/competency:competencygrade",
    "core_competency_grade_competency": "moodle/competency:competencygrade",
    "core_message_send_instant_messages": "moodle/site:sendmessage",
}

_HINTS = {
    "invalidtoken": "Moodle does not know this token: create one under Site administration > "
                    "Server > Web services > Manage tokens and give it to the connector",
    "accessexception": "Moodle refused the token: it may have expired or be limited to other "
                       "IP addresses, the external service may be off or lack {function}, or "
                       "the user's role may lack webservice/rest:use",
    "invalidrecord": "this Moodle has no web-service function {function} (an older version?)",
    "requireloginerror": "the service user cannot enter that course or activity: enrol it, or "
                         "give its role moodle/course:view and mod/<type>:view",
    "completionnotenabled": "turn on completion tracking in the course settings",
    "competenciesarenotenabled": "turn on competencies (Site administration > Competencies > "
                                 "Competencies settings)",
    "invalidparameter": "Moodle refused the arguments of {function}: check the mapping's "
                        "Moodle ids",
}


def exception_result(function: str, body: dict) -> Result:
    """What an exception envelope answered to `function` means."""
    code = str(body.get("errorcode") or "")
    words = str(body.get("message") or body.get("exception") or "error")
    message = f"Moodle {function}: {words}" + (f" ({code})" if code else "")
    if body.get("debuginfo"):
        message += f" [{body['debuginfo']}]"
    hint = _hint(function, code)
    if hint:
        message += f": {hint}"
    if code in RETRY_CODES:
        return Result.retry(message)
    return Result.permanent(message)


def _hint(function: str, code: str) -> str:
    if code in ("nopermission", "nopermissions"):
        capability = CAPABILITIES.get(function, "the capability this function needs")
        return f"give the service user's role {capability}"
    return _HINTS.get(code, "").format(function=function)


def status_result(function: str, status: int, empty: bool, retry_after: str | None,
                  location: str | None) -> Result:
    """What an HTTP status other than 200 answered to `function` means."""
    if status == 403 and empty:
        return Result.permanent(WEB_SERVICES_OFF)
    if status in (429, 503) or status >= 500:
        return Result.retry(f"Moodle {function}: HTTP {status}", _seconds(retry_after))
    if 300 <= status < 400:
        return Result.permanent(f"Moodle {function}: HTTP {status}, redirected to {location}: "
                                f"give the connector the Moodle address it redirects to")
    if status == 404:
        return Result.permanent(f"Moodle {function}: HTTP 404: is the connector's URL the "
                                f"address of the Moodle site (its wwwroot)?")
    return Result.permanent(f"Moodle {function}: HTTP {status}")


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not retry_after:
        return None
    text = retry_after.strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - time())
    except (TypeError, ValueError):
        return None
