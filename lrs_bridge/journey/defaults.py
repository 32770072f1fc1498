"""What holds when a mappings folder leaves a file out: the six phases of journey.md, the
meanings of the verbs common content sends, and the alert thresholds."""

from datetime import timedelta

from lrs_bridge.journey.model import AlertRules, Phase, Text

PHASES = (
    Phase("attract", Text("Attract and first contact", "Aantrekken en eerste contact")),
    Phase("apply", Text("Application and selection", "Sollicitatie en selectie")),
    Phase("onboarding", Text("Onboarding and introduction", "Onboarding en introductie"),
          "onboarding"),
    Phase("development", Text("Development and performance", "Ontwikkeling en prestatie")),
    Phase("retention", Text("Retention and growth", "Behoud en groei")),
    Phase("offboarding", Text("Departure and alumni", "Vertrek en alumni"), "offboarding"),
)

_ADL = "http://adlnet.gov/expapi/verbs/"
_CMI5 = "https://w3id.org/xapi/adl/verbs/"
_VIDEO = "https://w3id.org/xapi/video/verbs/"
_TINCAN = "http://id.tincanapi.com/verb/"

VERBS = {
    # ADL vocabulary: Storyline, Rise, Captivate, iSpring, H5P and cmi5 use these.
    _ADL + "completed": "completed",
    _ADL + "passed": "passed",
    _ADL + "mastered": "passed",
    _ADL + "failed": "failed",
    _ADL + "attempted": "attempted",
    _ADL + "launched": "attempted",
    _ADL + "initialized": "attempted",
    _ADL + "progressed": "progressed",
    _ADL + "experienced": "experienced",
    _ADL + "interacted": "experienced",
    _ADL + "answered": "responded",
    _ADL + "responded": "responded",
    _ADL + "commented": "responded",
    _ADL + "asked": "responded",
    _ADL + "attended": "attended",
    _ADL + "scored": "progressed",
    _ADL + "suspended": "ignored",
    _ADL + "resumed": "ignored",
    _ADL + "terminated": "ignored",
    _ADL + "exited": "ignored",
    _ADL + "shared": "ignored",
    _ADL + "imported": "ignored",
    _ADL + "registered": "ignored",
    _ADL + "preferred": "ignored",
    _ADL + "voided": "ignored",
    # ADL's w3id vocabulary: cmi5's verbs and the log-in pair
    _CMI5 + "satisfied": "satisfied",
    _CMI5 + "waived": "waived",
    _CMI5 + "abandoned": "abandoned",
    _CMI5 + "logged-in": "ignored",
    _CMI5 + "logged-out": "ignored",
    # xAPI video profile
    _VIDEO + "played": "experienced",
    _VIDEO + "paused": "ignored",
    _VIDEO + "seeked": "ignored",
    # Tin Can registry verbs that LMSs and authoring tools send
    _TINCAN + "viewed": "experienced",
    _TINCAN + "rated": "responded",
    _TINCAN + "liked": "ignored",
    _TINCAN + "bookmarked": "ignored",
}

ALERTS = AlertRules(stalled_after=timedelta(days=14), failures_before_alert=3,
                    expiry_warning=timedelta(days=30))
