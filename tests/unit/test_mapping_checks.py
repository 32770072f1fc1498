"""Every mapping check, each with a failing fixture: the exact file, line and field reported.

Each test starts from the valid folder tests/fixtures/mappings/minimal and replaces one file.
"""

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs_bridge.mapping_files.loader import load_mapping

MINIMAL = Path(__file__).parents[1] / "fixtures" / "mappings" / "minimal"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "mappings"
    shutil.copytree(MINIMAL, target)
    return target


def problems_with(folder: Path, files: dict[str, str]) -> list[str]:
    """The problems of the folder after writing `files`, with the folder shown as `m/`."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    return [str(p).replace(str(folder), "m") for p in load_mapping(folder).problems]


MODULE = """
modules:
  - id: privacy-basics
    activity: https://learning.example.nl/modules/privacy-basics
    title: {en: Privacy basics, nl: Privacy basis}
    type: e-learning
    phase: onboarding
    skills:
      - {skill: privacy, level: 2, outcome: passed}
  - id: crm-course
    activity_prefix: https://learning.example.nl/courses/crm/
    title: {en: CRM course, nl: CRM-cursus}
    type: microlearning
    phase: %s
    skills:
      - {skill: %s, level: %s}
"""


def test_the_minimal_fixture_is_valid(folder):
    assert problems_with(folder, {}) == []


# --- schema -------------------------------------------------------------------------------------

# Each mistake is on line 3; PyYAML itself notices most of them a line later.
@pytest.mark.parametrize("third_line, message", [
    ("    title x", "a key without ':' after it (write `key: value`)"),
    ("    title: {en: X, nl: Y", "the '{' on this line is not closed: a '}' is missing, or a ','"
                               " between its items"),
    ("    skills: [privacy", "the '[' on this line is not closed: a ']' is missing, or a ','"
                           " between its items"),
    ("    title: 'Privacy", "the quote opened on this line is not closed"),
    ("   type: e-learning", "the indentation of this line does not line up with the lines above"),
    ("    title: Privacy: the basics", "a ':' where none can be: put a text containing ': ' in "
                                     "quotes, or check the indentation"),
    ("\ttype: e-learning", "a tab: indent with spaces"),
    ("    type: @e-learning", "a value cannot start with @: put the value in quotes"),
    ("    <<: *base", "*base refers to an anchor &base that is not written above it"),
])
def test_yaml_syntax_errors_name_the_line_of_the_mistake(folder, third_line, message):
    text = f"modules:\n  - id: privacy-basics\n{third_line}\n    phase: onboarding\n"
    assert problems_with(folder, {"modules.yaml": text}) == [
        f"m/modules.yaml:3: not valid YAML: {message}"]


def test_an_object_without_a_usable_id_is_named_by_its_place(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace("id: crm-course", "id: CRM course")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:9: modules[1].id: must be lower-case letters, digits, '.', '_' or '-'"]


def test_missing_required_field(folder):
    text = MODULE % ("onboarding", "crm", 1)
    text = text.replace("    type: microlearning\n", "")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:9: modules[crm-course].type: required"]


def test_unknown_key_is_reported_not_ignored(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace("    type: microlearning\n",
                                                      "    type: microlearning\n    colour: red\n")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:13: modules[crm-course].colour: unknown key"]


def test_wrong_value_names_the_allowed_ones(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace("type: microlearning", "type: webinar")
    [problem] = problems_with(folder, {"modules.yaml": text})
    assert problem.startswith(
        "m/modules.yaml:12: modules[crm-course].type: Must be one of: e-learning")


def test_a_name_needs_english_and_dutch(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace(
        "title: {en: CRM course, nl: CRM-cursus}", "title: {en: CRM course}")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:11: modules[crm-course].title.nl: required"]


def test_a_bad_duration(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace("    type: microlearning\n",
                                                      "    type: microlearning\n"
                                                      "    duration: 20 minutes\n")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:13: modules[crm-course].duration: '20 minutes' is not an ISO 8601 duration "
        "such as P30D"]


def test_a_module_needs_exactly_one_way_to_match(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace(
        "    activity_prefix: https://learning.example.nl/courses/crm/\n", "")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:9: modules[crm-course].activity: give exactly one of activity and "
        "activity_prefix"]


def test_a_level_must_be_a_whole_number(folder):
    assert problems_with(folder, {"modules.yaml": MODULE % ("onboarding", "crm", "high")}) == [
        "m/modules.yaml:15: modules[crm-course].skills[0].level: Not a valid integer"]


def test_a_file_that_is_not_a_mapping_file(folder):
    assert problems_with(folder, {"modulez.yaml": "modules: []\n"}) == [
        "m/modulez.yaml: not a mapping file; the files are phases.yaml, skills.yaml, "
        "roles.yaml, modules.yaml, paths.yaml, verbs.yaml, alerts.yaml and modules/*.yaml"]


def test_an_unknown_verb_meaning(folder):
    text = "verbs:\n  http://example.com/verbs/did: finished\n"
    [problem] = problems_with(folder, {"verbs.yaml": text})
    assert problem.startswith(
        "m/verbs.yaml:2: verbs.http://example.com/verbs/did: Must be one of: completed")


# --- unknown references --------------------------------------------------------------------------

def test_unknown_phase(folder):
    assert problems_with(folder, {"modules.yaml": MODULE % ("onbaording", "crm", 1)}) == [
        "m/modules.yaml:13: modules[crm-course].phase: unknown phase 'onbaording'"]


def test_unknown_skill_in_a_module(folder):
    assert problems_with(folder, {"modules.yaml": MODULE % ("onboarding", "crn", 1)}) == [
        "m/modules.yaml:15: modules[crm-course].skills[0].skill: unknown skill 'crn'",
        # and the role that needs crm now has no module giving it
        "m/roles.yaml:4: roles[agent].skills.crm: needs level 1, but no module gives 'crm' above "
        "level 0"]


def test_unknown_role_path_and_module_references(folder):
    roles = """
