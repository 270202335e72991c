"""A report file's bytes built in memory, written by the office program's own writer.

Used to turn a report held elsewhere (a merged district database's stored content, the test
data generator's reports) into a report file image, so that it goes through exactly the
checks a received file goes through (:func:`~nanzhou_desktop.district.safe_open.load_image`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import cache

from nanzhou_desktop.model import Report, Status

AuditEntry = tuple[str, str, str, str, str | None, str | None, str]  # at, who, action, target, old, new, reason


@cache
def empty_image() -> bytes:
    """An empty report file of the current schema (the migrations applied once, in memory)."""
    from nanzhou_desktop.store.schema import apply_migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        apply_migrations(conn)
        conn.execute("UPDATE _sqlite_migrations SET applied_at = '2000-01-01T00:00:00'")  # the same bytes every time
        return conn.serialize()
    finally:
        conn.close()


def finalise_entry(report: Report, at: str = "", who: str = "") -> AuditEntry:
    """The 定稿 entry the office program records for ``report``'s revision and fingerprint."""
    from nanzhou_desktop.store.reportfile import finalise_audit_reason

    return (at, who, "finalise", "report.status", str(Status.DRAFT), str(Status.FINAL),
            finalise_audit_reason(report.revision, report.final_fingerprint))


def report_image(report: Report, *, created: str = "", who: str = "", audit: Sequence[AuditEntry] = ()) -> bytes:
    """The bytes of a report file holding ``report``: its 创建 entry (at ``created`` by ``who``,
    when given) and then ``audit``."""
    from nanzhou_desktop.store.reportfile import _write_report  # the office program's writer

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(empty_image())
        conn.execute("BEGIN")
        _write_report(conn, report)
        conn.execute("UPDATE report SET created_at = ?, app_version = ''", (created,))
        conn.execute("UPDATE audit SET at = ?, who = ?", (created, who))
        conn.executemany("INSERT INTO audit (at, who, action, target, old_value, new_value, reason)"
                         " VALUES (?,?,?,?,?,?,?)", audit)
        conn.execute("COMMIT")
        return conn.serialize()
    finally:
        conn.close()
