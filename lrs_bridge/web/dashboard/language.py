"""The dashboard's language: English or Dutch, from the browser's Accept-Language until the
person picks one with the switch, which the session then remembers."""

from flask import redirect, request, session
from flask_babel import get_locale

from lrs_bridge.web.dashboard.safe_next import safe_next

LANGUAGES = {"en": "English", "nl": "Nederlands"}
DEFAULT = "en"
SESSION_KEY = "lang"


def select_locale() -> str:
    """The language of this request: the session's choice, else the browser's best match."""
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT)


def current_language() -> str:
    """en or nl: which of a mapping's names to show."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT


def switch_language():
    """POST /dashboard/language: remember the language picked, back to the page it was on."""
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session[SESSION_KEY] = chosen
    return redirect(safe_next(request.form.get("next")))