roles:
  - id: agent
    name: {en: Agent, nl: Medewerker}
    skills: {privacy: 2, crm: 1}
    paths: [onboarding, offboarding]
"""
    paths = """
paths:
  - id: onboarding
    name: {en: Onboarding, nl: Inwerken}
    phase: onboarding
    audience: [agent, manager]
    steps:
      - {module: crm-course, due: P7D}
      - {module: privacy-basic, due: P30D}
"""
    assert problems_with(folder, {"roles.yaml": roles, "paths.yaml": paths}) == [
        "m/paths.yaml:5: paths[onboarding].audience[1]: unknown role 'manager'",
        "m/paths.yaml:8: paths[onboarding].steps[1].module: unknown module 'privacy-basic'",
        "m/roles.yaml:5: roles[agent].paths[1]: unknown path 'offboarding'"]


def test_duplicate_ids(folder):
    skills = """
skills:
  - id: privacy
    name: {en: Privacy, nl: Privacy}
  - id: crm
    name: {en: CRM, nl: CRM}
  - id: privacy
    name: {en: Privacy again, nl: Privacy nogmaals}
"""
    assert problems_with(folder, {"skills.yaml": skills}) == [
        "m/skills.yaml:6: skills[privacy].id: skill 'privacy' is defined twice"]


# --- activity matches ----------------------------------------------------------------------------

EXTRA_MODULE = """
  - id: extra
    %s: %s
    title: {en: Extra, nl: Extra}
    type: e-learning
    phase: onboarding
