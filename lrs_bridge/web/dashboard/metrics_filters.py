"""The metrics page's filters from its GET parameters: phase, role, team and the period
(`from`, `to`), checked like GET /api/v1/metrics/journey checks them, with a 400 page in the
reader's language for a value that cannot be used. A manager's figures are always of their
own team."""

from dataclasses import dataclass
from datetime import date

from flask import request
from flask_babel import format_date, gettext
from werkzeug.exceptions import BadRequest

from lrs_bridge.journey.metrics.period import Filters, Period, default_period
from lrs_bridge.journey.model import Mapping
from lrs_bridge.store.dashboard_users import DashboardUser
from lrs_bridge.web.dashboard.access import team_manager
from lrs_bridge.web.journey_query import FIRST, LAST, MOST_DAYS, iso_day

NAMES = ("phase", "role", "team", "from", "to")
_SHOWN = 60  # characters of a refused value the error page repeats


@dataclass(frozen=True)
class Chosen:
    """The period and filters asked for, and the parameters that ask for them again."""

    period: Period
    filters: Filters
    args: dict[str, str]


def read_filters(user: DashboardUser, mapping: Mapping, teams: list[str],
                 today: date) -> Chosen:
    """The filters of this request; `teams`: those `user` may pick."""
    phase = _one_of("phase", [p.id for p in mapping.phases],
                    gettext("There is no phase “%(value)s” in the mapping."))
    role = _one_of("role", [r.id for r in mapping.roles],
                   gettext("There is no role “%(value)s” in the mapping."))
    team = _one_of("team", teams,
                   gettext("There is no team “%(value)s” among the learners you see."))
    period = _period(today)
    args = {name: request.args[name].strip() for name in NAMES
            if request.args.get(name, "").strip()}
    return Chosen(period, Filters(phase=phase, role=role, team=team,
                                  manager=team_manager(user)), args)


def _value(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None  # an empty field of the form: any


def _refuse(message: str):
    raise BadRequest(message)


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _one_of(name: str, allowed: list[str], message: str) -> str | None:
    value = _value(name)
    if value is not None and value not in allowed:
        _refuse(message % {"value": _shown(value)})
    return value


def _period(today: date) -> Period:
    given = _date("to", gettext("To"))
    end = given or today
    start = _date("from", gettext("From")) or default_period(end).start
    if end < start:
        _refuse(gettext("The period ends (%(end)s) before it begins (%(start)s).",
                        end=format_date(end), start=format_date(start)))
    if (end - start).days >= MOST_DAYS:
        _refuse(gettext("A period may span at most five years."))
    return Period(start, end)


def _date(name: str, field: str) -> date | None:
    value = _value(name)
    if value is None:
        return None
    found = iso_day(value)
    if found is None:
        _refuse(gettext("%(field)s: “%(value)s” is not a date (YYYY-MM-DD, e.g. 2026-03-01).",
                        field=field, value=_shown(value)))
    if not FIRST <= found <= LAST:
        _refuse(gettext("%(field)s: a date between %(first)s and %(last)s, please.",
                        field=field, first=FIRST.isoformat(), last=LAST.isoformat()))
    return found
