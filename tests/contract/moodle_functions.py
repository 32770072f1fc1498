"""The state of the fake Moodle and what each web-service function does with it, with the
parameters each declares and the errors Moodle 4.5 gives (moodle-observed behaviour)."""

import html
import re
from itertools import count

from tests.contract.moodle_wire import BOOL, INT, TEXT

SERVICE_USER = 3
CAPABILITIES = frozenset({
    "moodle/site:viewuseridentity", "moodle/course:overridecompletion",
    "moodle/competency:competencygrade", "moodle/site:sendmessage",
    "moodle/site:messageanyuser"})
MAX_MESSAGE = 4000
PRIVACY = "You can't message this user due to their message preferences. Try adding them as a " \
          "contact."


class Refusal(Exception):
    """Moodle's exception envelope `code` (exceptions.json), with words for its message."""

    def __init__(self, code: str, debuginfo: str = "", **words):
        super().__init__(code)
        self.code, self.debuginfo, self.words = code, debuginfo, words


class Site:
    """Users, courses, activities, competencies and what arrived, plus the service's
    functions and the service user's capabilities (all granted unless a test removes one)."""

    def __init__(self, url: str, fixture):
        self.url, self.fixture = url, fixture
        self.functions = set(FUNCTIONS)
        self.capabilities = set(CAPABILITIES)
        self.site_admin = False
        self.features = {"messaging": 1, "enablecompletion": 1}
        self.competencies_enabled = True
        self.users: dict[int, dict] = {}
        self.courses: dict[int, dict] = {}
        self.cms: dict[int, dict] = {}
        self.completions: dict[tuple[int, int], dict] = {}
        self.competencies: dict[int, dict] = {}
        self.ratings: list[dict] = []
        self.messages: list[dict] = []
        self.blocked: set[int] = set()  # users whose privacy setting refuses the service user
        self._ids = count(10)
        self.add_user("admin@noordwind.nl", username="admin", uid=2)
        self.add_user("lrsbridge@noordwind.nl", username="lrsbridge", uid=SERVICE_USER)

    def add_user(self, email: str, username: str | None = None, uid: int | None = None,
                 **fields) -> int:
        """A user; `fields` replace those of user.json (customfields as {shortname: value})."""
        uid = uid or next(self._ids)
        user = self.fixture("user")
        custom = fields.pop("customfields", {})
        user.update(id=uid, email=email, username=username or email.split("@")[0],
                    idnumber="", customfields=[
                        {"type": "text", "value": value, "displayvalue": value,
                         "name": name.title(), "shortname": name}
                        for name, value in custom.items()])
        user.update(fields)
        self.users[uid] = user
        return uid

    def add_course(self, enrolled=(), completion: bool = True, cid: int | None = None) -> int:
        """A course (`cid`: the id a mapping names; default a new one)."""
        cid = cid or next(self._ids)
        self.courses[cid] = {"completion": completion, "enrolled": set(enrolled),
                             "competencies": set()}
        return cid

    def add_cm(self, course: int, tracking: int = 1, cmid: int | None = None) -> int:
        """A course module; tracking 0 none, 1 manual, 2 automatic."""
        cmid = cmid or next(self._ids)
        self.cms[cmid] = {"course": course, "tracking": tracking}
        return cmid

    def add_competency(self, idnumber: str, framework: int = 1, course: int | None = None,
                       scale: int = 2) -> int:
        competency = self.fixture("competency")
        competency.update(id=next(self._ids), idnumber=idnumber, shortname=idnumber,
                          competencyframeworkid=framework, scale=scale)
        self.competencies[competency["id"]] = competency
        if course is not None:
            self.courses[course]["competencies"].add(competency["id"])
        return competency["id"]

    def visible(self, user: dict) -> dict:
        """A user as the service user sees them: no e-mail address without viewuseridentity."""
        shown = dict(user)
        if "moodle/site:viewuseridentity" not in self.capabilities \
                and user["id"] != SERVICE_USER:
            shown.pop("email", None)
        return shown

    def require(self, capability: str, code: str = "nopermissions", action: str = "") -> None:
        if capability not in self.capabilities:
            raise Refusal(code, action=action)


