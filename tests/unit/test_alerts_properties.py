"""Properties of the alert rules over random statements: alerts follow the conditions, one per
key, whatever the order of the evidence; resolutions name only statements that are there."""

from dataclasses import replace
from datetime import UTC, date

from hypothesis import given, settings
from hypothesis import strategies as st

from lrs_bridge.journey.alert_rules import KINDS, WHILE_EMPLOYED
from lrs_bridge.journey.alerts import REASONS, conditions, reconcile
from lrs_bridge.journey.progress_state import LearnerProgress
from lrs_bridge.journey.progress_views import learner_view
from tests.unit.test_journey_mapping import MAPPING
from tests.unit.test_progress_properties import ANNA, MOMENTS, evidence, fold, statements


def evaluate(open_alerts: dict, state, learner, now) -> tuple[dict, list]:
    """One evaluation as a store would run it: the open alerts after it, and the resolutions."""
    view = learner_view(state, MAPPING, learner, now)
    holding = conditions(view, state, MAPPING, learner, now)
    opened, resolved = reconcile(open_alerts.values(), holding, view, state, learner, now)
    after = {**open_alerts, **{c.key: c for c in opened}}
    for r in resolved:
        del after[r.kind, r.subject]
    # What is open afterwards is exactly what holds, each once.
    assert after.keys() == holding.keys()
    assert len(open_alerts) + len(opened) - len(resolved) == len(holding)
    return after, resolved


@settings(max_examples=100, deadline=None)
@given(statements(), st.randoms(use_true_random=False), st.data())
def test_alerts_follow_the_conditions_and_name_only_statements_that_are_there(items, rnd, data):
    found = evidence(items)
    shuffled = list(found)
    rnd.shuffle(shuffled)
    kept = data.draw(st.sets(st.sampled_from([e.statement_id for e in found]))) \
        if found else set()
    open_alerts: dict = {}
    # The evidence grows, then some of it is voided, while time passes.
    for now, state in zip(MOMENTS, (fold(found[:len(found) // 2]), fold(found),
                                    fold([e for e in shuffled if e.statement_id in kept])),
                          strict=True):
        view = learner_view(state, MAPPING, ANNA, now)
        holding = conditions(view, state, MAPPING, ANNA, now)
        assert holding == conditions(learner_view(state, MAPPING, ANNA, now), fold(
            sorted(state.evidence.values(), key=lambda e: rnd.random())), MAPPING, ANNA, now)
        for key, condition in holding.items():
            assert key == condition.key and condition.kind in KINDS
            assert condition.since.tzinfo == UTC and condition.since <= now
        open_alerts, resolved = evaluate(open_alerts, state, ANNA, now)
        for r in resolved:
            assert r.reason in REASONS and r.at == now
            assert r.statement_id is None or r.statement_id in state.evidence


@settings(max_examples=50, deadline=None)
@given(statements())
def test_a_learner_who_has_left_keeps_only_the_alerts_about_what_they_did(items):
    state = fold(evidence(items))
    leaver = replace(ANNA, leave_date=date(2026, 2, 1))
    for now in MOMENTS:
        open_alerts = conditions(learner_view(state, MAPPING, ANNA, now), state, MAPPING,
                                 ANNA, now)
        after, resolved = evaluate(open_alerts, state, leaver, now)
        assert not {kind for kind, _ in after} & set(WHILE_EMPLOYED)
        assert all(r.kind in WHILE_EMPLOYED for r in resolved)
        assert all(r.reason == "left" for r in resolved if r.statement_id is None)


def as_stored(state):
    """The state as the worker loads it for the views: module summaries without their
    evidence, every skill, and only the evidence of no module."""
    return LearnerProgress({sid: e for sid, e in state.evidence.items() if e.module is None},
                           {m: replace(p, evidence={}) for m, p in state.modules.items()},
                           dict(state.skills))


@settings(max_examples=100, deadline=None)
@given(statements(), st.data())
def test_alerts_read_from_a_stored_state_equal_those_of_the_whole_state(items, data):
    found = evidence(items)
    before = fold(found)
    kept = data.draw(st.sets(st.sampled_from([e.statement_id for e in found]))) \
        if found else set()
    after = fold([e for e in found if e.statement_id in kept])
    for now in MOMENTS:
        # Open what holds for the whole state, then evaluate the smaller one both ways.
        open_alerts = conditions(learner_view(before, MAPPING, ANNA, now), before, MAPPING,
                                 ANNA, now)
        results = []
        for state in (after, as_stored(after)):
            view = learner_view(state, MAPPING, ANNA, now)
            holding = conditions(view, state, MAPPING, ANNA, now)
            results.append((view, holding, reconcile(open_alerts.values(), holding, view,
                                                     state, ANNA, now)))
        assert results[0] == results[1]
