"""English and Dutch: from the browser's Accept-Language, or the switch, which the session
remembers (also across signing in); the mapping's Dutch names; translations complete and
compiled."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.integration.dashboard.conftest import ADMIN, ANNA, LEAD, learner_id

ROOT = Path(__file__).parents[3]
CATALOG = ROOT / "lrs_bridge" / "web" / "translations" / "nl" / "LC_MESSAGES"


def test_the_browser_language_picks_dutch(browser):
    assert "Inloggen op het dashboard" in browser(language="nl-NL,nl;q=0.9,en;q=0.5").text(
        "/dashboard/login")
    assert "Sign in to the dashboard" in browser(language="de-DE,fr;q=0.8").text(
        "/dashboard/login")
    assert '<html lang="nl">' in browser(LEAD, language="nl").text("/dashboard/alerts")


def test_dutch_pages_use_the_mappings_dutch_names(browser, organisation):
    lead = browser(LEAD, language="nl")
    page = lead.text(f"/dashboard/learners/{learner_id(organisation, ANNA)}")
    assert "Algemene onboarding: je eerste maand" in page
    assert "Privacy en de AVG: de basis" in page and "Klantenservicemedewerker" in page
    assert "Tijdlijn" in page and "Signaal opgelost: Stap te laat" in page
    alerts = lead.text("/dashboard/alerts?kind=overdue")
    assert "Openstaande signalen" in alerts and "uiterlijk 16 mrt 2026" in alerts


def test_the_switch_wins_over_the_browser_and_lasts_the_session(browser):
    admin = browser(ADMIN, language="en")
    response = admin.post("/dashboard/language", {"lang": "nl", "next": "/dashboard/team"},
                          form="/dashboard/team")
    assert response.status_code == 302 and response.location == "/dashboard/team"
    assert "Teams" in admin.text("/dashboard/team") and "Uitloggen" in admin.text("/")
    admin.post("/dashboard/language", {"lang": "en"}, form="/")
    assert "Sign out" in admin.text("/")


def test_the_language_chosen_before_signing_in_stays_after(browser):
    person = browser(language="en")
    person.post("/dashboard/language", {"lang": "nl", "next": "/dashboard/login"})
    assert "Inloggen op het dashboard" in person.text("/dashboard/login")
    person.sign_in(ADMIN)
    assert "Dashboard leren en ontwikkelen" in person.text("/")
    person.post("/dashboard/logout", {}, form="/")
    assert "U bent uitgelogd." in person.text("/dashboard/login?signed_out=1")


def test_an_unknown_language_changes_nothing(browser):
    admin = browser(ADMIN, language="nl")
    admin.post("/dashboard/language", {"lang": "de"}, form="/")
    assert "Uitloggen" in admin.text("/")


def _catalog():
    with open(CATALOG / "messages.po", "rb") as po:
        return read_po(po)


def _texts_used() -> set[str]:
    """The texts the dashboard's modules and templates mark for translation."""
    methods = [("lrs_bridge/web/**.py", "python"),
               ("lrs_bridge/web/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None}
    return {message for _, _, message, _, _ in extract_from_dir(
        str(ROOT), methods, keywords=keywords)}


def test_every_text_of_the_dashboard_has_a_dutch_translation():
    catalog = _catalog()
    untranslated = sorted(m for m in _texts_used()
                          if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == []


def test_the_catalog_holds_no_text_nothing_uses():
    """A text no module or template uses any more leaves the catalogue (README: Development,
    `pybabel update … --ignore-obsolete`)."""
    used = _texts_used()
    assert sorted(m.id for m in _catalog() if m.id and m.id not in used) == []


def test_the_compiled_catalog_is_that_of_the_po_file():
    """Given the .mo in the repository (read by the server without a build step), it should
    hold exactly the .po's translations: recompile it (README: Development) otherwise."""
    with open(CATALOG / "messages.po", "rb") as po, open(CATALOG / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert {m.id: m.string for m in source if m.id and m.string} == \
        {m.id: m.string for m in compiled if m.id}
