"""A learner report and alerts as terminal text: lines that fit 80 columns, dates without
times, nothing printed for what is not known."""

# The width of the label column of `learner show`, and of the terminal it is written for.
LABEL, WIDTH = 14, 80


def labelled(label: str, value) -> list[str]:
    """`label:` and the value; a list gives one line per item, the label on the first."""
    items = value if isinstance(value, list) else [value]
    lines = []
    for item in items:
        if item:
            lines.append(f"{label + ':' if label and not lines else '':<{LABEL}}{item}")
    return lines


def progress_lines(report: dict) -> list[str]:
    """The progress part of `learner show`: phase, paths with their steps, skills, alerts."""
    lines = [*labelled("phase", report["phase"] or "none yet"),
             *labelled("last active", _day(report["last_activity"]) or "never")]
    for path in report["paths"]:
        lines += ["", f"{path['name']} ({path['id']})",
                  f"  {_status(path['status'])}, {_percent(path['progress'])}"
                  + (f", completed {_day(path['completed_at'])}" if path["completed_at"] else "")]
        lines += [line for step in path["steps"] for line in _step_line(step)]
    if report["skills"]:
        lines += ["", "skills"] + [_skill_line(skill) for skill in report["skills"]]
    lines += ["", f"open alerts: {len(report['alerts']) or 'none'}"]
    width = max((len(alert["kind"]) for alert in report["alerts"]), default=0)
    for alert in report["alerts"]:
        lines += _fit(f"  {alert['kind']:<{width}}  {alert['subject']}:", [reason(alert)],
                      width + 4)
    return lines


def alert_line(alert: dict) -> str:
    """One alert on one line: opened, kind, learner, subject and why."""
    who = alert.get("learner_email") or alert.get("learner_name") or f"learner {alert['learner']}"
    state = "" if alert["status"] == "open" else f" [resolved {_day(alert['resolved'])}]"
    return f"{_day(alert['opened'])}  {alert['kind']:<16} {who}  {alert['subject']}: " \
           f"{reason(alert)}{state}"


def reason(alert: dict) -> str:
    """A few words from the alert's detail saying why it holds."""
    detail, kind = alert["detail"], alert["kind"]
    if kind == "overdue":
        return f"due {detail['due']}"
    if kind == "repeated_failure":
        return f"failed {detail['failures']} of {detail['attempts']} attempts"
    if kind == "skill_gap":
        return f"{_level(detail['level'])}, target {detail['target']}"
    if kind == "expiring":
        return f"level {detail['level']} expires {_day(detail['expires'])}"
    if kind == "expired":
        return f"level {detail['level']} expired {_day(detail['expired'])}"
    if kind == "stalled":
        return f"no activity since {_day(detail['quiet_since'])}"
    if kind == "milestone":
        return "path completed" if "path" in detail else "phase completed"
    return ", ".join(f"{key} {value}" for key, value in sorted(detail.items()))


def _step_line(step: dict) -> list[str]:
    name = step["module"] if len(step["module"]) <= 26 else step["module"][:25] + "…"
    head = f"  {step['number']:>2} {name:<26} {_status(step['status']):<11}"
    parts = []
    if step["completed_at"]:
        parts.append(f"done {_day(step['completed_at'])}")
    elif step["due"]:
        parts.append(f"due {step['due']}" + (" OVERDUE" if step["overdue"] else ""))
    if step["score"] is not None:
        parts.append(f"score {_percent(step['score'])}")
    if step["optional"]:
        parts.append("(optional)")
    return _fit(head, parts, len(head) + 1)


def _fit(head: str, parts: list[str], indent: int) -> list[str]:
    """`head` and `parts` on one line, or as many parts as fit and the rest on a line below,
    `indent` in. Ids are never cut: a head longer than WIDTH stays so."""
    kept = list(parts)
    while kept and len(" ".join([head, *kept])) > WIDTH:
        kept.pop()
    rest = parts[len(kept):]
    lines = [" ".join([head, *kept]).rstrip()]
    return lines + ([" " * indent + " ".join(rest)] if rest else [])


def _skill_line(skill: dict) -> str:
    target = f", target {skill['target']}" if skill["target"] is not None else ""
    gap = f", gap {skill['gap']}" if skill["gap"] else ""
    expires = f"  expires {_day(skill['expires'])}" if skill["expires"] else ""
    return f"  {skill['id']:<28} {_level(skill['level'])}{target}{gap}{expires}"


def _level(level: int | None) -> str:
    return "no level" if level is None else f"level {level}"


def _status(status: str) -> str:
    return status.replace("_", " ")


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _day(moment: str | None) -> str | None:
    """The date of an ISO 8601 date or timestamp (as the report gives it, in UTC)."""
    return moment[:10] if moment else None
