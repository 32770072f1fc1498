"""Where to go after a form: a path on this site only, never another site."""

from flask import url_for


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site (`/dashboard/team?manager=…`), else the landing
    page: a link to the sign-in page cannot send anyone elsewhere after they sign in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target and not any(ord(c) < 32 for c in target):
        return target
    return url_for("dashboard.index")
