"""`make bench`: run every bench/bench_*.py, print one table, write bench/results.json."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import Row  # noqa: E402


def fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def main() -> int:
    only = sys.argv[1:]
    rows: list[Row] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(o in path.stem for o in only):
            continue
        print(f"== {path.stem}", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(path.stem)
            rows.extend(module.run())
        except Exception as exc:  # noqa: BLE001 - one failing bench must not hide the others
            traceback.print_exc()
            rows.append(Row(f"{path.stem} FAILED: {exc}", float("nan"), "", ok=False))
    header = ("what", "figure", "unit", "baseline (same run)", "baseline", "ratio", "target", "ok", "note")
    table = [header] + [
        (r.what, fmt(r.figure), r.unit, r.baseline_what or "—", fmt(r.baseline), fmt(r.ratio), r.target,
         {True: "yes", False: "NO", None: "—"}[r.ok], r.note)
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n".join(lines))
    meta = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    (HERE / "results.json").write_text(json.dumps({"meta": meta, "rows": [r.as_dict() for r in rows]},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n{meta['date']} · {meta['machine']} · written to bench/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
