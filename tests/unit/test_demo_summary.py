"""The demo's closing summary, from the learners and open alerts the API lists."""

from lrs_bridge.demo.summary import summary_lines


def learner(status: str, team: str, *paths: tuple[str, str]) -> dict:
    return {"status": status, "team": team,
            "paths": [{"id": path, "status": state} for path, state in paths]}


def test_the_summary_counts_people_paths_and_open_alerts_by_kind():
    learners = [
        learner("active", "Noord", ("onboarding", "completed"), ("growth", "in_progress")),
        learner("active", "Noord", ("onboarding", "in_progress"), ("growth", "not_started")),
        learner("leaver", "Zuid", ("onboarding", "completed"), ("growth", "completed")),
        learner("alumni", "Zuid", ("onboarding", "completed"), ("extra", "completed")),
    ]
    alerts = [{"kind": "milestone"}, {"kind": "overdue"}, {"kind": "milestone"},
              {"kind": "stalled"}]
    assert summary_lines(learners, alerts, 12345, ["onboarding", "growth"]) == [
        "people       4 (2 active, 1 leaver, 1 alumnus) in 2 teams",
        "statements   12,345 stored, every one folded into progress",
        "paths        5 completed of 8 followed:",
        "  onboarding     3 of    4 (75 %)",
        "  growth         1 of    3 (33 %)",
        "  extra          1 of    1 (100 %)",
        # in the order of the alert kinds: overdue, …, stalled, …, milestone
        "open alerts  4: 1 overdue, 1 stalled, 2 milestone",
    ]


def test_an_empty_organisation_says_so():
    assert summary_lines([], [], 0, ["onboarding"]) == [
        "people       0 (none) in 0 teams",
        "statements   0 stored, every one folded into progress",
        "paths        none followed",
        "open alerts  0",
    ]