"""
PRIVACY = "https://learning.example.nl/modules/privacy-basics"
CRM = "https://learning.example.nl/courses/crm/"


def overlap_problems(folder: Path, kind: str, iri: str, extra_first: bool) -> list[str]:
    """The problems of the minimal modules plus module `extra` claiming `iri` as `kind`.

    Written last, `extra` makes its claim on line 18; written first, on line 3, and then
    privacy-basics' activity is on line 8 and crm-course's prefix on line 15.
    """
    base = (MODULE % ("onboarding", "crm", 1)).strip("\n")
    extra = EXTRA_MODULE % (kind, iri)
    if extra_first:
        text = "modules:" + extra + base.removeprefix("modules:\n") + "\n"
    else:
        text = base + "\n" + extra
    return problems_with(folder, {"modules.yaml": text})


# Each overlap in both orders: the problem is reported on whichever claim comes later.
@pytest.mark.parametrize("kind, iri, extra_first, expected", [
    pytest.param("activity", PRIVACY, False, [
        f"m/modules.yaml:18: modules[extra].activity: module 'privacy-basics' already matches "
        f"'{PRIVACY}'"], id="exact IRI twice"),
    pytest.param("activity", PRIVACY, True, [
        f"m/modules.yaml:8: modules[privacy-basics].activity: module 'extra' already matches "
        f"'{PRIVACY}'"],
        id="exact IRI twice, extra first"),
    pytest.param("activity", CRM, False, [
        f"m/modules.yaml:18: modules[extra].activity: '{CRM}' falls under the activity_prefix of "
        "module 'crm-course'"], id="exact IRI equal to a prefix"),
    pytest.param("activity", CRM, True, [
        f"m/modules.yaml:15: modules[crm-course].activity_prefix: covers "
        f"'{CRM}', which module 'extra' matches"], id="exact IRI equal to a prefix, extra first"),
    pytest.param("activity", CRM + "lesson-1", False, [
        f"m/modules.yaml:18: modules[extra].activity: '{CRM}lesson-1' falls under the "
        "activity_prefix of module 'crm-course'"], id="exact IRI under a prefix"),
    pytest.param("activity", CRM + "lesson-1", True, [
        f"m/modules.yaml:15: modules[crm-course].activity_prefix: covers "
        f"'{CRM}lesson-1', which module 'extra' matches"],
        id="exact IRI under a prefix, extra first"),
    pytest.param("activity_prefix", CRM, False, [
        f"m/modules.yaml:18: modules[extra].activity_prefix: module 'crm-course' already matches "
        f"'{CRM}'"], id="the same prefix twice"),
    pytest.param("activity_prefix", CRM, True, [
        f"m/modules.yaml:15: modules[crm-course].activity_prefix: module 'extra' already matches "
        f"'{CRM}'"], id="the same prefix twice, extra first"),
    pytest.param("activity_prefix", CRM + "advanced/", False, [
        f"m/modules.yaml:18: modules[extra].activity_prefix: '{CRM}advanced/' falls under the "
        "activity_prefix of module 'crm-course'"], id="a prefix inside another"),
    pytest.param("activity_prefix", CRM + "advanced/", True, [
        f"m/modules.yaml:15: modules[crm-course].activity_prefix: covers "
        f"'{CRM}advanced/', which module 'extra' matches"],
        id="a prefix inside another, extra first"),
    pytest.param("activity_prefix", "https://learning.example.nl/", False, [
        f"m/modules.yaml:18: modules[extra].activity_prefix: covers '{CRM}', which module "
        "'crm-course' matches",
        f"m/modules.yaml:18: modules[extra].activity_prefix: covers '{PRIVACY}', which module "
        "'privacy-basics' matches"], id="a prefix around an exact IRI and a prefix"),
    pytest.param("activity_prefix", "https://learning.example.nl/", True, [
        "m/modules.yaml:8: modules[privacy-basics].activity: "
        f"'{PRIVACY}' falls under the activity_prefix of module 'extra'",
        f"m/modules.yaml:15: modules[crm-course].activity_prefix: '{CRM}' falls under the "
        "activity_prefix of module 'extra'"],
        id="a prefix around an exact IRI and a prefix, extra first"),
    pytest.param("activity", CRM.rstrip("/"), False, [], id="an exact IRI one short of a prefix"),
    pytest.param("activity_prefix", PRIVACY + "/", False, [],
                 id="a prefix that an exact IRI stops short of"),
])
def test_overlapping_activity_matches(folder, kind, iri, extra_first, expected):
    assert overlap_problems(folder, kind, iri, extra_first) == expected


# Lines 1-5 of a paths.yaml with one path whose steps follow from line 6.
PATH_HEAD = """
paths:
  - id: onboarding
    name: {en: Onboarding, nl: Inwerken}
    phase: onboarding
    steps:"""


# --- prerequisites and levels --------------------------------------------------------------------

def test_prerequisite_cycle(folder):
    paths = PATH_HEAD + """
      - module: crm-course
        prerequisites: [privacy-basics]
      - module: privacy-basics
        prerequisites: [crm-course]
