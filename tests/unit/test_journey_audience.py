"""Calendar arithmetic of the metrics, and who is in a phase's audience when: windows of the
sample organisation's paths, worked out by hand from mappings/paths.yaml."""

from datetime import date
from pathlib import Path

from lrs_bridge.journey.audience import (
    Followed,
    Window,
    audience_months,
    followed_now,
    onboarding_paths,
    windows,
)
from lrs_bridge.journey.dates import (
    add_months,
    block_of,
    day_number,
    masks,
    month_index,
    month_label,
    months,
    unmask,
    week_number,
    week_start,
)
from lrs_bridge.journey.learners import Learner, RoleSpell
from lrs_bridge.mapping_files.loader import load_mapping

SAMPLE = load_mapping(Path(__file__).parents[2] / "mappings").mapping
START = date(2026, 3, 2)


def anna(*roles: tuple[str, date], leave: date | None = None, extra=()) -> Learner:
    spells = tuple(RoleSpell(role, since) for role, since in roles) or (
        RoleSpell("customer-service-agent", START),)
    return Learner(frozenset({"mbox:anna"}), spells, START, leave_date=leave, paths=extra)


def m(year: int, month: int) -> int:
    return month_index(date(year, month, 1))


def test_months_are_numbers_and_blocks_hold_sixty_of_them():
    assert month_index(date(2026, 3, 31)) == 2026 * 12 + 2 == 24314
    assert month_label(24314) == "2026-03" and months(date(2025, 12, 5), date(2026, 2, 1)) == [
        24311, 24312, 24313]
    assert block_of(24314) == 405 and 405 * 60 == m(2025, 1)  # blocks begin in January 2025 …
    assert masks([m(2025, 1), m(2025, 3), m(2030, 1)]) == {405: 0b101, 406: 1}
    assert unmask(405, 0b101) == [m(2025, 1), m(2025, 3)]


def test_days_weeks_and_calendar_months():
    assert day_number(date(1970, 1, 2)) == 1 and day_number(START) == 20514
    assert week_start(week_number(day_number(date(2026, 3, 8)))) == START  # Sunday → Monday
    assert week_number(day_number(START)) == week_number(day_number(date(2026, 3, 8)))
    assert week_number(day_number(date(2026, 3, 9))) == week_number(day_number(START)) + 1
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 2), 6) == date(2026, 9, 2)


def test_a_new_customer_service_agent_is_in_three_phases_audiences():
    assert windows(anna(), SAMPLE) == [
        Window("onboarding", "onboarding-general", START, date(2026, 4, 1)),  # P30D
        Window("onboarding", "onboarding-customer-service", START, date(2026, 3, 23)),  # P21D
        Window("development", "development-customer-service", START, date(2027, 3, 2)),  # P1Y
        Window("retention", "retention-growth", START, date(2027, 9, 2)),  # P18M
    ]  # offboarding needs a leave date; the mobility paths are self-paced (no window)
    found = audience_months(anna(), SAMPLE)
    assert found == {"onboarding": {m(2026, 3), m(2026, 4)},
                     "development": set(range(m(2026, 3), m(2027, 3) + 1)),
                     "retention": set(range(m(2026, 3), m(2027, 9) + 1))}


def test_a_new_role_ends_the_old_roles_windows_and_leaving_ends_all_but_offboarding():
    person = anna(("customer-service-agent", START), ("team-lead", date(2026, 9, 1)),
                  leave=date(2026, 12, 15))
    assert windows(person, SAMPLE) == [
        Window("onboarding", "onboarding-general", START, date(2026, 4, 1)),
        Window("onboarding", "onboarding-customer-service", START, date(2026, 3, 23)),
        Window("development", "development-customer-service", START, date(2026, 8, 31)),
        Window("retention", "retention-growth", START, date(2026, 8, 31)),
        # offboarding lies after the first role: no window in it; as team lead from
        # 1 September: general onboarding lies before, so no window either
        Window("onboarding", "onboarding-team-lead", date(2026, 9, 1), date(2026, 9, 22)),
        Window("development", "development-team-lead", date(2026, 9, 1), date(2026, 12, 15)),
        Window("retention", "retention-growth", date(2026, 9, 1), date(2026, 12, 15)),
        Window("offboarding", "offboarding", date(2026, 12, 15), date(2026, 12, 29)),
    ]
    assert audience_months(person, SAMPLE)["onboarding"] == {m(2026, 3), m(2026, 4),
                                                             m(2026, 9)}


def test_the_paths_followed_now_and_the_onboarding_of_the_first_day():
    person = anna(("customer-service-agent", START), ("team-lead", date(2026, 9, 1)),
                  leave=date(2026, 12, 15))
    assert followed_now(person, SAMPLE) == [
        Followed("onboarding-general", "onboarding", START, date(2026, 4, 1)),
        Followed("onboarding-team-lead", "onboarding", date(2026, 9, 1), date(2026, 9, 22)),
        Followed("development-team-lead", "development", date(2026, 9, 1), date(2027, 6, 1)),
        Followed("retention-growth", "retention", START, date(2027, 9, 2)),
        Followed("offboarding", "offboarding", date(2026, 12, 15), date(2026, 12, 29)),
    ]
    assert onboarding_paths(person, SAMPLE) == [
        Followed("onboarding-general", "onboarding", START, date(2026, 4, 1)),
        Followed("onboarding-customer-service", "onboarding", START, date(2026, 3, 23))]


def test_extra_paths_count_and_self_paced_ones_are_followed_without_a_due_date():
    person = anna(("energy-advisor", START), extra=("mobility-team-lead",))
    assert Followed("mobility-team-lead", "retention", START, None) in followed_now(person,
                                                                                  SAMPLE)
    assert all(w.path != "mobility-team-lead" for w in windows(person, SAMPLE))