def site_info(site: Site, serviceshortnames=()) -> dict:
    info = site.fixture("site_info")
    info.update(userid=SERVICE_USER, siteurl=site.url, userissiteadmin=site.site_admin,
                functions=[{"name": name, "version": "2024100706"}
                           for name in sorted(site.functions)])
    for feature in info["advancedfeatures"]:
        feature["value"] = site.features.get(feature["name"], feature["value"])
    return info


def users_by_field(site: Site, field: str, values: list[str]) -> list[dict]:
    if field not in ("id", "idnumber", "username", "email"):
        raise Refusal("codingerror", detail=f"invalid field parameter {field}")
    for value in values:
        if value != value.strip() or (field == "id" and not value.isdigit()):
            raise Refusal("invalidparameter")
    found = [site.visible(u) for u in site.users.values() if str(u.get(field)) in values]
    # Users whose searched field the service user may not see are left out.
    return [user for user in found if field in user]


def users_by_criteria(site: Site, criteria: list[dict]) -> dict:
    seen, warnings, tests = set(), [], []
    for criterion in criteria:
        key, value = criterion["key"], criterion["value"]
        if key in seen:
            raise Refusal("keyalreadyset")
        seen.add(key)
        if key not in ("id", "idnumber", "username", "email", "firstname", "lastname", "auth"):
            warning = site.fixture("warning")
            warning.update(item=key, message=f"The search key '{key}' is not supported, look "
                                             f"at the web service documentation")
            warnings.append(warning)
            tests = []  # observed: Moodle then searches without any criterion
            break
        tests.append((key, _like(value) if key in ("email", "firstname", "lastname") else None,
                      value))
    found = [site.visible(u) for u in site.users.values()
             if all(_matches(u.get(key), like, value) for key, like, value in tests)]
    return {"users": [u for u in found if all(key in u for key, _, _ in tests)],
            "warnings": warnings}


def _like(pattern: str) -> re.Pattern:
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _matches(actual, like, value) -> bool:
    if like is not None:
        return like.fullmatch(str(actual or "")) is not None
    return str(actual) == value


def users_courses(site: Site, userid: int, returnusercount: bool = True) -> list[dict]:
    courses = []
    for cid, course in site.courses.items():
        if userid in course["enrolled"]:
            entry = site.fixture("user_course")
            entry.update(id=cid, enablecompletion=course["completion"])
            courses.append(entry)
    return courses


def override_completion(site: Site, userid: int, cmid: int, newstate: int) -> dict:
    cm = site.cms.get(cmid)
    if cm is None:
        raise Refusal("invalidcoursemodule")
    site.require("moodle/course:overridecompletion", "nopermission")
    if not site.courses[cm["course"]]["completion"]:
        raise Refusal("completionnotenabled")
    if newstate not in (0, 1, 2, 3) or (cm["tracking"] == 1 and newstate > 1):
        raise Refusal("err_system", debuginfo=f"Unexpected manual completion state for "
                                              f"{cmid}: {newstate}")
    if cm["tracking"] == 0:
        answer = site.fixture("completion_untracked")
        answer.update(cmid=cmid, userid=userid)
        return answer
    answer = site.fixture("completion_override")
    old = site.completions.get((userid, cmid))
    answer.update(cmid=cmid, userid=userid, state=newstate, tracking=cm["tracking"],
                  overrideby=SERVICE_USER, timecompleted=old["timecompleted"] if old else
                  1795416308 + len(site.completions))
    # Moodle writes this row for any user id, known or not (observed).
    site.completions[(userid, cmid)] = answer
    return answer


def list_competencies(site: Site, filters: list[dict], sort: str = "", order: str = "",
                      skip: int = 0, limit: int = 0) -> list[dict]:
    if not site.competencies_enabled:
        raise Refusal("competenciesarenotenabled")
    columns = ("id", "shortname", "description", "sortorder", "idnumber", "parentid",
               "competencyframeworkid")
    if any(f["column"] not in columns for f in filters):
        raise Refusal("invalidparameter")
    return [{k: v for k, v in c.items() if k != "scale"} for c in site.competencies.values()
            if all(str(c[f["column"]]) == f["value"] for f in filters)]


