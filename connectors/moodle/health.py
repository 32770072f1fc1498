"""`connector test` for Moodle: the token, the functions of the external service, the site
features, whether the service user can see e-mail addresses, and the mapped competencies,
each said so a Moodle administrator knows which setting, function or capability to add."""

from lrs_bridge_connectors.base import Check
from lrs_bridge_connectors.moodle.client import MoodleClient, MoodleError
from lrs_bridge_connectors.moodle.competencies import IN_COURSE, LIST, ON_USER, CompetencyIds
from lrs_bridge_connectors.moodle.completion import OVERRIDE
from lrs_bridge_connectors.moodle.messages import SEND

SITE_INFO = "core_webservice_get_site_info"
BY_FIELD = "core_user_get_users_by_field"
PROBE_IDS = (2, 3, 4, 5, 6)  # 2 is the first administrator on a standard install

# What no call can show from outside; the role needs these too (moodle-observed.md).
CAPABILITIES = (
    "webservice/rest:use; moodle/user:viewdetails and moodle/site:viewuseridentity (finding "
    "learners by e-mail); moodle/course:overridecompletion, plus moodle/course:view and "
    "mod/<type>:view of each activity type when the service user is not enrolled; "
    "moodle/competency:competencyview and moodle/competency:competencygrade; "
    "moodle/site:sendmessage and moodle/site:messageanyuser (else learners' privacy "
    "settings block the alerts)")


def needed_functions(lms_map: dict) -> dict[str, str]:
    """The functions the connector calls with this mapping, each with what it is for."""
    needed = {SITE_INFO: "connector test",
              BY_FIELD: "finding learners, checking they still exist",
              "core_user_get_users": "finding learners by e-mail in any case, the roster",
              SEND: "sending alerts"}
    modules = [m for m in (lms_map.get("modules") or {}).values() if isinstance(m, dict)]
    skills = [s for s in (lms_map.get("skills") or {}).values() if isinstance(s, dict)]
    if modules:
        needed[OVERRIDE] = "marking activities complete"
    if any(m.get("course") is not None for m in modules):
        needed["core_enrol_get_users_courses"] = "checking enrolment before a completion"
    if any("competency" in s for s in skills):
        needed[LIST] = "finding competencies by ID number"
    if any(s.get("course") is not None for s in skills):
        needed[IN_COURSE] = "rating competencies in a course"
    if any(s.get("course") is None for s in skills):
        needed[ON_USER] = "rating learners' competencies"
    return needed


def checks(client: MoodleClient, lms_map: dict, competencies: CompetencyIds) -> list[Check]:
    """Everything `connector test` reports about this Moodle."""
    try:
        info = client.call(SITE_INFO)
    except MoodleError as err:
        name = "token" if err.errorcode in ("invalidtoken", "accessexception") else \
            "web services"
        return [Check(name, False, err.result.message)]
    found = [Check("web services", True, f"{info.get('sitename')} (Moodle "
                   f"{info.get('release')}) answers as {info.get('username')}")]
    if info.get("userissiteadmin"):
        found.append(Check("service user", True, f"{info.get('username')} is a site "
                           f"administrator: it works, but a user with only the role below "
                           f"is safer"))
    needed = needed_functions(lms_map)
    have = {f.get("name") for f in info.get("functions") or ()}
    found.append(_functions(needed, have))
    found.append(_features(info, bool(lms_map.get("modules"))))
    if BY_FIELD in have:
        found.append(_email_visibility(client, info.get("userid")))
    if LIST in needed and LIST in have:
        found.append(_competencies(lms_map.get("skills") or {}, competencies))
    found.append(Check("capabilities", True, "not checkable from outside; the service "
                       "user's role needs " + CAPABILITIES))
    return found


def _functions(needed: dict[str, str], have: set) -> Check:
    missing = [f"{name} ({purpose})" for name, purpose in needed.items() if name not in have]
    if not missing:
        return Check("service functions", True, f"all {len(needed)} functions are in the "
                     f"external service")
    return Check("service functions", False, "add to the external service (Site "
                 "administration > Server > Web services > External services > Functions): "
                 + "; ".join(missing))


def _features(info: dict, completions: bool) -> Check:
    features = {f.get("name"): f.get("value") for f in info.get("advancedfeatures") or ()}
    wanted = {"messaging": "Enable messaging system (Site administration > General > "
                           "Messaging)"}
    if completions:
        wanted["enablecompletion"] = "Enable completion tracking (Site administration > " \
                                     "Advanced features)"
    off = [setting for name, setting in wanted.items() if features.get(name) == 0]
    if off:
        return Check("site features", False, "turn on " + "; ".join(off))
    return Check("site features", True, "messaging" + (" and completion tracking"
                                                         if completions else "") + " on")


def _email_visibility(client: MoodleClient, own_id) -> Check:
    """Moodle leaves out of an e-mail search the users whose address the caller may not see;
    looked up by id they come back without `email`."""
    ids = [uid for uid in PROBE_IDS if uid != own_id]
    try:
        seen = client.call(BY_FIELD, field="id", values=ids)
    except MoodleError as err:
        return Check("e-mail lookups", False, err.result.message)
    if not seen:
        return Check("e-mail lookups", False, f"the service user sees none of the users "
                     f"{ids}: give its role moodle/user:viewdetails")
    hidden = [str(user.get("id")) for user in seen if "email" not in user]
    if hidden:
        return Check("e-mail lookups", False, f"the service user cannot see the e-mail "
                     f"address of users {', '.join(hidden)}, so learners cannot be found by "
                     f"e-mail: give its role moodle/site:viewuseridentity (with email in "
                     f"Site administration > Users > Permissions > User policies > "
                     f"Show user identity)")
    return Check("e-mail lookups", True, "the service user sees e-mail addresses")


def _competencies(skills: dict, competencies: CompetencyIds) -> Check:
    missing = []
    for skill, target in skills.items():
        if not isinstance(target, dict) or "competency" not in target:
            continue
        try:
            competencies.of(target)
        except MoodleError as err:
            if err.errorcode:  # the call failed as a whole (competencies off, say)
                return Check("competencies", False, err.result.message)
            missing.append(f"{skill}: {err.result.message}")
    if missing:
        return Check("competencies", False, "; ".join(missing))
    return Check("competencies", True, "every mapped competency was found")
