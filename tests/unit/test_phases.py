"""Which paths, modules and skills belong to a phase (journey.phases)."""

from lrs_bridge.journey.model import Mapping, Module, Path, Phase, SkillGrant, Step, Text
from lrs_bridge.journey.phases import phase_members

T = Text("x", "x")
MAPPING = Mapping(
    phases=(Phase("onboarding", T), Phase("development", T), Phase("retention", T)),
    modules=(Module("welcome", T, "e-learning", "onboarding", skills=(SkillGrant("culture", 1),)),
             Module("crm-micro", T, "microlearning", "onboarding",
                    skills=(SkillGrant("crm", 1),)),
             Module("crm-advanced", T, "e-learning", "development",
                    skills=(SkillGrant("crm", 3),)),
             Module("advice-course", T, "e-learning", "development")),
    paths=(Path("start", T, "onboarding", None, "start_date",
                (Step("welcome"), Step("crm-micro"))),
           Path("move-on", T, "retention", None, "start_date",
                (Step("crm-micro"), Step("advice-course")))))


def test_paths_and_modules_belong_to_the_phase_they_name():
    onboarding = phase_members(MAPPING, "onboarding")
    assert onboarding.paths == {"start"} and onboarding.modules == {"welcome", "crm-micro"}
    assert phase_members(MAPPING, "retention").paths == {"move-on"}


def test_a_skill_belongs_to_the_phases_of_the_modules_that_give_it():
    assert phase_members(MAPPING, "onboarding").skills == {"culture", "crm"}
    assert phase_members(MAPPING, "development").skills == {"crm"}
    assert phase_members(MAPPING, "retention").skills == frozenset()


def test_a_step_belongs_to_its_paths_phase_and_its_modules_phase():
    development, retention = (phase_members(MAPPING, p) for p in ("development", "retention"))
    assert development.has_step("move-on", "advice-course")  # a development module
    assert retention.has_step("move-on", "advice-course")  # on a retention path
    assert not development.has_step("move-on", "crm-micro")
    assert not retention.has_step("start", "welcome")


def test_a_phase_nothing_names_has_no_members():
    empty = phase_members(MAPPING, "offboarding")
    assert not (empty.paths or empty.modules or empty.skills)
