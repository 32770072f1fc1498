"""What the progress views need to know of a directory learner on a given day."""

from datetime import date

from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.learners import paths_on, role_on
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress_views import Learner


def learner_context(person: Person, mapping: Mapping, day: date) -> Learner:
    """The role, anchor dates and paths of `person` on `day`.

    A role's anchor (`role_start_date`) is the start of the spell they are in on `day`; before
    their first role the start date stands in for it.
    """
    spells = [spell for spell in person.roles if spell.since <= day]
    return Learner(role=role_on(person, day), start_date=person.start_date,
                   role_start_date=spells[-1].since if spells else person.start_date,
                   leave_date=person.leave_date, paths=paths_on(person, mapping, day),
                   status=person.status)
