"""`connector test` for Canvas: the token, the user search, and each course, assignment and
column the mapping names, each said so an administrator can act on it.

Reading is what can be probed without changing anything: the first delivery shows whether
the token's user may also grade and fill columns."""

from collections.abc import Callable

from lrs_bridge_connectors.base import Check
from lrs_bridge_connectors.canvas.api import CanvasApi
from lrs_bridge_connectors.canvas.targets import course_ref, missing_column
from lrs_bridge_connectors.http_results import LmsFailure

PERMISSION_HINT = ("; give the token's user a role that may do this (an account admin role, "
                   "or a teacher role in the course)")


def health_checks(api: CanvasApi, account: str, lms_map: dict) -> list[Check]:
    """The checks, in order; after a token Canvas refuses, only that one."""
    token = _check("token", lambda: _whoami(api))
    if not token.ok:
        return [token]
    checks = [token, _check("user lookup", lambda: _search(api, account))]
    for course, targets in sorted(_courses(lms_map).items(), key=lambda item: str(item[0])):
        checks.append(_check(f"course {course}", lambda c=course, t=targets: _course(api, c, t)))
    return checks


def _check(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name, True, probe())
    except LmsFailure as err:
        hint = PERMISSION_HINT if err.status in (401, 403) and "may not" in str(err) else ""
        return Check(name, False, f"{err.result.message}{hint}")


def _whoami(api: CanvasApi) -> str:
    me = api.json("GET", "/api/v1/users/self", "read the token's own user")
    return f"the token works and acts as {me.get('name')} (user {me.get('id')})"


def _search(api: CanvasApi, account: str) -> str:
    api.call("GET", f"/api/v1/accounts/{account}/users",
             f"search the users of account {account}",
             params={"search_term": "lrs-bridge", "per_page": 1})
    return (f"the token may search the users of account {account}, to find learners by "
            f"e-mail address")


def _course(api: CanvasApi, course, targets: dict[str, set]) -> str:
    ref = course_ref(course)
    found = api.json("GET", f"/api/v1/courses/{ref}", f"read course {course}")
    said = [f"{found.get('name') or found.get('course_code') or 'found'}"]
    for assignment in sorted(targets["assignment"]):
        item = api.json("GET", f"/api/v1/courses/{ref}/assignments/{assignment}",
                        f"read assignment {assignment} of course {course}")
        said.append(f"assignment {assignment} ({item.get('name')}, graded as "
                    f"{item.get('grading_type')})")
    if targets["column"]:
        columns = list(api.pages(f"/api/v1/courses/{ref}/custom_gradebook_columns",
                                 f"list the custom gradebook columns of course {course}",
                                 {"include_hidden": "true"}))
        known = {c["title"] for c in columns} | {c["id"] for c in columns}
        missing = [c for c in sorted(targets["column"], key=str) if c not in known]
        if missing:
            raise LmsFailure(missing_column(course, missing))
        said.append(f"columns {', '.join(repr(c) for c in sorted(targets['column'], key=str))}")
    return "; ".join(said)


def _courses(lms_map: dict) -> dict[object, dict[str, set]]:
    """Each course the map names, with the assignments and columns it names in it."""
    courses: dict[object, dict[str, set]] = {}
    for section in ("modules", "paths", "skills"):
        for target in (lms_map.get(section) or {}).values():
            if not isinstance(target, dict) or "course" not in target:
                continue
            found = courses.setdefault(target["course"], {"assignment": set(), "column": set()})
            for key in ("assignment", "column"):
                if key in target:
                    found[key].add(target[key])
    return courses
