"""The L&D dashboard: server-rendered pages for L&D staff and managers, in English and Dutch,
behind a sign-in of their own (dashboard users, never xAPI credentials)."""

import os
from datetime import timedelta

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from lrs_bridge.bootstrap import Services
from lrs_bridge.web.dashboard import blueprint, labels, language, signin
from lrs_bridge.web.session_key import session_key

TRANSLATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")
SESSION_HOURS = 12


def init_app(app: Flask, services: Services) -> None:
    """Sessions, sign-in, CSRF protection, languages and the dashboard's routes on `app`."""
    app.secret_key = session_key(services.settings)
    app.config.update(
        SESSION_COOKIE_NAME="lrs_bridge_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=services.settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # The dashboard blueprint checks the token of every form itself; the xAPI and JSON
        # APIs take Basic credentials, not cookies, and have no token to send.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session
    )
    CSRFProtect(app)
    Babel(app, locale_selector=language.select_locale,
          default_translation_directories=TRANSLATIONS)
    signin.init_app(app, services.dashboard_users)
    app.register_blueprint(blueprint.build())
    app.context_processor(_template_globals)


def _template_globals() -> dict:
    return {"navigation": blueprint.navigation(), "languages": language.LANGUAGES,
            "current_language": language.current_language(), "label_of": _label_of}


_LABELS = {"alert": labels.ALERT_KINDS, "status": labels.STEP_STATUSES,
           "meaning": labels.MEANINGS, "learner": labels.LEARNER_STATUSES,
           "role": labels.ROLES, "reason": labels.REASONS}


def _label_of(table: str, code: str | None) -> str:
    """In templates: the word for an engine code, e.g. label_of("alert", "skill_gap")."""
    return labels.label(_LABELS[table], code)
