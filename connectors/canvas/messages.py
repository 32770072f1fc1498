"""The words of an alert sent as a Canvas conversation: a subject and a plain-text body that
read well to the learner and to their manager alike."""

# The alerts a manager is told of as well as the learner.
FOR_MANAGERS = ("skill_gap", "overdue", "stalled", "repeated_failure")
SUBJECT_LIMIT = 255  # Canvas's limit on a conversation's subject


def alert_text(event: dict) -> tuple[str, str]:
    """(subject, body) of an `alert.opened` event."""
    name = (event.get("learner") or {}).get("name") or "A learner"
    kind, subject = event.get("kind") or "alert", event.get("subject")
    words = _TEXTS.get(kind)
    text = words(event, event.get("detail") or {}) if words else f"{kind} ({subject})."
    title = f"{name}: {kind.replace('_', ' ')} ({subject})"
    return title[:SUBJECT_LIMIT], f"{name}: {text}\n\n(sent by lrs-bridge)"


def _day(text: str | None) -> str:
    return (text or "")[:10]


def _overdue(event: dict, detail: dict) -> str:
    return (f"the step {detail.get('module', event.get('subject'))} of the path "
            f"{event.get('path')} was due on {detail.get('due') or _day(event.get('since'))} "
            f"and is not yet {detail.get('outcome') or 'met'}.")


def _stalled(event: dict, detail: dict) -> str:
    paths = ", ".join(detail.get("open_paths") or []) or "some"
    quiet = _day(detail.get("quiet_since") or event.get("since"))
    return f"no learning activity since {quiet}, with open paths: {paths}."


def _milestone(event: dict, detail: dict) -> str:
    kind, _, ident = (event.get("subject") or "").partition(":")
    what = f"the {kind} {ident}" if ident else f"the milestone {event.get('subject')}"
    return f"{what} completed on {_day(event.get('since'))}. Well done!"


_TEXTS = {
    "overdue": _overdue,
    "skill_gap": lambda e, d: (f"the skill {e.get('subject')} is at level "
                               f"{d.get('level') or 0}, the role asks for {d.get('target')}."),
    "stalled": _stalled,
    "repeated_failure": lambda e, d: (f"{d.get('failures')} failed attempts at "
                                      f"{e.get('subject')}; it may be time for some help."),
    "expiring": lambda e, d: (f"the evidence of the skill {e.get('subject')} (level "
                              f"{d.get('level')}) expires on {_day(d.get('expires'))}: time "
                              f"to renew it."),
    "expired": lambda e, d: (f"the evidence of the skill {e.get('subject')} expired on "
                             f"{_day(e.get('since'))}."),
    "milestone": _milestone,
}
