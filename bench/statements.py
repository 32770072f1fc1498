"""Realistic statements for the benchmarks: many learners, a catalogue, the usual verbs."""

import random
import uuid

VERBS = ["completed", "passed", "failed", "attempted", "experienced", "progressed", "answered"]
DOMAIN = "https://learning.example.nl"


def make_statements(count: int, *, seed: int = 7, learners: int = 5000,
                    activities: int = 800) -> list[dict]:
    """`count` valid, varied statements; the same seed gives the same statements."""
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        learner = rng.randrange(learners)
        activity = rng.randrange(activities)
        verb = rng.choice(VERBS)
        result.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": {"objectType": "Agent", "name": f"Learner {learner}",
                      "mbox": f"mailto:learner{learner}@example.nl"},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": f"{DOMAIN}/modules/{activity}",
                       "definition": {"name": {"en-US": f"Module {activity}",
                                               "nl-NL": f"Module {activity}"},
                                      "type": "http://adlnet.gov/expapi/activities/module"}},
            "result": {"score": {"scaled": round(rng.random(), 2)}, "success": rng.random() > .3,
                       "completion": True, "duration": f"PT{rng.randrange(60, 1800)}S"},
            "context": {"registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "contextActivities": {
                            "parent": [{"id": f"{DOMAIN}/paths/{activity % 40}"}]},
                        "platform": "bench"},
            "timestamp": "2026-11-01T09:00:00.000Z",
        })
    return result