"""
    assert problems_with(folder, {"paths.yaml": paths}) == [
        "m/paths.yaml:7: paths[onboarding].steps[0].prerequisites: 'crm-course' depends on itself "
        "through its prerequisites",
        "m/paths.yaml:7: paths[onboarding].steps[0].prerequisites[0]: 'privacy-basics' is not an "
        "earlier step of path 'onboarding'",
        "m/paths.yaml:9: paths[onboarding].steps[1].prerequisites: 'privacy-basics' depends on "
        "itself through its prerequisites"]


def test_prerequisite_outside_the_path(folder):
    paths = PATH_HEAD + """
      - module: privacy-basics
        prerequisites: [crm-course]
"""
    assert problems_with(folder, {"paths.yaml": paths}) == [
        "m/paths.yaml:7: paths[onboarding].steps[0].prerequisites[0]: 'crm-course' is not a "
        "step of path 'onboarding'"]


def test_level_outside_the_scale(folder):
    assert problems_with(folder, {"modules.yaml": MODULE % ("onboarding", "crm", 7)}) == [
        "m/modules.yaml:15: modules[crm-course].skills[0].level: level 7 is outside the scale "
        "0–5 of 'crm'"]


def test_role_needs_a_level_no_module_gives(folder):
    roles = """
roles:
  - id: agent
    name: {en: Agent, nl: Medewerker}
    skills:
      privacy: 2
      crm: 4
    paths: [onboarding]
"""
    assert problems_with(folder, {"roles.yaml": roles}) == [
        "m/roles.yaml:6: roles[agent].skills.crm: needs level 4, but no module gives 'crm' above "
        "level 1"]


def test_a_module_twice_in_one_path(folder):
    paths = PATH_HEAD + """
      - module: crm-course
      - module: crm-course
      - module: privacy-basics
"""
    assert problems_with(folder, {"paths.yaml": paths}) == [
        "m/paths.yaml:5: paths[onboarding].steps: module 'crm-course' is a step more than once"]


def test_modules_may_be_split_over_files_under_modules(folder):
    text = MODULE % ("onbaording", "crm", 1)
    (folder / "modules.yaml").unlink()
    assert problems_with(folder, {"modules/onboarding.yaml": text}) == [
        "m/modules/onboarding.yaml:13: modules[crm-course].phase: unknown phase 'onbaording'"]


def test_a_prerequisite_must_be_an_earlier_step(folder):
    paths = PATH_HEAD + """
      - module: crm-course
        prerequisites: [privacy-basics]
      - module: privacy-basics
