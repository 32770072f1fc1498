"""A person's data on SQLite and PostgreSQL: `lrs-bridge forget` erases them from every
table and touches nobody else; `lrs-bridge export` writes all of it, and every statement."""

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import LargeBinary, String, Text, func, select

from lrs_bridge.delivery import connector_factory
from lrs_bridge.store.tables import (
    attachments,
    learners,
    lms_users,
    metadata,
    statement_index,
    statements,
    tenants,
)
from tests.integration import recording_connector
from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    command_line,
    import_roster,
    said,
    store,
    stored_state,
    worker,
)
from tests.integration.recording_connector import Recorder
from tests.integration.statements_helpers import make_statement
from tests.integration.test_documents import state_url
from tests.integration.test_progress_worker import ADL_VOIDED
from tests.integration.test_statements_attachments import BOUNDARY, _multipart

ANNA, BERT = "anna@nw.nl", "bert@nw.nl"
NOW = "2026-03-10T00:00:00"
AGENT_PROFILE = "/xapi/agents/profile"


@pytest.fixture
def organisation(services, make_xapi, monkeypatch):
    """Anna and Bert on the roster, their statements folded and delivered, documents of
    both, Anna named in one of Bert's statements, and one of Anna's voided."""
    monkeypatch.setattr(connector_factory, "connector_class", lambda kind: Recorder)
    Recorder.reset()
    services.connectors.add("default", "lms", "recorder", "https://lms.invalid",
                            token_env=None, token_encrypted=None, options={})
    import_roster(services, f"{ANNA},Anna,customer-service-agent,{BERT},Team,2026-03-02",
                  f"{BERT},Bert,customer-service-agent,,Team,2026-03-02")
    failed = said(ANNA, "failed", PRIVACY, "2026-03-05T09:00:00Z", score=0.5)
    coached = said(BERT, "completed", WELCOME, "2026-03-04T10:00:00Z")
    coached["context"] = {"instructor": {"mbox": f"mailto:{ANNA}"}}
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"), failed,
          said("Anna@nw.nl", "passed", PRIVACY, "2026-03-06T09:00:00Z", score=0.9),
          said(BERT, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9), coached)
    store(services, {"actor": {"mbox": "mailto:admin@nw.nl"}, "verb": {"id": ADL_VOIDED},
                     "object": {"objectType": "StatementRef", "id": failed["id"]}})
    worker(services, NOW).drain()
    recording_connector.deliver_all(services, datetime.fromisoformat(NOW).replace(tzinfo=UTC))
    xapi = make_xapi("all")
    for email in (ANNA, BERT):
        agent = {"mbox": f"mailto:{email}"}
        assert xapi.put(state_url("bookmark", agent=agent), data=b"page 3",
                        headers={"Content-Type": "text/plain"}).status_code == 204
        assert xapi.put(f"{AGENT_PROFILE}?profileId=prefs&agent={json.dumps(agent)}",
                        json={"language": "nl"},
                        headers={"If-None-Match": "*"}).status_code == 204
    return {"coached": coached["id"], "xapi": xapi}


def text_rows(services) -> list[str]:
    """Every text and binary value of every table, to search for a person in."""
    found = []
    with services.engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns
                       if isinstance(c.type, (Text, String, LargeBinary))]
            for row in conn.execute(select(*columns)) if columns else ():
                found += [v.decode(errors="replace") if isinstance(v, bytes) else v
                          for v in row if v is not None]
    return found


def learner_id(services, email: str) -> int | None:
    with services.engine.connect() as conn:
        return conn.execute(select(learners.c.id).where(learners.c.email == email)).scalar()


def rows_of_learner(services, lid: int) -> dict[str, int]:
    counts = {}
    with services.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "learner_id" in table.columns:
                counts[table.name] = conn.execute(select(func.count()).select_from(table).where(
                    table.c.learner_id == lid)).scalar()
    return {name: n for name, n in counts.items() if n}


def bert_state(services) -> dict:
    lid = learner_id(services, BERT)
    state = stored_state(services)
    # Every one of these tables starts (tenant_id, learner_id, ...).
    return {name: [row for row in rows if row[1] == lid] for name, rows in state.items()}


