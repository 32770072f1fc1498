"""`connector test` for Canvas: the token, the user search, and each mapped course with its
assignments and columns, said so that an administrator can act."""

from tests.contract.canvas.conftest import LMS_MAP


def test_everything_in_order_is_said_so(connector, canvas):
    checks = connector.health()
    assert [c.name for c in checks] == ["token", "user lookup", "course 12",
                                        "course sis_course_id:AVG-2026"]
    assert all(c.ok for c in checks), checks
    assert "acts as lrs-bridge service (user 1)" in checks[0].message
    assert "Onboarding Noordwind" in checks[2].message
    assert "'Onboarding progress'" in checks[2].message
    assert "assignment 34 (Welcome to Noordwind, graded as pass_fail)" in checks[2].message
    assert "Privacy quiz" in checks[3].message


def test_an_invalid_token_is_the_only_check(canvas, connector_for):
    (check,) = connector_for(canvas.url, token="7~revoked").health()
    assert (check.name, check.ok) == ("token", False)
    assert "Invalid access token." in check.message


def test_a_missing_permission_is_named_with_the_course(connector, canvas):
    canvas.denied = [r"/api/v1/courses/12/custom_gradebook_columns"]
    checks = {c.name: c for c in connector.health()}
    course = checks["course 12"]
    assert not course.ok
    assert "may not list the custom gradebook columns of course 12" in course.message
    assert "user not authorized to perform that action" in course.message
    assert "give the token's user a role" in course.message
    assert checks["course sis_course_id:AVG-2026"].ok and checks["token"].ok


def test_a_token_that_may_not_search_users_is_told_why_it_matters(connector, canvas):
    canvas.denied, canvas.deny_status = [r"/api/v1/accounts/self/users"], 403
    check = next(c for c in connector.health() if c.name == "user lookup")
    assert not check.ok and "may not search the users of account self" in check.message


def test_a_column_or_assignment_the_course_lacks_is_named(canvas, connector_for):
    lms_map = {**LMS_MAP, "paths": {"onboarding-general": {"course": 12, "column": "Voortgang"}},
               "modules": {"welcome-noordwind": {"course": 13, "assignment": 99}}}
    checks = {c.name: c for c in connector_for(canvas.url, lms_map=lms_map).health()}
    assert "no custom gradebook column 'Voortgang'" in checks["course 12"].message
    assert "assignment 99 of course 13" in checks["course 13"].message
    assert not checks["course 12"].ok and not checks["course 13"].ok
