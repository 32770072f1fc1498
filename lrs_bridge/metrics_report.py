"""The journey metrics of a tenant for a period and filters, as GET /api/v1/metrics/journey
gives them: counts from the store's metric tables, worked out by the pure metrics."""

from datetime import date, timedelta

import isodate
from sqlalchemy import Connection

from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.markers import exit_surveys, onboarding_phase, short_modules
from lrs_bridge.journey.metrics import cohorts, coverage, engagement, participation, paths, skills
from lrs_bridge.journey.metrics.period import METRICS, Filters, Period, blocks
from lrs_bridge.journey.model import Mapping
from lrs_bridge.store import metrics_activity as activity
from lrs_bridge.store import metrics_people as people
from lrs_bridge.store.metrics_scope import scope

_DAY = date(2000, 1, 1)


def default_within(mapping: Mapping) -> int:
    """The days ahead skill decay looks by default: the mapping's expiry warning."""
    warning = mapping.alerts.expiry_warning
    if isinstance(warning, timedelta):
        return warning.days
    return (_DAY + warning - _DAY).days  # an isodate Duration of months or years


class Report:
    """The metrics of one request: the tenant, mapping, period and filters they are read for."""

    def __init__(self, conn: Connection, tenant_id: int, mapping: Mapping, period: Period,
                 filters: Filters, within_days: int, today: date):
        self.conn, self.tenant_id, self.mapping = conn, tenant_id, mapping
        self.period, self.filters, self.within_days = period, filters, within_days
        self.today = today
        self.found = scope(tenant_id, filters)
        self.phase_modules = {m.id for m in mapping.modules
                              if filters.phase is None or m.phase == filters.phase}
        self._groups = self._counts = None

    def build(self, wanted: tuple[str, ...] = METRICS) -> dict:
        """The JSON body: the period and filters, and each metric of `wanted`."""
        body = {"period": self.period.as_json(), "filters": self.filters.as_json()}
        for name in METRICS:
            if name in wanted:
                body[name] = getattr(self, name)()
        return body

    def phases(self) -> list[str]:
        return [p.id for p in self.mapping.phases
                if self.filters.phase is None or p.id == self.filters.phase]

    def participation(self) -> dict:
        groups, taking, totals = self._participation()
        return {"phases": [p.as_json() for p in participation.participation(
            self.phases(), groups, taking, self.period, totals)]}

    def coverage(self) -> dict:
        groups, _, totals = self._participation()
        totals = totals if totals is not None else participation.totals_of(groups, self.period)
        active = {phase: t.active for phase, t in totals.items()}
        return coverage.coverage(self.mapping, self.phases(), active).as_json()

    def paths(self) -> list[dict]:
        wanted = [(p.id, p.phase) for p in self.mapping.paths
                  if self.filters.phase is None or p.phase == self.filters.phase]
        counts = people.path_counts(self.conn, self.tenant_id, self.period, self.filters.phase,
                                    self.found)
        return [p.as_json() for p in paths.path_completion(wanted, counts)]

    def phase_completion(self) -> list[dict]:
        """Per phase: learners following its paths, and those who completed all of them (the
        dashboard's journey overview; not one of the API's METRICS)."""
        counts = people.phase_counts(self.conn, self.tenant_id, self.period, self.filters.phase,
                                     self.found)
        return [c.as_json() for c in paths.phase_completion(self.phases(), counts)]

    def skill_gaps(self) -> dict:
        targets = {r.id: r.skills for r in self.mapping.roles
                   if self.filters.role is None or r.id == self.filters.role}
        wanted = self._skills()
        counts = people.level_counts(self.conn, self.tenant_id, self.period, self.filters.role,
                                     wanted, scope(self.tenant_id, self.filters, role=False))
        return skills.gap_matrix(targets, wanted, counts).as_json()

    def skill_decay(self) -> dict:
        expiring = lookups(self.mapping).valid_for
        wanted = [s for s in self._skills() if s in expiring]
        counts = people.decay_counts(self.conn, self.tenant_id, self.period, self.within_days,
                                     self.filters.role, wanted,
                                     scope(self.tenant_id, self.filters, role=False))
        return skills.skill_decay(wanted, counts, self.within_days, {
            s: isodate.duration_isoformat(expiring[s]) for s in wanted}).as_json()

    def time_to_productivity(self) -> dict | None:
        phase = self._onboarding()
        if phase is False:
            return None
        counts = people.onboarding_counts(self.conn, self.tenant_id, self.period, self.found)
        return cohorts.time_to_productivity(phase, counts).as_json()

    def retention(self) -> dict | None:
        if self._onboarding() is False:
            return None
        counts = people.retention_counts(self.conn, self.tenant_id, self.period, self.today,
                                         self.found)
        return cohorts.retention(counts).as_json()

    def microlearning(self) -> dict:
        short = short_modules(self.mapping)
        modules = [m.id for m in self.mapping.modules
                   if m.id in short and m.id in self.phase_modules]
        days, active = activity.short_days(self.conn, self.tenant_id, self.period, modules,
                                           self.found)
        employed, _ = self._learner_counts()
        return engagement.microlearning(modules, employed, active, days,
                                        self.period).as_json()

    def exit_feedback(self) -> dict:
        exits = exit_surveys(self.mapping)
        modules = [m.id for m in self.mapping.modules
                   if m.id in exits and m.id in self.phase_modules]
        counts, respondents = activity.survey_counts(self.conn, self.tenant_id, self.period,
                                                     modules, self.found)
        _, leavers = self._learner_counts()
        return engagement.exit_feedback(modules, counts, leavers, respondents).as_json()

    def _participation(self):
        if self._groups is None:
            groups, taking = activity.phase_groups(self.conn, self.tenant_id, self.period,
                                                   self.filters.phase, self.found)
            totals = activity.phase_totals(self.conn, self.tenant_id, self.period,
                                           self.filters.phase, self.found) \
                if len(blocks(self.period)) > 1 else None
            self._groups = (groups, taking, totals)
        return self._groups

    def _learner_counts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = people.learner_counts(self.conn, self.tenant_id, self.period,
                                                 self.found)
        return self._counts

    def _skills(self) -> list[str]:
        """The mapping's skills; with a phase, those its modules give."""
        given = {g.skill for m in self.mapping.modules if m.id in self.phase_modules
                 for g in m.skills}
        return [s.id for s in self.mapping.skills
                if self.filters.phase is None or s.id in given]

    def _onboarding(self):
        """The onboarding phase; False when the phase filter names another one."""
        phase = onboarding_phase(self.mapping)
        if self.filters.phase is not None and self.filters.phase != phase:
            return False
        return phase
