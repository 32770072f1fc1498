"""What the mapping marks for the journey metrics: its onboarding and offboarding phases, its
short modules (microlearning) and its surveys, among them the leavers' exit surveys."""

from lrs_bridge.journey.model import Mapping

SHORT_TYPE = "microlearning"  # a module of this type is a short "10-minute moment"
SURVEY_TYPE = "survey"


def phase_of_kind(mapping: Mapping, kind: str) -> str | None:
    """The id of the phase marked `kind: <kind>`; when no phase is, the unmarked phase whose
    id is `kind` (the default six phases); else None."""
    marked = [phase.id for phase in mapping.phases if phase.kind == kind]
    if marked:
        return marked[0]
    named = [phase.id for phase in mapping.phases if phase.kind is None and phase.id == kind]
    return named[0] if named else None


def onboarding_phase(mapping: Mapping) -> str | None:
    """The phase whose paths make up onboarding (time to productivity), or None."""
    return phase_of_kind(mapping, "onboarding")


def offboarding_phase(mapping: Mapping) -> str | None:
    """The phase of leaving, whose surveys are exit surveys, or None."""
    return phase_of_kind(mapping, "offboarding")


def short_modules(mapping: Mapping) -> frozenset[str]:
    """The modules of type microlearning."""
    return frozenset(m.id for m in mapping.modules if m.type == SHORT_TYPE)


def survey_modules(mapping: Mapping) -> frozenset[str]:
    """The modules of type survey, in any phase (pulse surveys, exit surveys)."""
    return frozenset(m.id for m in mapping.modules if m.type == SURVEY_TYPE)


def exit_surveys(mapping: Mapping) -> frozenset[str]:
    """The surveys of the offboarding phase: what leavers say about their learning."""
    phase = offboarding_phase(mapping)
    return frozenset(m.id for m in mapping.modules
                     if m.type == SURVEY_TYPE and phase is not None and m.phase == phase)
