"""Properties of the fold: the state and the views depend on the set of evidence only."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lrs_bridge.journey.matching import PHASE_TAG, SKILL_TAG
from lrs_bridge.journey.progress import add, evidence_of, retract
from lrs_bridge.journey.progress_state import LearnerProgress
from lrs_bridge.journey.progress_views import Learner, learner_view
from tests.unit.test_journey_mapping import MAPPING, statement

ACTIVITIES = ("https://learning.example.nl/modules/privacy-basics",
              "https://learning.example.nl/courses/crm/a", "https://example.com/unmapped")
VERBS = ("passed", "failed", "completed", "attempted", "experienced", "progressed", "responded")
TAGS = (PHASE_TAG + "development", SKILL_TAG + "privacy/levels/1", SKILL_TAG + "crm/levels/3",
        SKILL_TAG + "privacy")
ANNA = Learner("agent", start_date=date(2026, 1, 5), paths=("onboarding",))
# Moments around the one-year validity of privacy evidence, so some of it has expired.
MOMENTS = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2027, 1, 3, tzinfo=UTC),
           datetime(2028, 1, 1, tzinfo=UTC))
FOLD_AT = datetime(2026, 6, 1, tzinfo=UTC)


# Built once: strategies made inside a draw cost more than the fold under test.
_RESULT = st.fixed_dictionaries({}, optional={
    "success": st.booleans(), "completion": st.booleans(),
    "score": st.fixed_dictionaries({"scaled": st.sampled_from((0.5, 0.8, 0.95))})})
# Few days, so that timestamps often tie.
_STATEMENT = st.tuples(st.sampled_from(ACTIVITIES), st.sampled_from(VERBS), _RESULT,
                       st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
                       st.integers(0, 4))


def _statement(number: int, drawn: tuple) -> dict:
    activity, verb, result, tags, day = drawn
    moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day)
    extra = {"context": {"contextActivities": {"category": [{"id": t} for t in tags]}}}
    return statement(activity, verb, id=f"s{number:02d}", timestamp=moment.isoformat(),
                     result=result, **(extra if tags else {}))


def statements():
    """Lists of statements with distinct ids."""
    return st.lists(_STATEMENT, max_size=12).map(
        lambda drawn: [_statement(n, d) for n, d in enumerate(drawn)])


def evidence(items: list[dict]) -> list:
    # Trust alternates, so trusted and untrusted self-tags both occur.
    found = [evidence_of(MAPPING, s, trusted_tags=i % 2 == 0) for i, s in enumerate(items)]
    return [e for e in found if e is not None]


def fold(items) -> LearnerProgress:
    state = LearnerProgress()
    for item in items:
        state, _ = add(state, item, MAPPING, FOLD_AT)
    return state


def views(state: LearnerProgress) -> list:
    return [learner_view(state, MAPPING, ANNA, moment) for moment in MOMENTS]


@settings(max_examples=100, deadline=None)
@given(statements(), st.randoms(use_true_random=False))
def test_any_order_of_the_same_evidence_gives_the_same_state_and_views(items, rnd):
    found = evidence(items)
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert fold(shuffled) == fold(found)
    assert views(fold(shuffled)) == views(fold(found))


@settings(max_examples=100, deadline=None)
@given(statements(), st.data())
def test_adding_then_retracting_a_statement_equals_never_adding_it(items, data):
    found = evidence(items)
    if not found:
        return
    extra = data.draw(st.sampled_from(found))
    rest = [e for e in found if e is not extra]
    state, _ = add(fold(rest), extra, MAPPING, FOLD_AT)
    state, _ = retract(state, extra.statement_id, MAPPING, FOLD_AT)
    assert state == fold(rest)
    assert views(state) == views(fold(rest))


@settings(max_examples=100, deadline=None)
@given(statements(), st.randoms(use_true_random=False), st.data())
def test_retracting_a_subset_in_any_order_equals_folding_only_the_rest(items, rnd, data):
    found = evidence(items)
    rnd.shuffle(found)
    voided = data.draw(st.sets(st.sampled_from([e.statement_id for e in found]))) \
        if found else set()
    state = fold(found)
    for sid in sorted(voided, key=lambda _: rnd.random()):
        state, _ = retract(state, sid, MAPPING, FOLD_AT)
    rest = [e for e in found if e.statement_id not in voided]
    assert state == fold(rest)
    assert views(state) == views(fold(rest))
