"""What the mapping marks for the journey metrics: onboarding and offboarding phases, short
modules and exit surveys."""

from pathlib import Path

from lrs_bridge.journey.markers import (
    exit_surveys,
    offboarding_phase,
    onboarding_phase,
    short_modules,
    survey_modules,
)
from lrs_bridge.journey.model import Mapping, Module, Phase, Text
from lrs_bridge.mapping_files.loader import load_mapping

SAMPLE = load_mapping(Path(__file__).parents[2] / "mappings").mapping
T = Text("x", "x")


def module(id_: str, type_: str, phase: str) -> Module:
    return Module(id_, T, type_, phase, activity=f"https://x.example/{id_}")


def test_the_sample_marks_its_onboarding_and_offboarding_phases():
    assert (onboarding_phase(SAMPLE), offboarding_phase(SAMPLE)) == ("onboarding", "offboarding")


def test_a_marked_phase_wins_over_one_called_by_the_kind():
    mapping = Mapping(phases=(Phase("onboarding", T), Phase("inwerken", T, "onboarding")))
    assert onboarding_phase(mapping) == "inwerken"


def test_without_marks_the_phase_of_that_id_is_taken_and_otherwise_none():
    assert onboarding_phase(Mapping(phases=(Phase("onboarding", T),))) == "onboarding"
    assert onboarding_phase(Mapping(phases=(Phase("start", T),))) is None
    # a phase marked as the other kind is never taken by its id
    assert offboarding_phase(Mapping(phases=(Phase("offboarding", T, "onboarding"),))) is None


def test_short_modules_are_the_microlearnings_of_the_sample():
    assert short_modules(SAMPLE) == {
        "employer-brand-video", "colleague-stories", "crm-customer-file-micro",
        "work-order-app-micro", "absence-talk-micro", "privacy-refresher", "alumni-content"}


def test_exit_surveys_are_the_surveys_of_the_offboarding_phase():
    mapping = Mapping(phases=(Phase("in", T, "onboarding"), Phase("out", T, "offboarding")),
                      modules=(module("pulse", "survey", "in"), module("exit", "survey", "out"),
                               module("talk", "on-the-job", "out")))
    assert survey_modules(mapping) == {"pulse", "exit"}
    assert exit_surveys(mapping) == {"exit"}
    assert exit_surveys(SAMPLE) == {"exit-survey"}
    assert exit_surveys(Mapping(modules=(module("exit", "survey", "out"),))) == frozenset()
