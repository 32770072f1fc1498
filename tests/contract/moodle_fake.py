"""A fake Moodle 4.5 on pytest-httpserver: POST /webservice/rest/server.php answered as the
real server does (moodle-observed behaviour): HTTP 200 with application/json for successes and
for errors ({"exception", "errorcode", "message"}, namespaced class names), a 403 with an
empty text/html body when web services are off, XML without moodlewsrestformat=json, the
token checked, the function checked against the external service, arguments refused as
invalid_parameter_exception unless they are PHP-style arrays with booleans as 1/0.

It keeps state (users, courses, course modules, completions, competencies, ratings,
messages) so tests assert what arrived; `calls` lists (function, arguments) in order.
Answers are built from the shapes in tests/fixtures/moodle/.
"""

import copy
import json
import threading
from pathlib import Path

from werkzeug import Request, Response

from tests.contract.moodle_functions import FUNCTIONS, Refusal, Site
from tests.contract.moodle_wire import Invalid, php_arrays, validate

FIXTURES = Path(__file__).parents[1] / "fixtures" / "moodle"
ENDPOINT = "/webservice/rest/server.php"
TOKEN = "7f3c9e1a5b2d4c6e8f0a1b3c5d7e9f21"
RESERVED = {"wstoken", "wsfunction", "moodlewsrestformat"}


def fixture(name: str):
    """A fresh copy of the shape in tests/fixtures/moodle/<name>.json."""
    return copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text()))


class FakeMoodle(Site):
    """One Moodle site behind `httpserver`; its state is Site's, its switches below."""

    def __init__(self, httpserver, token: str = TOKEN):
        super().__init__(httpserver.url_for("/").rstrip("/"), fixture)
        self.token = token
        self.web_services = True  # False: enablewebservices or the REST protocol off
        self.maintenance = False
        self.debug = False  # True: errors carry debuginfo, as with site debugging on
        self.http_status: int | None = None  # answer every call with this status instead
        self.http_headers: dict = {}
        self.hold: threading.Event | None = None  # calls wait until it is set
        self.calls: list[tuple[str, dict]] = []
        self.raw: list[list[tuple[str, str]]] = []  # every call's form fields as sent
        self.refusals: list[str] = []  # why arguments were refused (Moodle's debuginfo)
        httpserver.expect_request(ENDPOINT, method="POST").respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        if self.hold is not None:
            self.hold.wait(10)
        fields = list(request.args.items(multi=True)) + list(request.form.items(multi=True))
        self.raw.append(fields)
        if self.http_status is not None:
            return Response("", self.http_status, self.http_headers,
                            content_type="text/html; charset=utf-8")
        if not self.web_services:
            return Response("", 403, content_type="text/html; charset=utf-8")
        reserved = {key: value for key, value in fields if key in RESERVED}
        if reserved.get("moodlewsrestformat") != "json":
            return Response('<?xml version="1.0" encoding="UTF-8" ?>\n<EXCEPTION class="'
                            'core\\exception\\moodle_exception"><ERRORCODE>xml</ERRORCODE>'
                            '</EXCEPTION>\n', 200, content_type="application/xml; charset=utf-8")
        try:
            return _json(self._answer(reserved, [f for f in fields if f[0] not in RESERVED]))
        except Refusal as refusal:
            return _json(self._envelope(refusal))

    def _answer(self, reserved: dict, arguments: list[tuple[str, str]]):
        if reserved.get("wstoken") != self.token:
            raise Refusal("invalidtoken")
        if self.maintenance:
            raise Refusal("sitemaintenance")
        function = reserved.get("wsfunction", "")
        if not function:
            raise Refusal("invalidparameter")
        if function not in FUNCTIONS:
            raise Refusal("invalidrecord")
        if function not in self.functions:
            raise Refusal("accessexception")
        schema, behaviour = FUNCTIONS[function]
        try:
            params = validate(schema, php_arrays(arguments))
        except Invalid as err:
            self.refusals.append(str(err))
            raise Refusal("invalidparameter", debuginfo=str(err)) from None
        self.calls.append((function, params))
        return behaviour(self, **params)

    def _envelope(self, refusal: Refusal) -> dict:
        body = fixture("exceptions")[refusal.code]
        body["message"] = body["message"].format(**refusal.words)
        if self.debug and refusal.debuginfo:
            body["debuginfo"] = refusal.debuginfo
        return body

    def called(self, function: str) -> list[dict]:
        """The arguments of each call of `function` that passed validation."""
        return [params for name, params in self.calls if name == function]


def _json(body) -> Response:
    return Response(json.dumps(body), 200, {"Access-Control-Allow-Origin": "*"},
                    content_type="application/json")
