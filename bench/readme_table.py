"""Write the README's benchmark table from bench/results.json (after `make bench`).

The table sits between the ``<!-- bench:start -->`` and ``<!-- bench:end -->`` lines of
README.md; everything else in the README is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def table(results: dict) -> str:
    meta = results["meta"]
    when = dt.datetime.fromisoformat(meta["date"]).astimezone(dt.UTC)
    lines = [
        f"Measured {when:%Y-%m-%d %H:%M} UTC on {meta['machine'].split(' ', 1)[-1]} (a shared VM: every figure is",
        "compared with a baseline measured in the same run). `make bench` prints this table and writes "
        "`bench/results.json`;",
        "`python bench/readme_table.py` copies it here.",
        "",
        "| what | figure | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results["rows"]:
        base = f"{r['baseline_what']}: {_num(r['baseline'])}" if r["baseline"] is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[r["ok"]]
        what = r["what"].strip()
        if r["note"]:
            what += f" ({r['note']})"
        lines.append(f"| {what} | {_num(r['figure'])} {r['unit']} | {base} | {_num(r['ratio'])} | "
                     f"{r['target'] or '—'} | {met} |")
    return "\n".join(lines)


def main() -> int:
    results = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} … {END} block", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table(results)}\n{END}{tail}", encoding="utf-8")
    print("README.md: benchmark table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
