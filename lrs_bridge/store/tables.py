"""SQLAlchemy Core tables: the one schema every process shares (SQLite and PostgreSQL)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY (the rowid alias), not a BIGINT one.
Serial = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

tenants = Table(
    "tenants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
)

credentials = Table(
    "credentials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("secret_hash", String(300), nullable=False),
    # Space-separated xAPI scopes (Communication §4.2).
    Column("scopes", String(500), nullable=False),
    Column("tenant_id", Integer, ForeignKey("tenants.id"), nullable=False),
    Column("created", BigInteger, nullable=False),
    Column("revoked", BigInteger, nullable=True),
    # Whether the skill levels its statements tag themselves with count (README: Mappings).
    Column("trust_skill_tags", Boolean, nullable=False, default=False, server_default=false()),
)

# One row per stored statement. `seq` is the insertion order; (stored, seq) is the order of
# every statement query, and `payload` is the completed statement exactly as received.
statements = Table(
    "statements",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, nullable=False),
    Column("statement_id", String(36), nullable=False),
    Column("stored", BigInteger, nullable=False),
    Column("voided", Boolean, nullable=False, default=False, server_default=false()),
    # Set on voiding statements: the statement they void (it may arrive later).
    Column("voiding_target", String(36), nullable=True),
    # Set when the object is a StatementRef: the filters of the target apply to this row too.
    Column("ref_target", String(36), nullable=True),
    Column("payload", Text, nullable=False),
    UniqueConstraint("tenant_id", "statement_id"),
    Index(None, "tenant_id", "stored", "seq"),
    Index(None, "tenant_id", "ref_target"),
    Index(None, "tenant_id", "voiding_target"),
)

# The query index: one row per (statement, filter value). `kind` says which filter
# (see store.statement_index.KINDS) and `key` is a 64-bit hash of the value, so every
# filtered query is a range scan of this primary key in (stored, seq) order.
statement_index = Table(
    "statement_index",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("kind", SmallInteger, primary_key=True),
    Column("key", BigInteger, primary_key=True),
    Column("stored", BigInteger, primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    sqlite_with_rowid=False,
)

attachments = Table(
    "attachments",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("sha2", String(128), primary_key=True),
    Column("content_type", String(255), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Documents of the State, Activity Profile and Agent Profile resources, byte for byte.
# `context` is a SHA-256 of (resource, activity id, agent IFI key) and `doc_key` one of the
# document id, so that long IRIs and ids fit a unique index on either database; a state
# without registration has registration "".
documents = Table(
    "documents",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, nullable=False),
    Column("resource", SmallInteger, nullable=False),
    Column("context", String(64), nullable=False),
    Column("registration", String(36), nullable=False),
    Column("doc_key", String(64), nullable=False),
    Column("doc_id", Text, nullable=False),
    Column("activity_id", Text, nullable=True),
    Column("agent", Text, nullable=True),
    Column("content_type", String(255), nullable=False),
    Column("contents", LargeBinary, nullable=False),
    Column("etag", String(40), nullable=False),
    Column("updated", BigInteger, nullable=False),
    UniqueConstraint("tenant_id", "context", "registration", "doc_key"),
)

# The canonical definition of each Activity (JSON), merged from the statements of
# credentials with the `define` scope; `id_hash` is a SHA-256 of the Activity id.
activities = Table(
    "activities",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("id_hash", String(64), primary_key=True),
    Column("activity_id", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("updated", BigInteger, nullable=False),
)

# The learner directory: one row per person the roster names (README: Roster).
learners = Table(
    "learners",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),  # "" when known by an account only
    Column("manager_email", String(254), nullable=False),
    Column("team", String(200), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("leave_date", Date, nullable=True),
    Column("status", String(10), nullable=False),
    Column("paths", Text, nullable=False),  # extra path ids, ";"-separated
    Column("updated", BigInteger, nullable=False),
    Index(None, "tenant_id", "team"),  # GET /api/v1/learners?team=…, and a tenant's learners
)
# A manager's team (the dashboard's manager scope, ?manager=…): the roster's manager_email
# compared in lower case.
Index("ix_learners_tenant_id_manager", learners.c.tenant_id,
      func.lower(learners.c.manager_email))

# Every IFI of a learner by its directory key (xapi.agents.learner_key), so that a statement's
# actor resolves to its learner with one lookup of this unique index.
learner_identifiers = Table(
    "learner_identifiers",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("key", String(600), primary_key=True),
    Column("learner_id", BigInteger, ForeignKey("learners.id"), nullable=False),
    Index(None, "learner_id"),
)

# A learner's role history: `role` from `since` until the next row's `since`.
learner_roles = Table(
    "learner_roles",
    metadata,
    Column("learner_id", BigInteger, ForeignKey("learners.id"), primary_key=True),
    Column("since", Date, primary_key=True),
    Column("role", String(100), nullable=False),
)

# The progress engine's work list: one row per statement stored or voided (written in the
# statement's own transaction) and per learner to rebuild. The worker claims rows and deletes
# them in the transaction that writes what they caused, so no cursor over `seq` (which is not
# commit order on PostgreSQL) is needed and nothing is skipped or done twice.
progress_queue = Table(
    "progress_queue",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, nullable=False),
    Column("kind", SmallInteger, nullable=False),  # store.progress_queue.STORED, VOIDED, REBUILD
    Column("statement_id", String(36), nullable=True),
    Column("learner_id", BigInteger, nullable=True),
    Column("created", BigInteger, nullable=False),  # ms: how long it has waited
)

# Every actor the worker has seen: its directory key (xapi.agents.learner_key) and the IFI
# key the statement index holds it under (the two differ in the case of an e-mail address).
# A learner is rebuilt from the statements of all the IFI keys of their directory keys, so
# statements that arrived before the roster named their actor become theirs.
actors = Table(
    "actors",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_key", String(600), primary_key=True),
    Column("ifi_key", String(600), primary_key=True),
    Column("statements", BigInteger, nullable=False),
    Column("last_seen", BigInteger, nullable=False),
)

# A learner's progress: one row of what holds for the learner as a whole ...
progress_learners = Table(
    "progress_learners",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("mapping_version", String(64), nullable=False),
    Column("updated", BigInteger, nullable=False),
)

# ... one per statement that counts for them (what it contributed, as JSON) ...
progress_evidence = Table(
    "progress_evidence",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("statement_id", String(36), primary_key=True),
    Column("module", String(200), nullable=True),
    Column("data", Text, nullable=False),
    Index(None, "tenant_id", "learner_id", "module"),
)

# ... one per module they have evidence of (its aggregates, JSON) ...
progress_modules = Table(
    "progress_modules",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("module", String(200), primary_key=True),
    Column("summary", Text, nullable=False),
)

# ... and one per skill (its evidence: statement id -> level and moment, JSON).
progress_skills = Table(
    "progress_skills",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("skill", String(200), primary_key=True),
    Column("evidence", Text, nullable=False),
)

# What the worker keeps of each learner for the journey metrics (journey.learner_facts), so
# that each metric is a GROUP BY over one narrow table read through a covering index, never
# a walk over statements or evidence. All of it follows from the state, the roster and the
# mapping: a rebuild writes the same rows as folding.

# Per phase and block of 60 months (journey.dates): the months the learner was in the
# phase's audience and the months with activity in it, as bit masks; `counts` (JSON,
# month -> statements) lets a voided statement take its month back.
progress_phase_months = Table(
    "progress_phase_months",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("phase", String(200), primary_key=True),
    Column("block", Integer, primary_key=True),
    Column("audience", BigInteger, nullable=False),
    Column("active", BigInteger, nullable=False),
    Column("counts", Text, nullable=False),
    Index("ix_progress_phase_months_metrics", "tenant_id", "block", "phase", "audience",
          "active", "learner_id"),
)

# Per learner: their start date, whether they follow an onboarding path from it, when (ms)
# they had completed all of those and in how many days, and their six-month day, whether
# they were still employed on it and had completed onboarding by then.
progress_journeys = Table(
    "progress_journeys",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("started", Date, nullable=False),
    Column("onboarding", Boolean, nullable=False),
    Column("onboarded", BigInteger, nullable=True),
    Column("onboarding_days", Integer, nullable=True),
    Column("retention_day", Date, nullable=False),
    Column("retained", Boolean, nullable=False),
    Column("retention_onboarded", Boolean, nullable=False),
    Index("ix_progress_journeys_started", "tenant_id", "started", "onboarding", "onboarded",
          "onboarding_days", "learner_id"),
    Index("ix_progress_journeys_retention", "tenant_id", "retention_day",
          "retention_onboarded", "retained", "learner_id"),
)

# Per path the learner follows now: its anchor and last due date, and when (ms) they
# completed it.
progress_paths = Table(
    "progress_paths",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("path", String(200), primary_key=True),
    Column("phase", String(200), nullable=False),
    Column("anchor", Date, nullable=False),
    Column("due", Date, nullable=True),
    Column("completed", BigInteger, nullable=True),
    Index("ix_progress_paths_metrics", "tenant_id", "path", "phase", "anchor", "due",
          "completed", "learner_id"),
)

# Per skill the learner's role needs: its level over time, one row per piece of constant
# level from `since` (ms) to `until` (ms, excluded; NULL: on), within their employment.
progress_skill_levels = Table(
    "progress_skill_levels",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("skill", String(200), primary_key=True),
    Column("since", BigInteger, primary_key=True),
    Column("until", BigInteger, nullable=True),
    Column("role", String(100), nullable=False),
    Column("target", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("state", String(10), nullable=False),  # none, held, expired
    Column("drops", Boolean, nullable=False),  # the level falls at `until`
    Index("ix_progress_skill_levels_metrics", "tenant_id", "skill", "role", "level", "state",
          "since", "until", "drops", "learner_id"),
)

# Completions of short modules (type microlearning) per learner, day (days since 1970) and
# module.
progress_short_days = Table(
    "progress_short_days",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("day", Integer, primary_key=True),
    Column("module", String(200), primary_key=True),
    Column("completions", Integer, nullable=False),
    Index("ix_progress_short_days_metrics", "tenant_id", "day", "module", "learner_id",
          "completions"),
)

# Statements on survey modules: when (ms) and their scaled score.
progress_responses = Table(
    "progress_responses",
    metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("statement_id", String(36), primary_key=True),
    Column("module", String(200), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("score", Float, nullable=True),
    Index("ix_progress_responses_metrics", "tenant_id", "module", "at", "learner_id",
          "score"),
)

# Alerts: at most one open per (learner, kind, subject); resolved ones are kept as history.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, nullable=False),
    Column("learner_id", BigInteger, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("status", String(10), nullable=False),  # open, resolved
    Column("path", String(200), nullable=True),
    Column("phase", String(200), nullable=True),
    Column("since", BigInteger, nullable=False),  # ms: when the condition began to hold
    Column("opened", BigInteger, nullable=False),  # ms
    Column("detail", Text, nullable=False),  # JSON
    Column("resolved", BigInteger, nullable=True),  # ms
    Column("resolved_by", String(36), nullable=True),  # the statement that cleared it
    Column("resolved_reason", String(40), nullable=True),
    Index("uq_alerts_open", "tenant_id", "learner_id", "kind", "subject", unique=True,
          sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    Index(None, "tenant_id", "status", "opened"),
    # A few learners' alerts of one status (the worker reads its batch's open ones): without
    # it SQLite reads them through (tenant, status, opened), every open alert of the tenant.
    Index(None, "tenant_id", "learner_id", "status"),
    # Alerts of any status newest first (/api/v1/alerts?status=all) and alerts.atom's entries.
    Index(None, "tenant_id", "opened", "id"),
    Index(None, "tenant_id", "resolved", "id"),
)

# The transactional outbox: every progress change and alert opened or resolved, written with
# the state it describes. `event_id` is stable (the same change always has the same id), so a
# rebuild that finds a change again adds nothing.
#
# It is also the progress feed (GET /api/v1/progress), read in (txn, id) order: `txn` is the
# writing transaction's id on PostgreSQL, where ids are handed out before transactions commit
# and so are not commit order; readers take only the rows of transactions older than every
# one still open (store.progress_feed). On SQLite, where one writer at a time commits, `txn`
# is 0 and ids are commit order; AUTOINCREMENT keeps `outbox purge` from letting a later
# event reuse the id of a purged one that a feed reader has already passed.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("type", String(40), nullable=False),
    Column("learner_id", BigInteger, nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("created", BigInteger, nullable=False),
    Column("txn", BigInteger, nullable=False),
    # What the event is about, from its payload, for the feed's filters.
    Column("path", String(200), nullable=True),
    Column("module", String(200), nullable=True),
    Column("skill", String(200), nullable=True),
    UniqueConstraint("tenant_id", "event_id"),
    Index(None, "tenant_id", "txn", "id"),
    Index(None, "tenant_id", "learner_id", "txn", "id"),
    Index(None, "tenant_id", "created", "txn", "id"),
    Index(None, "tenant_id", "path", "txn", "id"),
    sqlite_autoincrement=True,
)

# The LMS connectors of each tenant (`lrs-bridge connector add`). The token is either read
# from the environment variable `token_env` when used, or stored in `token_encrypted`
# (Fernet, with the key in LRS_BRIDGE_SECRET_KEY); never in plain text.
connectors = Table(
    "connectors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id"), nullable=False),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(50), nullable=False),
    Column("url", Text, nullable=False),
    Column("token_env", String(200), nullable=True),
    Column("token_encrypted", Text, nullable=True),
    Column("options", Text, nullable=False),  # JSON object
    Column("created", BigInteger, nullable=False),
)

# One row per (outbox event, connector): made with the event, for every connector its tenant
# had then, and worked through by the delivery worker (pending -> done, or dead after too
# many failures or a permanent one, with the LMS's own words).
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("tenant_id", Integer, nullable=False),
    Column("connector_id", Integer, nullable=False),
    Column("outbox_id", BigInteger, nullable=False),
    Column("learner_id", BigInteger, nullable=False),
    Column("status", String(10), nullable=False),  # pending, done, dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt", BigInteger, nullable=False),  # ms
    Column("last_error", Text, nullable=True),
    Column("updated", BigInteger, nullable=False),  # ms
    UniqueConstraint("connector_id", "outbox_id"),
    Index(None, "status", "next_attempt"),
    Index(None, "connector_id", "learner_id", "outbox_id"),
)

# The LMS user a connector found for a learner, so that it is looked up once; forgotten when
# the LMS says the user is gone.
lms_users = Table(
    "lms_users",
    metadata,
    Column("connector_id", Integer, primary_key=True),
    Column("learner_id", BigInteger, primary_key=True),
    Column("user", Text, nullable=False),  # JSON of the connector's LmsUser
    Column("resolved", BigInteger, nullable=False),
)

# The people who sign in to the dashboard (`lrs-bridge users add`): apart from the xAPI
# credentials, which never sign in there. `email` is kept in lower case; `role` is admin, ld
# or manager (a manager sees the learners whose roster manager_email is theirs).
dashboard_users = Table(
    "dashboard_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id"), nullable=False),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created", BigInteger, nullable=False),  # ms
    Column("password_changed", BigInteger, nullable=False),  # ms
)
