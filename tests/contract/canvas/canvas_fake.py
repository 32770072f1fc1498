"""A Canvas LMS on pytest-httpserver that answers as Canvas does (lms-apis.md §2): a bearer
token on every call, the JSON error envelope `{"errors": [{"message": …}]}`, lists paged by
opaque bookmarks in the `Link` header, X-Request-Cost and X-Rate-Limit-Remaining on every
answer, and the plain-text 403 of the throttle. The routes are in `canvas_routes`."""

import json
import re

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.contract.canvas import canvas_routes
from tests.contract.canvas.canvas_routes import fixture

TOKEN = "7~QmA9TnYjzH4vK2bcLrW8sXpE5uGd1fNo3iVqZ6hJt0yMkC"

NOT_FOUND = (404, {"errors": [{"message": "The specified resource does not exist."}]})
INVALID_TOKEN = (401, {"errors": [{"message": "Invalid access token."}]})
UNAUTHENTICATED = (401, {"status": "unauthenticated",
                         "errors": [{"message": "user authorization required"}]})
UNAUTHORIZED = {"status": "unauthorized",
                "errors": [{"message": "user not authorized to perform that action"}]}
SERVER_ERROR = (500, {"errors": [{"message": "An error occurred."}], "error_report_id": 4711})
THROTTLED = "403 Forbidden (Rate Limit Exceeded)\n"


class CanvasFake:
    """One Canvas with the fixtures' users, courses, assignments and columns; what the
    connector wrote lands in `grades`, `column_data` and `conversations`."""

    def __init__(self, server: HTTPServer, token: str = TOKEN):
        self.server, self.token = server, token
        self.url = server.url_for("/").rstrip("/")
        self.me = fixture("user_self.json")
        self.users = {u["id"]: u for u in fixture("users.json")}
        self.courses = {c["id"]: c for c in fixture("courses.json")}
        self.assignments = {(a["course_id"], a["id"]): a for a in fixture("assignments.json")}
        self.columns = {int(c): cols for c, cols in
                        fixture("custom_gradebook_columns.json").items()}
        self.grades: dict[tuple, str] = {}  # (course, assignment, user) -> posted_grade
        self.column_data: dict[tuple, str] = {}  # (course, column, user) -> content
        self.conversations: list[dict] = []  # the form of each POST /conversations
        self.requests: list[tuple[str, str]] = []  # (method, path) of each request
        self.max_per_page = 100
        self.remaining = 600.0  # X-Rate-Limit-Remaining
        self.throttle = 0  # the next n requests get the throttling 403
        self.failing: list[int] = []  # statuses the next requests fail with (500, 502, …)
        self.denied: list[str] = []  # patterns of paths the token's user may not use
        self.deny_status = 401  # Canvas's answer to a missing permission (some send 403)
        server.expect_request(re.compile(r"^/api/v1/")).respond_with_handler(self.handle)

    def count(self, method: str, pattern: str) -> int:
        """How many requests matched a method and a path pattern."""
        return sum(1 for m, p in self.requests if m == method and re.fullmatch(pattern, p))

    def handle(self, request: Request) -> Response:
        self.requests.append((request.method, request.path))
        if self.throttle:
            self.throttle -= 1
            return Response(THROTTLED, status=403, content_type="text/plain; charset=utf-8",
                            headers={"X-Rate-Limit-Remaining": "0.0", "X-Request-Cost": "0"})
        refused = self._refused(request)
        if refused is not None:
            return refused
        if self.failing:
            return self.answer(SERVER_ERROR[1], self.failing.pop(0))
        return canvas_routes.route(self, request)

    def answer(self, body, status: int = 200, headers: dict | None = None) -> Response:
        """A JSON answer as Canvas gives it, with the throttle's headers."""
        headers = {"X-Request-Cost": "0.25", "X-Rate-Limit-Remaining": f"{self.remaining}",
                   **(headers or {})}
        if status == 401 and body.get("status") == "unauthenticated":
            headers["WWW-Authenticate"] = 'Bearer realm="canvas-lms"'
        return Response(json.dumps(body), status=status, headers=headers,
                        content_type="application/json; charset=utf-8")

    def _refused(self, request: Request) -> Response | None:
        given = request.headers.get("Authorization", "")
        if not given:
            return self.answer(UNAUTHENTICATED[1], UNAUTHENTICATED[0])
        if given != f"Bearer {self.token}":
            return self.answer(INVALID_TOKEN[1], INVALID_TOKEN[0])
        if any(re.fullmatch(pattern, request.path) for pattern in self.denied):
            return self.answer(UNAUTHORIZED, self.deny_status)
        return None
