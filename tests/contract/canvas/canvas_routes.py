"""The Canvas endpoints the fake serves, each checking its request as Canvas does: form
encoding with Rails nesting, required parameters, and known ids (lms-apis.md §2.4)."""

import base64
import copy
import json
import re
from pathlib import Path
from urllib.parse import urlencode

from werkzeug import Request, Response

FIXTURES = Path(__file__).parents[2] / "fixtures" / "canvas"
GRADE = re.compile(r"^(\d+(\.\d+)?%?|pass|complete|fail|incomplete)$")
COURSE = r"/api/v1/courses/(?P<course>[^/]+)"


def route(fake, request: Request) -> Response:
    """The answer of the endpoint the request is for; 404 for any other path."""
    for method, pattern, handler in ROUTES:
        found = re.fullmatch(pattern, request.path)
        if found and request.method == method:
            return handler(fake, request, **found.groupdict())
    return fake.answer(*_not_found())


def _not_found():
    return {"errors": [{"message": "The specified resource does not exist."}]}, 404


def _user_ref(fake, ref: str) -> dict | None:
    kind, _, value = ref.rpartition(":")
    for user in fake.users.values():
        if (kind == "" and value.isdigit() and user["id"] == int(value)
                or kind == "sis_login_id" and user["login_id"].lower() == value.lower()
                or kind == "sis_user_id" and user["sis_user_id"] == value):
            return user
    return None


def _course_ref(fake, ref: str) -> dict | None:
    if ref.startswith("sis_course_id:"):
        return next((c for c in fake.courses.values()
                     if c["sis_course_id"] == ref.removeprefix("sis_course_id:")), None)
    return fake.courses.get(int(ref)) if ref.isdigit() else None


def show_self(fake, request):
    return fake.answer(fake.me)


def show_user(fake, request, user):
    found = _user_ref(fake, user)
    if found is None:
        return fake.answer(*_not_found())
    return fake.answer({k: v for k, v in found.items() if k != "email"})


def account_users(fake, request, account):
    if account not in ("self", "1"):
        return fake.answer(*_not_found())
    term = request.args.get("search_term")
    if term is not None and len(term) < 3:
        return fake.answer({"errors": [{"field": "search_term", "message":
                                        "3 or more characters is required"}]}, 400)
    users = sorted(fake.users.values(), key=lambda u: u["sortable_name"])
    if term:  # Canvas matches parts of names, logins, SIS ids and addresses
        users = [u for u in users if any(term.lower() in str(u.get(k) or "").lower()
                                         for k in ("name", "login_id", "sis_user_id", "email"))]
    if "email" not in request.args.getlist("include[]"):
        users = [{k: v for k, v in u.items() if k != "email"} for u in users]
    return _paged(fake, request, users)


def _paged(fake, request: Request, items: list) -> Response:
    """One page and its Link header; pages are bookmarks that mean nothing to a client."""
    size = min(int(request.args.get("per_page", 10)), fake.max_per_page)
    page = request.args.get("page", "first")
    start = 0 if page == "first" else json.loads(
        base64.urlsafe_b64decode(page.removeprefix("bookmark:")))[0]
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]

    def link(at, rel):
        mark = "first" if at == 0 else "bookmark:" + base64.urlsafe_b64encode(
            json.dumps([at]).encode()).decode()
        return f'<{fake.url}{request.path}?{urlencode([*query, ("page", mark)])}>; rel="{rel}"'
    links = [link(start, "current")]
    if start + size < len(items):
        links.append(link(start + size, "next"))
    links.append(link(0, "first"))
    return fake.answer(items[start:start + size], headers={"Link": ",".join(links)})


def show_course(fake, request, course):
    found = _course_ref(fake, course)
    return fake.answer(found) if found else fake.answer(*_not_found())


def show_assignment(fake, request, course, assignment):
    found = _course_ref(fake, course)
    item = found and fake.assignments.get((found["id"], int(assignment)))
    return fake.answer(item) if item else fake.answer(*_not_found())


