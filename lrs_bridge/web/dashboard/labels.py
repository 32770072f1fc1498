"""Words the dashboard shows for the engine's codes (alert kinds, statuses, verb meanings),
in the request's language, and the mapping's names in that language."""

from datetime import date

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from lrs_bridge.journey.model import Mapping, Text
from lrs_bridge.web.dashboard.language import current_language

ALERT_KINDS = {
    "overdue": _l("Overdue step"),
    "skill_gap": _l("Skill gap"),
    "stalled": _l("Stalled"),
    "repeated_failure": _l("Repeated failure"),
    "expiring": _l("Skill expiring"),
    "expired": _l("Skill expired"),
    "milestone": _l("Milestone"),
}
STEP_STATUSES = {
    "not_started": _l("not started"),
    "in_progress": _l("in progress"),
    "failed": _l("failed"),
    "completed": _l("completed"),
    "passed": _l("passed"),
}
MEANINGS = {
    "completed": _l("completed"), "passed": _l("passed"), "failed": _l("failed"),
    "progressed": _l("progressed"), "attempted": _l("attempted"),
    "experienced": _l("experienced"), "satisfied": _l("satisfied"), "waived": _l("waived"),
    "responded": _l("responded"), "attended": _l("attended"), "abandoned": _l("abandoned"),
    "ignored": _l("ignored"),
}
LEARNER_STATUSES = {"active": _l("active"), "leaver": _l("leaver"), "alumni": _l("alumni")}
ROLES = {"admin": _l("administrator"), "ld": _l("L&D"), "manager": _l("manager")}
REASONS = {
    "passed": _l("passed"), "completed": _l("completed"), "evidence": _l("new evidence"),
    "activity": _l("new activity"), "expired": _l("expired"), "left": _l("left the company"),
    "no_longer_holds": _l("no longer holds"),
}


def label(table: dict, code: str | None) -> str:
    """The word for `code` in `table`, or the code itself when it has none."""
    if code is None:
        return ""
    return str(table.get(code, code))


class Names:
    """The mapping's names of phases, paths, modules, skills and roles in one language; an
    id the mapping does not know shows as itself."""

    def __init__(self, mapping: Mapping | None, language: str | None = None):
        self.language = language or current_language()
        mapping = mapping or Mapping()
        self._by_kind = {
            "phase": {p.id: p.name for p in mapping.phases},
            "path": {p.id: p.name for p in mapping.paths},
            "module": {m.id: m.title for m in mapping.modules},
            "skill": {s.id: s.name for s in mapping.skills},
            "role": {r.id: r.name for r in mapping.roles},
        }

    def of(self, kind: str, ident: str | None) -> str:
        """The name of object `ident` of `kind` (phase, path, module, skill, role)."""
        if not ident:
            return ""
        text: Text | None = self._by_kind[kind].get(ident)
        if text is None:
            return ident
        return text.nl if self.language == "nl" else text.en

    def subject(self, kind: str, subject: str) -> str:
        """An alert's subject as words: `path/module`, a module, a skill, `path:<id>` …"""
        if kind == "overdue" and "/" in subject:
            path, module = subject.split("/", 1)
            return f"{self.of('path', path)} › {self.of('module', module)}"
        if kind == "repeated_failure":
            return self.of("module", subject)
        if kind in ("skill_gap", "expiring", "expired"):
            return self.of("skill", subject)
        if kind == "milestone" and ":" in subject:
            what, ident = subject.split(":", 1)
            return self.of(what, ident) if what in ("path", "phase") else subject
        if subject == "journey":
            return str(_l("the learning journey"))
        return subject


def alert_reason(kind: str, detail: dict) -> str:
    """A few words from an alert's detail saying why it holds."""
    if kind == "overdue":
        return gettext("due %(day)s", day=_day(detail.get("due")))
    if kind == "repeated_failure":
        return gettext("failed %(failures)s of %(attempts)s attempts",
                       failures=detail.get("failures"), attempts=detail.get("attempts"))
    if kind == "skill_gap":
        level = detail.get("level")
        return gettext("level %(level)s, target %(target)s",
                       level=level if level is not None else 0, target=detail.get("target"))
    if kind == "expiring":
        return gettext("level %(level)s expires %(day)s", level=detail.get("level"),
                       day=_day(detail.get("expires")))
    if kind == "expired":
        return gettext("level %(level)s expired %(day)s", level=detail.get("level"),
                       day=_day(detail.get("expired")))
    if kind == "stalled":
        return gettext("no activity since %(day)s", day=_day(detail.get("quiet_since")))
    if kind == "milestone":
        return gettext("path completed") if "path" in detail else gettext("phase completed")
    return ", ".join(f"{key} {value}" for key, value in sorted(detail.items()))


def _day(text: str | None) -> str:
    """An ISO date or moment of an alert's detail as a date in the request's language."""
    if not text:
        return "?"
    try:
        return format_date(date.fromisoformat(text[:10]))
    except ValueError:
        return text
