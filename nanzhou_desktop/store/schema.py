"""Schema of the report file and its forward migrations.

``PRAGMA application_id`` marks a report file; ``PRAGMA user_version`` is the schema
version and always equals the number of migrations applied.  sqlite-utils' ``Migrations``
records its own history in ``_sqlite_migrations``; both are kept in step here.
The schema is documented for the district in ``docs/file-format.md``.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite-utils is imported only when a file is created or migrated
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# "NZPR" (NanZhou Performance Report) as a big-endian 32-bit integer; never change it.
APPLICATION_ID = 0x4E5A5052
SCHEMA_VERSION = 3

_V1 = """
CREATE TABLE report (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    uuid TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    template_id TEXT NOT NULL DEFAULT '',
    unit_full_name TEXT NOT NULL DEFAULT '',
    unit_short_name TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    head TEXT NOT NULL DEFAULT '',
    finance_head TEXT NOT NULL DEFAULT '',
    preparer TEXT NOT NULL DEFAULT '',
    phone_office TEXT NOT NULL DEFAULT '',
    phone_mobile TEXT NOT NULL DEFAULT '',
    fill_date TEXT NOT NULL DEFAULT '',
    issue_date TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '草稿' CHECK (status IN ('草稿', '已定稿', '已导出')),
    revision INTEGER NOT NULL DEFAULT 1,
    final_fingerprint TEXT NOT NULL DEFAULT '',
    app_version TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    level INTEGER NOT NULL,
    number TEXT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'tasks', 'projects', 'budget')),
    required INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE task_items (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE budget_rows (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('total', 'basic', 'project', 'other')),
    label TEXT NOT NULL,
    budget_initial TEXT,
    budget_total TEXT,
    executed TEXT,
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    budget_total TEXT,
    executed TEXT,
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    level1 TEXT NOT NULL DEFAULT '',
    level2 TEXT NOT NULL DEFAULT '',
    level3 TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL DEFAULT '≥' CHECK (direction IN ('≥', '≤', '=', '定性')),
    target TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    actual TEXT NOT NULL DEFAULT '',
    points TEXT,
    reason TEXT NOT NULL DEFAULT '',
    not_applicable INTEGER NOT NULL DEFAULT 0,
    qual_share TEXT,
    note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE explanations (
    finding_key TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
"""

_V2 = """
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    revision INTEGER NOT NULL
) STRICT;
ALTER TABLE budget_rows ADD COLUMN prior_budget_total TEXT;
ALTER TABLE budget_rows ADD COLUMN prior_executed TEXT;
ALTER TABLE projects ADD COLUMN prior_budget_total TEXT;
ALTER TABLE projects ADD COLUMN prior_executed TEXT;
ALTER TABLE indicators ADD COLUMN prior_actual TEXT NOT NULL DEFAULT '';
"""


_V3 = """
ALTER TABLE report ADD COLUMN template_version TEXT NOT NULL DEFAULT '';
ALTER TABLE report ADD COLUMN template_data TEXT NOT NULL DEFAULT '';
ALTER TABLE report ADD COLUMN preface TEXT NOT NULL DEFAULT '';
CREATE TABLE cover_fields (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'date', 'year', 'code')),
    required INTEGER NOT NULL DEFAULT 0,
    value TEXT NOT NULL DEFAULT ''
) STRICT;
ALTER TABLE indicators ADD COLUMN target_initial TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN score TEXT;
"""


def _run_script(db: Database, script: str) -> None:  # noqa: F821
    # executescript() would COMMIT the migration's transaction; run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def m001_initial(db: Database) -> None:
    """Version 1: the report, its outline, tables, explanations and audit."""
    _run_script(db, _V1)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")


def m002_exports_and_prior_year(db: Database) -> None:
    """Version 2: the record of 导出上报 and the 上年 (prior-year) columns."""
    _run_script(db, _V2)
    db.execute("PRAGMA user_version = 2")


def m003_templates(db: Database) -> None:
    """Version 3: the report keeps its template — version and data (numbering, 自评表 columns,
    评分办法), 前言, the cover fields — and an indicator's 年初目标值 and typed 得分.  A file
    made before templates were data gets the data of the template it was made with (the 广州
    street outline of version 2, :data:`~nanzhou_desktop.template_data.V2_TEMPLATE_DATA`)."""
    from nanzhou_desktop.template_data import embedded_json, v2_template

    _run_script(db, _V3)
    t = v2_template()
    db.execute("UPDATE report SET template_version = ?, template_data = ?", (t.version, embedded_json(t)))
    db.execute("PRAGMA user_version = 3")


# One entry per schema version, in order; user_version == number applied.
MIGRATION_STEPS = [("m001_initial", m001_initial), ("m002_exports_and_prior_year", m002_exports_and_prior_year),
                   ("m003_templates", m003_templates)]
MIGRATION_NAMES = [name for name, _ in MIGRATION_STEPS]


@cache
def migration_set() -> Migrations:
    """The sqlite-utils migration set (imported lazily: opening a current file needs none)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("nanzhou_report")
    for name, fn in MIGRATION_STEPS:
        migrations(name=name)(fn)
    return migrations


def apply_migrations(db: Database | sqlite3.Connection, *, up_to: int = SCHEMA_VERSION) -> None:
    """Bring ``db`` to schema version ``up_to`` (used by tests to make old files)."""
    from sqlite_utils import Database

    if isinstance(db, sqlite3.Connection):
        db = Database(db)
    stop = MIGRATION_NAMES[up_to] if up_to < len(MIGRATION_NAMES) else None
    migration_set().apply(db, stop_before=stop)


def compute_expected_schema(version: int) -> frozenset[tuple[str, str, str]]:
    """Run the migrations up to ``version`` in memory and read what ``sqlite_schema`` holds."""
    conn = sqlite3.connect(":memory:")
    try:
        apply_migrations(conn, up_to=version)
        return read_schema(conn)
    finally:
        conn.close()


def _schema_resource(version: int) -> Any:
    from nanzhou_desktop.resources import resource_path

    return resource_path("schema", f"report_v{version}.json")


@cache
def expected_schema(version: int) -> frozenset[tuple[str, str, str]]:
    """The (type, name, normalised sql) rows ``sqlite_schema`` holds at ``version``.

    A file whose schema differs in any table, column, index, trigger or view is refused.
    Read from ``resources/schema/report_v{N}.json`` (written by ``python -m
    nanzhou_desktop.store.schema``; a test keeps it equal to :func:`compute_expected_schema`),
    so that opening a file does not have to import sqlite-utils and run the migrations.
    """
    path = _schema_resource(version)
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return frozenset((t, n, s) for t, n, s in rows)
    except (OSError, ValueError):
        return compute_expected_schema(version)


def write_schema_resources() -> None:
    for version in range(1, SCHEMA_VERSION + 1):
        path = _schema_resource(version)
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = sorted(compute_expected_schema(version))
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_schema(conn: sqlite3.Connection) -> frozenset[tuple[str, str, str]]:
    rows = conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_schema").fetchall()
    return frozenset((t, n, " ".join(s.split())) for t, n, s in rows)


if __name__ == "__main__":  # regenerate resources/schema/*.json after adding a migration
    write_schema_resources()
