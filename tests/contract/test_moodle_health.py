"""`connector test` against the fake Moodle: each check names what an administrator must
change."""

from lrs_bridge_connectors.moodle.errors import WEB_SERVICES_OFF

MAPPED = {"modules": {"privacy-basics": {"cmid": 12}},
          "skills": {"privacy-gdpr": {"competency": "PRIV-1", "course": 3}}}


def by_name(checks):
    return {check.name: check for check in checks}


def test_a_well_set_up_moodle_passes_every_check(moodle, connect):
    moodle.add_competency("PRIV-1")
    checks = by_name(connect(MAPPED).health())
    assert all(check.ok for check in checks.values()), checks
    assert set(checks) == {"web services", "service functions", "site features",
                           "e-mail lookups", "competencies", "capabilities"}
    assert "Noordwind Leren (Moodle 4.5.6 (Build: 20250811)) answers as lrsbridge" == \
        checks["web services"].message


def test_an_invalid_token_is_the_only_check_and_says_what_to_do(moodle, connect):
    [check] = connect(MAPPED, token="f" * 32).health()
    assert (check.name, check.ok) == ("token", False)
    assert "Moodle does not know this token" in check.message
    assert "Manage tokens" in check.message


def test_web_services_off_is_said_in_the_settings_words(moodle, connect):
    moodle.web_services = False
    [check] = connect().health()
    assert (check.ok, check.message) == (False, WEB_SERVICES_OFF)


def test_each_function_missing_from_the_service_is_named_with_its_use(moodle, connect):
    moodle.add_competency("PRIV-1")
    moodle.functions -= {"core_completion_override_activity_completion_status",
                         "core_competency_grade_competency_in_course"}
    check = by_name(connect(MAPPED).health())["service functions"]
    assert not check.ok
    assert "core_completion_override_activity_completion_status (marking activities " \
           "complete)" in check.message
    assert "core_competency_grade_competency_in_course (rating competencies in a course)" \
           in check.message
    assert "core_competency_grade_competency " not in check.message  # not needed here


def test_functions_needed_follow_the_mapping(moodle, connect):
    moodle.functions -= {"core_completion_override_activity_completion_status",
                         "core_competency_list_competencies"}
    assert by_name(connect({}).health())["service functions"].ok


def test_a_service_user_that_cannot_see_email_addresses_is_told_the_capability(moodle,
                                                                              connect):
    moodle.capabilities.discard("moodle/site:viewuseridentity")
    check = by_name(connect().health())["e-mail lookups"]
    assert not check.ok and "moodle/site:viewuseridentity" in check.message


def test_a_mapped_competency_moodle_lacks_is_named(moodle, connect):
    moodle.add_competency("PRIV-2")
    check = by_name(connect(MAPPED).health())["competencies"]
    assert not check.ok
    assert check.message.startswith("privacy-gdpr: Moodle has no competency with ID number "
                                    "'PRIV-1'")


def test_competencies_switched_off_are_said_once(moodle, connect):
    moodle.competencies_enabled = False
    lms = {"skills": {"a": {"competency": "A"}, "b": {"competency": "B"}}}
    check = by_name(connect(lms).health())["competencies"]
    assert not check.ok and check.message.count("Competencies are not enabled.") == 1
    assert "Competencies settings" in check.message


def test_messaging_or_completion_off_on_the_site_is_reported(moodle, connect):
    moodle.features.update(messaging=0, enablecompletion=0)
    check = by_name(connect(MAPPED).health())["site features"]
    assert not check.ok
    assert "Enable messaging system" in check.message
    assert "Enable completion tracking" in check.message


def test_a_site_administrator_token_works_but_is_pointed_out(moodle, connect):
    moodle.site_admin = True
    check = by_name(connect().health())["service user"]
    assert check.ok and "site administrator" in check.message


def test_an_account_field_moodle_cannot_search_is_reported(moodle, connect):
    check = by_name(connect(account_field="email").health())["options"]
    assert not check.ok and "id, username, idnumber" in check.message