def test_forget_erases_every_row_of_the_person_and_keeps_the_others(
        database_url, services, organisation):
    cli = command_line(database_url)
    anna = learner_id(services, ANNA)
    assert set(rows_of_learner(services, anna)) >= {
        "progress_evidence", "alerts", "outbox", "deliveries", "lms_users"}
    bert_before = bert_state(services)

    out = cli("forget", ANNA, "--yes")
    assert "statements: 3 theirs (as actor or as object), 1 pointing at theirs" in out
    assert "documents: 1 State, 1 Agent Profile" in out
    assert "kept: 1 statement of others that name them" in out
    assert "manager" not in out  # nobody names Anna as manager
    assert "erased 4 statements and learner" in out
    assert "remove them from the roster too" in out
    assert "the LMS keeps what was delivered to it: remove them there too (connectors: lms)" \
        in out

    assert rows_of_learner(services, anna) == {}
    # Nothing anywhere mentions Anna but Bert's statement that names her as instructor.
    mentions = [v for v in text_rows(services) if "anna@nw.nl" in v.lower()]
    assert len(mentions) == 1 and organisation["coached"] in mentions[0]
    assert bert_state(services) == bert_before
    with services.engine.connect() as conn:
        kept = set(conn.execute(select(statements.c.seq)).scalars())
        indexed = set(conn.execute(select(statement_index.c.seq)).scalars())
        assert indexed == kept  # no index row of an erased statement is left
        assert conn.execute(select(func.count()).select_from(lms_users)).scalar() == 1
    xapi = organisation["xapi"]
    anna_agent = json.dumps({"mbox": f"mailto:{ANNA}"})
    assert xapi.get(f"/xapi/statements?agent={anna_agent}").get_json()["statements"] == []
    assert xapi.get(state_url("bookmark", agent={"mbox": f"mailto:{ANNA}"})).status_code == 404
    assert xapi.get(state_url("bookmark", agent={"mbox": f"mailto:{BERT}"})).data == b"page 3"
    # Nothing waits for the worker, and a rebuild of everyone finds the same for Bert.
    assert worker(services, NOW).drain() == 0
    cli("reprocess")
    worker(services, NOW).drain()
    assert bert_state(services) == bert_before


def test_everywhere_also_erases_the_statements_of_others_that_name_them(
        database_url, services, organisation):
    cli = command_line(database_url)
    out = cli("forget", ANNA, "--everywhere", "--yes")
    assert "erased 5 statements" in out
    assert not [v for v in text_rows(services) if "anna@nw.nl" in v.lower()]
    # Bert's statement that named her is gone: the worker rebuilds his progress without it.
    assert organisation["coached"] in [row[2] for row in bert_state(services)["progress_evidence"]]
    assert worker(services, NOW).drain() == 1
    assert organisation["coached"] not in [
        row[2] for row in bert_state(services)["progress_evidence"]]
    assert bert_state(services)["progress_evidence"]  # his other statement still counts


def test_dry_run_and_a_refused_question_erase_nothing(database_url, services, organisation):
    cli = command_line(database_url)
    before = text_rows(services)
    out = cli("forget", ANNA, "--dry-run")
    assert out.startswith(f"would erase for {ANNA} in tenant default:")
    # Anna's roster entry names Bert as her manager.
    assert "kept: 1 learner whose roster entry names them as manager" in cli(
        "forget", BERT, "--dry-run")
    assert text_rows(services) == before
    from click.testing import CliRunner

    from lrs_bridge.cli import main
    from tests.integration.progress_helpers import SAMPLE_MAPPINGS

    result = CliRunner().invoke(main, ["forget", ANNA], input="n\n", env={
        "LRS_BRIDGE_DATABASE_URL": database_url, "LRS_BRIDGE_MAPPINGS": str(SAMPLE_MAPPINGS)})
    assert result.exit_code == 1 and "Aborted" in result.stderr
    assert text_rows(services) == before


