"""Seeded corruption of valid report files, shared by the fuzz tests and the benchmark.

Each case is a mutation of a real report file: flipped bytes, a zeroed or shuffled page,
header fields (page size, page count, application_id, user_version, schema cookie, text
encoding), a truncated tail, and edits to rows through SQL (schema rows rewritten, text
where numbers belong, unknown status) — what a damaged attachment or a crafted file holds.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

HEADER_FIELDS = [(16, 2), (18, 1), (19, 1), (20, 1), (24, 4), (28, 4), (40, 4), (44, 4), (56, 4), (60, 4), (68, 4)]


def _flip_bytes(data: bytearray, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(data))
        data[i] = rng.randrange(256)
    return "bytes"


def _page(data: bytearray, rng: random.Random) -> str:
    size = int.from_bytes(data[16:18], "big") or 4096
    pages = max(1, len(data) // size)
    p = rng.randrange(pages)
    kind = rng.choice(["zero", "random", "copy"])
    if kind == "zero":
        data[p * size:(p + 1) * size] = bytes(size)
    elif kind == "random":
        data[p * size:(p + 1) * size] = bytes(rng.randrange(256) for _ in range(size))
    else:
        q = rng.randrange(pages)
        data[p * size:(p + 1) * size] = data[q * size:(q + 1) * size]
    return f"page-{kind}"


def _header(data: bytearray, rng: random.Random) -> str:
    off, n = rng.choice(HEADER_FIELDS)
    data[off:off + n] = bytes(rng.randrange(256) for _ in range(n))
    return f"header@{off}"


def _truncate(data: bytearray, rng: random.Random) -> str:
    del data[rng.randrange(len(data)):]
    return "truncate"


BYTE_MUTATIONS: list[Callable[[bytearray, random.Random], str]] = [_flip_bytes, _page, _header, _truncate]

SQL_MUTATIONS = [
    "UPDATE report SET status = '乱码'",
    "UPDATE report SET fiscal_year = 'abc'",
    "UPDATE budget_rows SET executed = 'x1'",
    "UPDATE budget_rows SET budget_total = '1e400'",
    "UPDATE indicators SET direction = '>>'",
    "UPDATE indicators SET points = 'NaN'",
    "UPDATE sections SET kind = 'evil'",
    "UPDATE sections SET level = 99",
    "DELETE FROM report",
    "UPDATE report SET id = 2",
    "CREATE TABLE extra (x)",
    "CREATE VIEW v AS SELECT 1",
    "CREATE TRIGGER t AFTER UPDATE ON report BEGIN SELECT 1; END",
    "ALTER TABLE projects ADD COLUMN y TEXT",
    "DROP TABLE explanations",
    "UPDATE report SET uuid = NULL",
    "UPDATE tasks SET title = CAST(x'ff' AS TEXT)",
    "UPDATE task_items SET task_id = 9999",
    "PRAGMA user_version = 0",
    "PRAGMA application_id = 1",
]


def sql_mutation(src: Path, dst: Path, statement: str) -> None:
    dst.write_bytes(src.read_bytes())
    conn = sqlite3.connect(dst)
    try:
        # Writing around the STRICT and CHECK constraints the way a crafted file would.
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("PRAGMA writable_schema = ON")
        try:
            conn.execute(statement)
        except sqlite3.DatabaseError:
            # STRICT refuses some type changes; rewrite the row's type through the schema instead
            conn.execute("UPDATE sqlite_schema SET sql = replace(sql, 'STRICT', '') WHERE type = 'table'")
            conn.commit()
            conn.close()
            conn = sqlite3.connect(dst)
            conn.execute("PRAGMA ignore_check_constraints = ON")
            try:
                conn.execute(statement)
            except sqlite3.DatabaseError:
                pass
        conn.commit()
    finally:
        conn.close()


def cases(src: Path, out: Path, n: int, seed: int) -> list[tuple[Path, str]]:
    """``n`` corrupted copies of ``src`` in ``out`` (deterministic for a seed)."""
    rng = random.Random(seed)
    base = src.read_bytes()
    result = []
    for i in range(n):
        dst = out / f"case{i:05d}.sqlite"
        if i % 5 == 4:
            stmt = SQL_MUTATIONS[(i // 5) % len(SQL_MUTATIONS)]
            sql_mutation(src, dst, stmt)
            result.append((dst, f"sql:{stmt}"))
            continue
        data = bytearray(base)
        how = rng.choice(BYTE_MUTATIONS)(data, rng)
        dst.write_bytes(bytes(data))
        result.append((dst, how))
    return result


# -- hostile text (issue 16 F2): paragraphs that made the figure parser quadratic, or that hold
# as many figures, budget sentences and dates as fit.  Each maker gives about ``n`` characters.
HOSTILE_PARAGRAPHS: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "9" * n,
    "digits_then_percent": lambda n: "9" * n + "%",
    "digits_commas": lambda n: "1," * (n // 2),
    "digits_points": lambda n: "1." * (n // 2),
    "digits_spaces": lambda n: "1 " * (n // 2),
    "thousands_groups": lambda n: "1,111" * (n // 5),
    "fullwidth_commas": lambda n: "１，" * (n // 2),
    "budget_then_digits": lambda n: "全年预算数" + "1" * n,
    "budget_sentence_then_digits": lambda n: "全年预算数1万元，执行数" + "1" * n,
    "cutoff_then_digits": lambda n: "截至" + "1" * n,
    "percents": lambda n: "1%" * (n // 2),
    "units": lambda n: "1件" * (n // 2),
    "rate_pairs": lambda n: "受理6799件，办结6780件，办结率99.7%。" * (n // 24),
    "budget_words": lambda n: "预算" * (n // 2),
}


def craft(src: Path, dst: Path, *statements: str) -> Path:
    """A copy of ``src`` changed with plain SQL, as anyone with sqlite3 can: what a crafted or
    hand-edited report file holds (the schema stays the app's, so it passes the schema check)."""
    dst.write_bytes(src.read_bytes())
    conn = sqlite3.connect(dst)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return dst


# -- hostile values (issue 16 F1/F3/F5/F6): (what, SQL) pairs a crafted file may hold; each must be
# refused in Chinese by every reader, or read and survive every computation and output.
HOSTILE_VALUES: list[tuple[str, str]] = [
    ("tiny budget, huge execution", "UPDATE budget_rows SET budget_total = '0.0000000001', "
     "executed = '9999999999999999.99' WHERE kind = 'total'"),
    ("extreme decimals", "UPDATE projects SET budget_total = '0.000000000000000000001'"),
    ("a million digits", "UPDATE budget_rows SET executed = replace(hex(zeroblob(500000)), '00', '99')"),
    ("negative amount", "UPDATE budget_rows SET executed = '-5'"),
    ("points with many decimals", "UPDATE indicators SET points = '0.000000001'"),
    ("share above one", "UPDATE indicators SET qual_share = '7'"),
    ("indicator target tiny", "UPDATE indicators SET target = '0.0000000001' WHERE direction = '≥'"),
    ("indicator actual huge", "UPDATE indicators SET actual = '99999999999999999999' WHERE direction = '≥'"),
    ("noncharacter in a name", "UPDATE report SET unit_short_name = '南洲' || char(65535)"),
    ("noncharacter in a paragraph", "UPDATE sections SET body = body || char(64976) WHERE key = '1'"),
    ("NUL in a name", "UPDATE report SET head = '张' || char(0) || '三'"),
    ("C0 in a paragraph", "UPDATE sections SET body = body || char(27) WHERE key = '1'"),
    ("bidi override in a name", "UPDATE report SET unit_short_name = char(8238) || '道街洲南'"),
    ("revision 0", "UPDATE report SET revision = 0"),
    ("revision 2^63-1", "UPDATE report SET revision = 9223372036854775807"),
    ("year 99999999999", "UPDATE report SET fiscal_year = 99999999999"),
    ("50 MB paragraph", "UPDATE sections SET body = hex(zeroblob(25000000)) WHERE key = '1'"),
    ("100,000 budget rows", "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n "
     "WHERE value < 100000) INSERT INTO budget_rows (position, kind, label) "
     "SELECT 100 + value, 'other', '其他' || value FROM n"),
    ("a long short name", "UPDATE report SET unit_short_name = replace(hex(zeroblob(1000)), '00', '南洲')"),
]
# Values that are odd but allowed: they must be read and survive check, show and print.
ODD_BUT_ALLOWED: list[tuple[str, str]] = [
    ("largest amounts, smallest budget", "UPDATE budget_rows SET budget_total = '0.01', "
     "executed = '999999999999999.99' WHERE kind = 'total'"),
    ("formula prefixes", "UPDATE projects SET name = '=HYPERLINK(\"http://x.example/\",\"y\")', "
     "reason = '+1+2'"),
    ("formula in an indicator", "UPDATE indicators SET level3 = '@SUM(1)', note = '-2+3' WHERE id = 1"),
    ("many indicators under one group", "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n "
     "WHERE value < 30) INSERT INTO indicators (position, level1, level2, level3, direction, "
     "target, unit, actual, points, reason, not_applicable, qual_share, note, prior_actual) "
     "SELECT 100 + value, '产出指标', '数量指标', '新增指标' || value, '≥', '100', '%', '99', NULL, '', 0, NULL, '', '' "
     "FROM n"),
    ("long digit runs", "UPDATE sections SET body = replace(hex(zeroblob(300000)), '00', '99') WHERE key = '1'"),
]
