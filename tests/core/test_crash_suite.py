"""Crash suite: a child process edits a report file and is killed with SIGKILL at random
moments, 100 times in one seeded run.  After each kill the file passes integrity_check,
opens without error, and holds every edit that was reported as committed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from nanzhou_desktop.store.reportfile import open_report_file
from tests.conftest import ROOT

KILLS = int(os.environ.get("NANZHOU_CRASH_KILLS", "100"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_never_loses_a_committed_edit(example_path):
    rng = random.Random(97041)
    committed: dict[str, list[int]] = {"task": [], "body": [], "money": [], "indicator": []}
    lost = 0
    kills_mid_edit = 0
    for k in range(KILLS):
        start = k * 1_000_000
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_child", str(example_path), str(start), str(k)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if k % 10 == 9:
            time.sleep(rng.uniform(0.0, 0.3))  # sometimes while it is still opening the file
        else:
            assert child.stdout.readline().strip() == "READY", child.stderr.read()
            time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        lines = [ln.split() for ln in out.splitlines() if ln.startswith("OK ")]
        for _, n, op in lines:
            committed[op].append(int(n))
        kills_mid_edit += bool(lines)

        conn = sqlite3.connect(example_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"kill {k}"
        conn.close()
        with open_report_file(example_path) as rf:
            r = rf.report
            titles = {t.title for t in r.tasks}
            body = r.section("1.1").body
            reasons = {i.reason for i in r.indicators}
            lost += sum(f"崩溃测试任务{n}" not in titles for n in committed["task"])
            lost += sum(f"〔{n}〕" not in body for n in committed["body"])
            if committed["money"]:
                # the last committed value, or a later one whose commit landed just before the kill
                lost += r.budget_total_row.executed < Decimal(max(committed["money"]))
            # later edits overwrite the same reason field, so each committed one is found in the audit
            audit_new = {row["new_value"] for row in rf.audit_log(limit=1_000_000)}
            lost += sum(f"说明{n}" not in audit_new for n in committed["indicator"])
            assert reasons  # the indicator table is intact
    total = sum(len(v) for v in committed.values())
    print(f"\ncrash suite: {KILLS} kills, {total} committed edits checked, {lost} lost, {kills_mid_edit} kills mid-editing")
    assert lost == 0
    assert total > KILLS  # the kills really landed while edits were being made
