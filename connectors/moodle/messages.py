"""An alert opened becomes a Moodle message to the learner and, for the alerts a manager acts
on, to their manager. Core Moodle has no web service for notifications: these are private
messages from the service user (core_message_send_instant_messages), plain text."""

from lrs_bridge_connectors.base import PERMANENT, LmsUser, Result
from lrs_bridge_connectors.moodle import users
from lrs_bridge_connectors.moodle.client import MoodleClient, MoodleError

SEND = "core_message_send_instant_messages"
PLAIN = 2  # textformat FORMAT_PLAIN
TO_MANAGER = frozenset({"skill_gap", "overdue", "stalled", "repeated_failure"})


def deliver_alert(client: MoodleClient, event: dict, user: LmsUser | None,
                  account_field: str) -> Result:
    """Send the alert to the learner, and to their manager when the kind calls for it."""
    refused = users.unusable(client, user, f"alert {event.get('kind')}")
    if refused:
        return refused
    learner = event.get("learner") or {}
    messages = [_message(event, "learner", user, alert_text(event, learner, False))]
    skipped = ""
    if event.get("kind") in TO_MANAGER:
        manager, skipped = _manager(client, learner, account_field)
        if manager is not None:
            messages.append(_message(event, "manager", manager, alert_text(event, learner, True)))
    answers = client.call(SEND, messages=messages)
    return _outcome(messages, answers, skipped)


def _manager(client: MoodleClient, learner: dict,
             account_field: str) -> tuple[LmsUser | None, str]:
    email = (learner.get("manager_email") or "").strip()
    if not email:
        return None, "the learner has no manager e-mail address"
    try:
        manager = users.resolve(client, {"email": email}, account_field)
    except MoodleError as err:
        if err.result.status != PERMANENT:
            raise  # nothing is sent yet: all of it can be tried again
        return None, err.result.message
    if manager is None:
        return None, f"Moodle has no user with the manager's address {email}"
    return manager, ""


def _message(event: dict, to: str, user: LmsUser, text: str) -> dict:
    return {"touserid": int(user.id), "text": text, "textformat": PLAIN,
            "clientmsgid": f"{event.get('id', 'alert')}-{to}"}


def _outcome(messages: list[dict], answers: list, skipped: str) -> Result:
    """A message Moodle did not send comes back as msgid -1 with its reason, in a 200."""
    sent, failed = [], []
    for message, answer in zip(messages, answers or [], strict=False):
        who = message["clientmsgid"].rsplit("-", 1)[1]
        if answer.get("msgid", -1) == -1:
            failed.append(f"to the {who} (Moodle user {message['touserid']}): "
                          f"{answer.get('errormessage') or 'not sent'}")
        else:
            sent.append(f"to the {who}")
    failed += [f"to the {m['clientmsgid'].rsplit('-', 1)[1]}: no answer"
               for m in messages[len(answers or []):]]
    said = f"sent {' and '.join(sent)}" if sent else "nothing sent"
    if skipped:
        said += f"; not to the manager: {skipped}"
    if failed:
        # Sending again would repeat what did arrive: this is for an administrator to see
        # (a privacy setting, say: the service user needs moodle/site:messageanyuser).
        return Result.permanent(f"Moodle message {'; '.join(failed)}; {said}")
    return Result.ok(said)


def alert_text(event: dict, learner: dict, to_manager: bool) -> str:
    """The message about an opened alert, to the learner or (naming them) to the manager."""
    kind, subject, detail = event.get("kind"), event.get("subject"), event.get("detail") or {}
    path = event.get("path")
    on_path = f" on path {path}" if path else ""
    texts = {
        "overdue": f"the step {detail.get('module', subject)}{on_path} was due on "
                   f"{detail.get('due', '?')} and is not done yet.",
        "skill_gap": f"the skill {subject} is at level {detail.get('level') or 0}; the role "
                     f"asks for level {detail.get('target', '?')}.",
        "stalled": f"there has been no learning activity since "
                   f"{(detail.get('quiet_since') or '?')[:10]} while a path is open.",
        "repeated_failure": f"the module {subject} has been failed "
                            f"{detail.get('failures', 'several')} times.",
        "expiring": f"the evidence of the skill {subject} expires on "
                    f"{(detail.get('expires') or '?')[:10]}: renew it before then.",
        "expired": f"the evidence of the skill {subject} has expired.",
        "milestone": f"{_milestone(subject)} is completed. Well done!",
    }
    body = texts.get(kind, f"alert {kind}: {subject}.")
    who = learner.get("name") or learner.get("email") or "a learner"
    return f"{who}: {body}" if to_manager else body[:1].upper() + body[1:]


def _milestone(subject: str | None) -> str:
    kind, _, name = (subject or "").partition(":")
    return f"the {kind} {name}" if name else "a milestone"
