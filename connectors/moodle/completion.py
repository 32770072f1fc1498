"""A step met (completed or passed) becomes the activity completion of the course module its
module maps to. Completions are only ever added: an event of a step not (or no longer) met
sends nothing, so an older event can never undo a completion."""

from lrs_bridge_connectors.base import LmsUser, Result
from lrs_bridge_connectors.moodle import shapes, users
from lrs_bridge_connectors.moodle.client import MoodleClient

MET = ("completed", "passed")
OVERRIDE = "core_completion_override_activity_completion_status"
# 1 = complete. 2/3 (complete-pass/fail) fail with err_system on manual-completion
# activities (seen on Moodle 4.5), and 1 serves automatic ones too.
COMPLETE = 1


def deliver_step(client: MoodleClient, modules: dict, event: dict,
                 user: LmsUser | None) -> Result:
    """Mark the activity of the step's module complete for `user` when the step is met."""
    if event.get("status") not in MET:
        return Result.ok(f"step is {event.get('status')}: nothing to send (completions are "
                         f"never taken back)")
    module = event.get("module")
    target, skip = shapes.target_of("module", module, modules)
    if skip is not None:
        return skip
    refused = users.unusable(client, user, f"completion of {module}") \
        or _not_enrolled(client, user, target.get("course"))
    if refused:
        return refused
    answer = client.call(OVERRIDE, userid=int(user.id), cmid=target["cmid"], newstate=COMPLETE)
    return _checked(answer, module, target["cmid"], user)


def _not_enrolled(client: MoodleClient, user: LmsUser, course: int | None) -> Result | None:
    if course is None or ("enrolled", user.id, course) in client.confirmed:
        return None
    courses = client.call("core_enrol_get_users_courses", userid=int(user.id),
                          returnusercount=False)
    for entry in courses:
        client.confirmed.note(("enrolled", user.id, entry.get("id")))
    if any(entry.get("id") == course for entry in courses):
        return None
    return Result.permanent(f"Moodle user {user.id} is not enrolled in course {course}: "
                            f"completion not sent")


def _checked(answer: dict, module: str, cmid: int, user: LmsUser) -> Result:
    """Moodle changes nothing, and says so only in the answer, for an untracked activity."""
    if answer.get("tracking") == 0:
        return Result.permanent(f"activity {cmid} (module {module}) has completion tracking "
                                f"off in Moodle: turn it on in the activity's settings")
    if answer.get("state") != COMPLETE:
        return Result.permanent(f"Moodle kept activity {cmid} at completion state "
                                f"{answer.get('state')} for user {user.id}")
    return Result.ok(f"activity {cmid} complete for Moodle user {user.id}")