def grade(fake, request, course, assignment, user):
    found, learner = _course_ref(fake, course), _user_ref(fake, user)
    item = found and fake.assignments.get((found["id"], int(assignment)))
    if not item or learner is None:
        return fake.answer(*_not_found())
    posted = request.form.get("submission[posted_grade]")
    if request.mimetype != "application/x-www-form-urlencoded" or posted is None:
        return fake.answer({"errors": [{"message": "submission[posted_grade] is required"}]},
                           400)
    if not GRADE.match(posted):
        return fake.answer({"error": f"invalid grade {posted}"}, 400)
    fake.grades[(found["id"], item["id"], learner["id"])] = posted
    submission = copy.deepcopy(fixture("submission.json"))
    submission.update(user_id=learner["id"], assignment_id=item["id"], grade=posted,
                      entered_grade=posted)
    return fake.answer(submission)


def list_columns(fake, request, course):
    found = _course_ref(fake, course)
    if not found:
        return fake.answer(*_not_found())
    columns = fake.columns.get(found["id"], [])
    if request.args.get("include_hidden") != "true":
        columns = [c for c in columns if not c["hidden"]]
    return _paged(fake, request, [c for c in columns if not c["teacher_notes"]])


def fill_column(fake, request, course, column, user):
    found, learner = _course_ref(fake, course), _user_ref(fake, user)
    known = found and {c["id"] for c in fake.columns.get(found["id"], [])}
    if not known or int(column) not in known or learner is None:
        return fake.answer(*_not_found())
    content = request.form.get("column_data[content]")
    if content is None:
        return fake.answer({"errors": [{"message": "column_data[content] is required"}]}, 400)
    key = (found["id"], int(column), learner["id"])
    if content == "":
        fake.column_data.pop(key, None)  # blank content deletes the datum
    else:
        fake.column_data[key] = content
    return fake.answer({"content": content or None, "user_id": learner["id"]})


def create_conversation(fake, request):
    form = request.form
    recipients = form.getlist("recipients[]")
    problems = [{"attribute": "recipients", "message": "blank"}] if not recipients else []
    if not form.get("body"):
        problems.append({"attribute": "body", "message": "blank"})
    if any(_user_ref(fake, r) is None for r in recipients):
        problems.append({"attribute": "recipients", "message": "invalid"})
    if form.get("group_conversation", "false") not in ("true", "false", "1", "0"):
        problems.append({"attribute": "group_conversation", "message": "invalid"})
    if len(form.get("subject", "")) > 255:
        problems.append({"attribute": "subject", "message": "too long"})
    if problems:
        return fake.answer(problems, 400)
    fake.conversations.append({"recipients": recipients, "subject": form.get("subject"),
                               "body": form["body"],
                               "group_conversation": form.get("group_conversation")})
    made = []
    for recipient in recipients:  # not a group: a private conversation with each
        conversation = copy.deepcopy(fixture("conversation.json"))
        person = _user_ref(fake, recipient)
        conversation.update(id=len(fake.conversations) * 100 + len(made),
                            subject=form.get("subject", ""), last_message=form["body"][:100],
                            participants=[{"id": fake.me["id"], "name": fake.me["name"]},
                                          {"id": person["id"], "name": person["name"]}])
        made.append(conversation)
    return fake.answer(made, 201)


def fixture(name: str):
    """A JSON fixture of tests/fixtures/canvas."""
    return json.loads((FIXTURES / name).read_text())


ROUTES = [
    ("GET", r"/api/v1/users/self", show_self),
    ("GET", r"/api/v1/users/(?P<user>[^/]+)", show_user),
    ("GET", r"/api/v1/accounts/(?P<account>[^/]+)/users", account_users),
    ("GET", COURSE, show_course),
    ("GET", COURSE + r"/assignments/(?P<assignment>\d+)", show_assignment),
    ("PUT", COURSE + r"/assignments/(?P<assignment>\d+)/submissions/(?P<user>[^/]+)", grade),
    ("GET", COURSE + r"/custom_gradebook_columns", list_columns),
    ("PUT", COURSE + r"/custom_gradebook_columns/(?P<column>\d+)/data/(?P<user>[^/]+)",
     fill_column),
    ("POST", r"/api/v1/conversations", create_conversation),
]
