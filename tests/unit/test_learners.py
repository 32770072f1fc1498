"""Which paths a learner follows on a day: audience, role paths, extra paths, role changes."""

from datetime import date

from lrs_bridge.journey.learners import Learner, RoleSpell, paths_on, role_on, with_role
from lrs_bridge.journey.model import Mapping, Path, Role, Text

NAME = Text("x", "x")


def _path(id: str, audience=None) -> Path:
    return Path(id, NAME, "onboarding", audience, "start_date", ())


MAPPING = Mapping(
    roles=(Role("agent", NAME, paths=("agent-kit",)), Role("lead", NAME)),
    paths=(_path("everyone"), _path("agent-only", ("agent",)), _path("agent-kit", ("nobody",)),
           _path("lead-only", ("lead", "boss")), _path("ambition", ("nobody",))),
)
JAN = Learner(keys=frozenset({"mbox:mailto:jan@x.nl"}),
              roles=(RoleSpell("agent", date(2026, 1, 5)), RoleSpell("lead", date(2026, 6, 1))),
              start_date=date(2026, 1, 5), paths=("ambition",))


def test_audience_role_paths_and_extra_paths_add_up():
    assert paths_on(JAN, MAPPING, date(2026, 3, 1)) == (
        "everyone", "agent-only", "agent-kit", "ambition")


def test_a_role_change_moves_the_learner_to_the_new_roles_paths_from_its_date():
    assert paths_on(JAN, MAPPING, date(2026, 5, 31)) == (
        "everyone", "agent-only", "agent-kit", "ambition")
    assert paths_on(JAN, MAPPING, date(2026, 6, 1)) == ("everyone", "lead-only", "ambition")


def test_before_the_first_role_only_everyones_and_extra_paths_apply():
    assert role_on(JAN, date(2025, 12, 31)) is None
    assert paths_on(JAN, MAPPING, date(2025, 12, 31)) == ("everyone", "ambition")


def test_a_role_from_an_earlier_date_replaces_the_spells_it_covers():
    history = JAN.roles
    assert with_role(history, "lead", date(2026, 6, 1)) == history
    assert with_role(history, "agent", date(2026, 1, 5)) == (RoleSpell("agent", date(2026, 1, 5)),)
    assert with_role(history, "lead", date(2026, 8, 1)) == history