"""
    assert problems_with(folder, {"paths.yaml": paths}) == [
        "m/paths.yaml:7: paths[onboarding].steps[0].prerequisites[0]: 'privacy-basics' is not an "
        "earlier step of path 'onboarding'"]


def test_list_items_that_are_not_objects_point_at_their_own_line(folder):
    text = ("# the phases\nphases:\n  - id: one\n    name: {en: One, nl: Een}\n\n"
            "  - just-a-string\n  - null\n")
    assert problems_with(folder, {"phases.yaml": text}) == [
        "m/phases.yaml:6: phases[1]: must be an object (`key: value` lines), not a single value",
        "m/phases.yaml:7: phases[2]: must be an object (`key: value` lines), not a single value"]


def test_an_empty_phase_list_is_a_problem_not_the_defaults(folder):
    assert problems_with(folder, {"phases.yaml": "phases: []\n"}) == [
        "m/phases.yaml:1: phases: must name at least one phase (leave the file out for the "
        "default six)"]


@pytest.mark.parametrize("text, expected", [
    ("roles: []\n1: x\nfoo: y\n", ["m/roles.yaml:2: 1: unknown key",
                                     "m/roles.yaml:3: foo: unknown key"]),
    ("roles:\n  ? [a]\n  : 2\n", ["m/roles.yaml:2: not valid YAML: keys must be plain text"]),
    ("roles: {}\n", ["m/roles.yaml:1: roles: must be a list of roles"]),
])
def test_odd_yaml_is_reported_not_a_traceback(folder, text, expected):
    assert problems_with(folder, {"roles.yaml": text}) == expected


def test_a_duration_too_large_for_a_calendar(folder):
    text = (MODULE % ("onboarding", "crm", 1)).replace("    type: microlearning\n",
                                                      "    type: microlearning\n"
                                                      "    duration: P1000000000D\n")
    assert problems_with(folder, {"modules.yaml": text}) == [
        "m/modules.yaml:13: modules[crm-course].duration: 'P1000000000D' is not an ISO 8601 "
        "duration such as P30D"]


def test_yaml_merge_keys_work(folder):
    skills = """
skills:
  - &privacy
    id: privacy
    name: {en: Privacy, nl: Privacy}
    valid_for: P1Y
  - <<: *privacy
    id: crm
"""
    assert problems_with(folder, {"skills.yaml": skills}) == []


def test_yml_files_are_not_read_silently(folder):
    assert problems_with(folder, {"modules/extra.yml": "modules: []\n"}) == [
        "m/modules/extra.yml: not a mapping file; the files are phases.yaml, skills.yaml, "
        "roles.yaml, modules.yaml, paths.yaml, verbs.yaml, alerts.yaml and modules/*.yaml"]


def test_an_empty_folder_is_not_a_mapping(tmp_path):
    assert [str(p) for p in load_mapping(tmp_path).problems] == [
        f"{tmp_path}: holds no mapping files"]


def test_an_empty_audience_is_an_error_not_everyone(folder):
    text = (folder / "paths.yaml").read_text().replace("audience: all", "audience:")
    assert problems_with(folder, {"paths.yaml": text}) == [
        "m/paths.yaml:5: paths[onboarding].audience: Field may not be null"]


_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=12) | st.sampled_from(["P1D", "PT5M", "onboarding", "privacy", "crm",
                                              "https://learning.example.nl/x"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "name", "en", "nl", "phase", "skills", "skill",
                                       "level", "outcome", "activity", "activity_prefix",
                                       "type", "title", "steps", "module", "due", "modules",
                                       "paths", "roles", "prerequisites", "audience"]),
                      children, max_size=4),
    max_leaves=15)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["modules.yaml", "paths.yaml", "roles.yaml", "skills.yaml",
                             "phases.yaml", "verbs.yaml", "alerts.yaml"]),
       data=_yaml_values)
def test_any_yaml_gives_problems_or_a_mapping_never_an_exception(tmp_path_factory, name, data):
    folder = tmp_path_factory.mktemp("m")
    shutil.copytree(MINIMAL, folder, dirs_exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_mapping(folder)
    assert all(str(p).startswith(str(folder)) for p in loaded.problems)


PHASES = """
phases:
  - id: start
    name: {en: Start, nl: Start}
    kind: onboarding
  - id: inwerken
    name: {en: Settling in, nl: Inwerken}
    kind: %s
"""


def test_a_phase_kind_must_be_onboarding_or_offboarding(folder):
    [problem] = problems_with(folder, {"phases.yaml": PHASES % "growth"})
    assert problem == "m/phases.yaml:7: phases[inwerken].kind: Must be one of: onboarding, " \
                      "offboarding"


def test_two_phases_of_one_kind_are_a_problem_on_the_second(folder):
    text = (PHASES % "onboarding") + "  - id: onboarding\n    name: {en: O, nl: O}\n"
    assert "m/phases.yaml:7: phases[inwerken].kind: phase 'start' is already the onboarding " \
           "phase; mark one phase of each kind" in problems_with(folder, {"phases.yaml": text})
