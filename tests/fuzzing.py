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