def test_a_person_the_roster_does_not_name_is_erased_by_their_statements(
        database_url, services):
    store(services, said("carla@nw.nl", "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(BERT, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    cli = command_line(database_url)
    out = cli("forget", "carla@nw.nl", "--yes")
    assert "statements: 1 theirs" in out and "learner" not in out.split("\n")[1]
    assert not [v for v in text_rows(services) if "carla@" in v]
    assert [v for v in text_rows(services) if BERT in v]


def test_an_account_is_erased_by_its_home_page_and_name(database_url, services):
    statement = said(BERT, "completed", WELCOME, "2026-03-04T09:00:00Z")
    statement["actor"] = {"account": {"homePage": "https://lms.nw.nl", "name": "u-17"}}
    store(services, statement)
    cli = command_line(database_url)
    assert "statements: 1 theirs" in cli("forget", "--account", "https://lms.nw.nl", "u-17",
                                         "--yes")
    assert not [v for v in text_rows(services) if "u-17" in v]


@pytest.mark.parametrize("args, message", [
    ((), "name one person"),
    ((ANNA, "--account", "https://lms.nw.nl", "u-17"), "name one person"),
    (("mailto:anna@nw.nl",), "is not an e-mail address"),
    (("anna@nw.nl", "--tenant", "elsewhere"), "no tenant called 'elsewhere'"),
    (("nobody@nw.nl",), "tenant default holds nothing of nobody@nw.nl"),
    (("--left-before", "2999-01-01"), "is in the future"),
    (("--left-before", "yesterday"), "'yesterday' does not match the format"),
])
def test_wrong_input_is_a_clear_error(database_url, services, args, message):
    cli = command_line(database_url)
    expect = 1 if "holds nothing" in message or "no tenant" in message else 2
    assert message in cli("forget", *args, expect=expect)


def test_left_before_erases_the_leavers_of_the_retention_period(database_url, services):
    head = "email,name,role,manager_email,team,start_date,leave_date,status"
    import_roster(services,
                  f"{ANNA},Anna,customer-service-agent,,Team,2024-03-02,2025-01-31,alumni",
                  f"{BERT},Bert,customer-service-agent,,Team,2024-03-02,2025-06-30,leaver",
                  "carla@nw.nl,Carla,customer-service-agent,,Team,2024-03-02,,active",
                  head=head)
    store(services, *(said(who, "completed", WELCOME, "2024-03-04T09:00:00Z")
                      for who in (ANNA, BERT, "carla@nw.nl")))
    worker(services, NOW).drain()
    cli = command_line(database_url)
    listed = cli("forget", "--left-before", "2025-03-01", "--dry-run").splitlines()
    assert listed[:2] == ["1 learner of tenant default left before 2025-03-01:",
                          f"  learner 1  {ANNA}  left 2025-01-31  alumni"]
    assert learner_id(services, ANNA) is not None
    out = cli("forget", "--left-before", "2025-03-01", "--yes")
    assert "erased 1 learner and 1 statement" in out
    assert learner_id(services, ANNA) is None
    assert learner_id(services, BERT) is not None and learner_id(services, "carla@nw.nl")
    assert "no learner of tenant default left before 2025-03-01" in cli(
        "forget", "--left-before", "2025-03-01", "--yes")
    assert date(2025, 3, 1) < date.today()


def test_an_attachment_goes_with_the_last_statement_that_needs_it(database_url, services,
                                                                   xapi):
    data = b"%PDF certificate of privacy basics"
    sha = hashlib.sha256(data).hexdigest()
    for who in ("carla@nw.nl", BERT):
        statement = make_statement(actor=who, attachments=[{
            "usageType": "https://example.com/attachment-usage/certificate",
            "display": {"en-US": "certificate"}, "contentType": "application/pdf",
            "length": len(data), "sha2": sha}])
        body = _multipart(json.dumps(statement).encode(), [(data, "application/pdf", sha)])
        assert xapi.post("/xapi/statements", data=body,
                         content_type=f"multipart/mixed; boundary={BOUNDARY}").status_code == 200
    cli = command_line(database_url)

    def attachments_held() -> int:
        with services.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(attachments)).scalar()

    cli("forget", "carla@nw.nl", "--yes")
    assert attachments_held() == 1  # Bert's statement still needs it
    cli("forget", BERT, "--yes")
    assert attachments_held() == 0


def test_export_person_writes_all_the_store_holds_of_them(database_url, services,
                                                         organisation, tmp_path):
    cli = command_line(database_url)
    target = tmp_path / "anna.json"
    cli("export", "person", ANNA, "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["tenant"] == "default"
    assert f"mbox:mailto:{ANNA}" in data["identifiers"]
    assert data["learner"]["email"] == ANNA and data["learner"]["paths"]
    assert {a["kind"] for a in data["alerts"]} and all(
        a["learner_email"] == ANNA for a in data["alerts"])
    assert data["progress_events"] and all("change" in e for e in data["progress_events"])
    # Her three statements (one voided) and the admin's voiding one, in the order stored;
    # Bert's statement that names her as instructor apart.
    assert [s["actor"].get("mbox") for s in data["statements"]] == [
        f"mailto:{ANNA}", f"mailto:{ANNA}", "mailto:Anna@nw.nl", "mailto:admin@nw.nl"]
    assert [s["id"] for s in data["named_in_statements_of_others"]] == [organisation["coached"]]
    assert sorted((d["resource"], d["id"], d.get("content")) for d in data["documents"]) == [
        ("agent_profile", "prefs", {"language": "nl"}), ("state", "bookmark", "page 3")]
    # Exporting changes nothing; what export names, forget erases.
    before = text_rows(services)
    assert json.loads(cli("export", "person", ANNA))["statements"] == data["statements"]
    assert text_rows(services) == before


def test_export_person_of_someone_unknown_or_misnamed_is_an_error(database_url, services):
    cli = command_line(database_url)
    assert "tenant default holds nothing of nobody@nw.nl" in cli(
        "export", "person", "nobody@nw.nl", expect=1)
    assert "name one person" in cli("export", "person", expect=2)
    assert "is not an e-mail address" in cli("export", "person", "anna", expect=2)


def test_export_statements_writes_every_statement_as_json_lines(database_url, services,
                                                                organisation, tmp_path):
    cli = command_line(database_url)
    target = tmp_path / "statements.jsonl"
    cli("export", "statements", "-o", str(target))
    lines = target.read_text(encoding="utf-8").splitlines()
    exported = [json.loads(line) for line in lines]
    with services.engine.connect() as conn:
        stored = list(conn.execute(select(statements.c.statement_id, statements.c.voided)
                                   .order_by(statements.c.seq)))
    assert [s["id"] for s in exported] == [row.statement_id for row in stored]
    assert any(row.voided for row in stored)  # voided statements are exported too
    assert all(s["stored"] and s["authority"] for s in exported)
    assert cli("export", "statements") == target.read_text(encoding="utf-8")
    # Bounded by when they were stored.
    first = min(s["stored"] for s in exported)
    assert cli("export", "statements", "--until", first) == ""
    assert len(cli("export", "statements", "--since", first).splitlines()) == len(lines)
    assert "no tenant called 'other'" in cli("export", "statements", "--tenant", "other",
                                              expect=1)


def test_exported_statements_sent_in_order_to_another_store_give_the_same(
        database_url, services, organisation, make_xapi):
    exported = [json.loads(line) for line in
                command_line(database_url)("export", "statements").splitlines()]
    other = make_xapi("all", tenant="other")
    for statement in exported:
        sent = {k: v for k, v in statement.items() if k not in ("stored", "authority")}
        assert other.post("/xapi/statements", json=sent).status_code == 200
    again = [json.loads(line) for line in command_line(database_url)(
        "export", "statements", "--tenant", "other").splitlines()]
    assert [s["id"] for s in again] == [s["id"] for s in exported]
    with services.engine.connect() as conn:
        voided = {name: sorted(conn.execute(
            select(statements.c.statement_id).join(tenants, tenants.c.id == statements.c.tenant_id)
            .where(tenants.c.name == name, statements.c.voided)).scalars())
            for name in ("default", "other")}
    assert voided["default"] and voided["default"] == voided["other"]


def test_export_person_needs_the_mappings_only_for_a_learners_progress(database_url, services,
                                                                       tmp_path):
    from click.testing import CliRunner

    from lrs_bridge.cli import main

    store(services, said("carla@nw.nl", "completed", WELCOME, "2026-03-04T09:00:00Z"))
    result = CliRunner().invoke(main, ["export", "person", "carla@nw.nl"], env={
        "LRS_BRIDGE_DATABASE_URL": database_url,
        "LRS_BRIDGE_MAPPINGS": str(tmp_path / "no-such-folder")})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["learner"] is None and len(data["statements"]) == 1
