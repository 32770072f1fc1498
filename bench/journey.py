"""Statements and a roster of the sample organisation (mappings/): learners taking its modules
with the verbs content sends, for the progress benchmarks."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from lrs_bridge.mapping_files.loader import load_mapping

SAMPLE = Path(__file__).parents[1] / "mappings"
ADL = "http://adlnet.gov/expapi/verbs/"
# Verbs as content sends them, most often progress and completion.
VERBS = ["experienced", "progressed", "attempted", "completed", "completed", "passed", "failed"]


def roster_csv(people: int, *, start: date = date(2026, 1, 5)) -> str:
    """A roster of `people` customer service agents and field technicians, hired over a year."""
    lines = ["email,name,role,manager_email,team,start_date"]
    for n in range(people):
        role = "customer-service-agent" if n % 3 else "field-technician"
        hired = start + timedelta(days=n % 365)
        lines.append(f"learner{n}@noordwind.example,Learner {n},{role},"
                     f"lead{n % 40}@noordwind.example,Team {n % 40},{hired.isoformat()}")
    return "\n".join(lines) + "\n"


def activity_ids() -> list[str]:
    """One activity IRI per module of the sample mapping (a lesson under a prefix)."""
    mapping = load_mapping(SAMPLE).mapping
    return [m.activity or f"{m.activity_prefix}lesson-1" for m in mapping.modules]


def make_statements(count: int, people: int, *, seed: int = 11,
                    first: datetime = datetime(2026, 1, 5, tzinfo=UTC)) -> list[dict]:
    """`count` statements of the roster's learners on the sample modules, over a year."""
    rng = random.Random(seed)
    activities = activity_ids()
    result = []
    for _ in range(count):
        verb = rng.choice(VERBS)
        statement = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": {"objectType": "Agent",
                      "mbox": f"mailto:learner{rng.randrange(people)}@noordwind.example"},
            "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": rng.choice(activities)},
            "timestamp": (first + timedelta(minutes=rng.randrange(525_600))).isoformat(),
        }
        if verb in ("passed", "failed", "completed"):
            scaled = round(rng.uniform(0.85, 1) if verb == "passed" else rng.random(), 2)
            statement["result"] = {"score": {"scaled": scaled}, "completion": True,
                                   "success": verb != "failed"}
        result.append(statement)
    return result