def grade_in_course(site: Site, courseid: int, userid: int, competencyid: int, grade: int,
                    note: str = "") -> dict:
    if not site.competencies_enabled:
        raise Refusal("competenciesarenotenabled")
    site.require("moodle/competency:competencygrade", action="Set competency rating")
    course = site.courses.get(courseid)
    if course is None or competencyid not in course["competencies"]:
        raise Refusal("codingerror", detail=f"The competency does not belong to this course: "
                                            f"{competencyid}, {courseid}")
    if userid not in site.users or userid not in course["enrolled"]:
        raise Refusal("codingerror", detail="The competency may not be rated at this time.")
    return _rate(site, userid, competencyid, grade, note, courseid)


def grade_on_user(site: Site, userid: int, competencyid: int, grade: int,
                  note: str = "") -> dict:
    if not site.competencies_enabled:
        raise Refusal("competenciesarenotenabled")
    site.require("moodle/competency:competencygrade", action="Set competency rating")
    if userid not in site.users:
        raise Refusal("invalidpersistenterror", detail="Invalid user ID")
    return _rate(site, userid, competencyid, grade, note, None)


def _rate(site: Site, userid: int, competencyid: int, grade: int, note: str,
          courseid: int | None) -> dict:
    competency = site.competencies[competencyid]
    if not 1 <= grade <= competency["scale"]:
        raise Refusal("invalidpersistenterror", detail="Invalid rating")
    evidence = site.fixture("evidence")
    names = [v["name"] for v in site.fixture("scale_values")]
    evidence.update(id=len(site.ratings) + 1, grade=grade, note=note,
                    gradename=names[grade - 1] if grade <= len(names) else str(grade),
                    descidentifier="evidence_manualoverrideincourse" if courseid
                    else "evidence_manualoverride")
    site.ratings.append({**evidence, "userid": userid, "competencyid": competencyid,
                         "courseid": courseid})
    return evidence


def send_messages(site: Site, messages: list[dict]) -> list[dict]:
    if not site.features["messaging"]:
        raise Refusal("disabled")
    site.require("moodle/site:sendmessage", action="Send messages to any user")
    return [_send(site, message) for message in messages]


def _send(site: Site, message: dict) -> dict:
    to = message["touserid"]
    if to not in site.users:
        error = f"You cannot send a message to a user ID ({to}) that doesn't exist."
    elif to in site.blocked or "moodle/site:messageanyuser" not in site.capabilities:
        error = PRIVACY
    elif len(message["text"]) > MAX_MESSAGE:
        error = "The message is longer than the maximum allowed."
    else:
        error = None
    if error is not None:
        failed = site.fixture("message_failed")
        failed.update(clientmsgid=message.get("clientmsgid"), errormessage=error)
        return failed
    sent = site.fixture("message_sent")
    sent.update(msgid=len(site.messages) + 1, clientmsgid=message.get("clientmsgid"),
                text=f"<p>{html.escape(message['text'])}</p>", useridfrom=SERVICE_USER)
    site.messages.append({**message, "msgid": sent["msgid"]})
    return sent


FUNCTIONS = {
    "core_webservice_get_site_info": ({"serviceshortnames?": [TEXT]}, site_info),
    "core_user_get_users_by_field": ({"field": TEXT, "values": [TEXT]}, users_by_field),
    "core_user_get_users": ({"criteria": [{"key": TEXT, "value": TEXT}]}, users_by_criteria),
    "core_enrol_get_users_courses": ({"userid": INT, "returnusercount?": BOOL}, users_courses),
    "core_completion_override_activity_completion_status": (
        {"userid": INT, "cmid": INT, "newstate": INT}, override_completion),
    "core_competency_list_competencies": (
        {"filters": [{"column": TEXT, "value": TEXT}], "sort?": TEXT, "order?": TEXT,
         "skip?": INT, "limit?": INT}, list_competencies),
    "core_competency_grade_competency_in_course": (
        {"courseid": INT, "userid": INT, "competencyid": INT, "grade": INT, "note?": TEXT},
        grade_in_course),
    "core_competency_grade_competency": (
        {"userid": INT, "competencyid": INT, "grade": INT, "note?": TEXT}, grade_on_user),
    "core_message_send_instant_messages": (
        {"messages": [{"touserid": INT, "text": TEXT, "textformat?": INT,
                       "clientmsgid?": TEXT}]}, send_messages),
}
