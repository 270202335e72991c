"""Child process for the crash suite: edits a report file through the real editing path
(ReportFile operations, as the window calls them) and reports each edit once committed.

Usage: python -m tests.crash_child FILE START SEED
Prints "READY" after opening, then "OK <n> <op> <value>" after each committed edit.
"""

from __future__ import annotations

import random
import sys

from nanzhou_desktop.store.reportfile import open_report_file


def main() -> None:
    path, start, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    rf = open_report_file(path)
    print("READY", flush=True)
    sec = rf.report.section("1.1")
    total = rf.report.budget_total_row
    n = start
    while True:
        n += 1
        op = rng.choice(["task", "body", "money", "indicator"])
        if op == "task":
            rf.add_task(f"崩溃测试任务{n}")
        elif op == "body":
            rf.set_field("sections", sec.id, "body", sec.body + f"〔{n}〕")
        elif op == "money":
            rf.set_field("budget_rows", total.id, "executed", str(n))
        else:
            ind = rf.report.indicators[n % len(rf.report.indicators)]
            rf.set_field("indicators", ind.id, "reason", f"说明{n}")
        print(f"OK {n} {op}", flush=True)


if __name__ == "__main__":
    main()
