"""The demo's closing summary, worked out from what /api/v1 says of the learners and their
open alerts: people by status, statements, each path's completions, open alerts by kind."""

from collections import Counter

from lrs_bridge.journey.alert_rules import KINDS
from lrs_bridge.journey.learners import STATUSES

# How a status reads after a count of one and of more.
WORDS = {"active": ("active", "active"), "leaver": ("leaver", "leavers"),
         "alumni": ("alumnus", "alumni")}


def summary_lines(learners: list[dict], alerts: list[dict], statements: int,
                  path_order: list[str]) -> list[str]:
    """The summary as lines of text; `learners` and `alerts` as the API lists them,
    `path_order` the mapping's path ids."""
    statuses = Counter(person["status"] for person in learners)
    teams = {person["team"] for person in learners if person.get("team")}
    people = ", ".join(f"{statuses[s]} {WORDS[s][statuses[s] != 1]}"
                       for s in STATUSES if statuses[s])
    lines = [f"people       {len(learners):,} ({people or 'none'}) in {len(teams)} "
             f"team{'' if len(teams) == 1 else 's'}",
             f"statements   {statements:,} stored, every one folded into progress"]
    lines += _path_lines(learners, path_order)
    kinds = Counter(alert["kind"] for alert in alerts)
    shown = ", ".join(f"{kinds[k]:,} {k}" for k in sorted(kinds, key=_kind_order))
    lines.append(f"open alerts  {len(alerts):,}" + (f": {shown}" if shown else ""))
    return lines


def _path_lines(learners: list[dict], path_order: list[str]) -> list[str]:
    following, completed = Counter(), Counter()
    for person in learners:
        for path in person["paths"]:
            following[path["id"]] += 1
            completed[path["id"]] += path["status"] == "completed"
    order = [p for p in path_order if p in following] + sorted(set(following) - set(path_order))
    if not order:
        return ["paths        none followed"]
    width = max(len(p) for p in order)
    lines = [f"paths        {sum(completed.values()):,} completed of "
             f"{sum(following.values()):,} followed:"]
    lines += [f"  {p:<{width}}  {completed[p]:>4} of {following[p]:>4} "
              f"({round(100 * completed[p] / following[p])} %)" for p in order]
    return lines


def _kind_order(kind: str) -> tuple[int, str]:
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), kind)
