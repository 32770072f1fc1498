"""SQLAlchemy Core tables: the one schema every process shares (SQLite and PostgreSQL)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
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
)

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
