"""Signing in to the dashboard and out again: dashboard users only (never xAPI credentials),
one answer for an unknown address and a wrong password, and a wait after repeated failures."""

import hashlib
import secrets

from flask import Flask, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import LoginManager, UserMixin, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from lrs_bridge.store.dashboard_users import DashboardUser, DashboardUserStore
from lrs_bridge.web.dashboard.language import SESSION_KEY as LANGUAGE_KEY
from lrs_bridge.web.dashboard.safe_next import safe_next
from lrs_bridge.web.dashboard.throttle import LoginThrottle


class SessionUser(UserMixin):
    """Flask-Login's view of a dashboard user."""

    def __init__(self, user: DashboardUser):
        self.user = user

    def get_id(self) -> str:
        # The id with a digest of the password hash: a new password (`users password`) ends
        # every session signed in with the old one.
        return f"{self.user.id}:{_fingerprint(self.user.password_hash)}"


class SignIn:
    """The users store, the throttle and a dummy hash, kept on the app."""

    def __init__(self, store: DashboardUserStore):
        self.store = store
        self.throttle = LoginThrottle()
        # Checked when the address is unknown, so that an unknown address costs as much time
        # as a wrong password and response times do not tell which addresses exist.
        self.dummy_hash = generate_password_hash(secrets.token_hex(16), store.hash_method)

    def check(self, email: str, password: str) -> DashboardUser | None:
        """The user whose e-mail address and password these are, else None."""
        user = self.store.find(email)
        if user is None:
            check_password_hash(self.dummy_hash, password)
            return None
        return user if check_password_hash(user.password_hash, password) else None

    def load(self, session_id: str) -> SessionUser | None:
        """The user of a session id that get_id made, if they still exist unchanged."""
        number, _, fingerprint = session_id.partition(":")
        user = self.store.get(int(number)) if number.isdigit() else None
        if user is None or not secrets.compare_digest(fingerprint,
                                                      _fingerprint(user.password_hash)):
            return None
        return SessionUser(user)


def init_app(app: Flask, store: DashboardUserStore) -> None:
    """Attach Flask-Login and the sign-in helpers to `app`."""
    signin = app.extensions["lrs_bridge_signin"] = SignIn(store)
    manager = LoginManager(app)
    manager.user_loader(signin.load)
    manager.unauthorized_handler(_to_sign_in)


def login():
    """GET: the sign-in form; POST: sign in and go where the person was going."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("dashboard/login.html", next=target)
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    signin: SignIn = current_app.extensions["lrs_bridge_signin"]
    wait = signin.throttle.wait_seconds(email)
    if wait:
        minutes = max(1, round(wait / 60))
        message = gettext("Too many failed sign-ins with this e-mail address. Try again in "
                          "%(minutes)d minutes.", minutes=minutes)
        return render_template("dashboard/login.html", next=target, email=email,
                               error=message), 429
    user = signin.check(email, password) if email and password else None
    if user is None:
        signin.throttle.failed(email)
        return render_template("dashboard/login.html", next=target, email=email,
                               error=gettext("Wrong e-mail address or password.")), 401
    signin.throttle.succeeded(email)
    language = session.get(LANGUAGE_KEY)
    session.clear()  # nothing from before signing in carries over (session fixation)
    if language:
        session[LANGUAGE_KEY] = language
    login_user(SessionUser(user))
    session.permanent = True
    return redirect(target)


def logout():
    """POST: sign out (keeping the language), back to the sign-in page."""
    language = session.get(LANGUAGE_KEY)
    logout_user()
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    return redirect(url_for("dashboard.login", signed_out=1))


def _to_sign_in():
    return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
