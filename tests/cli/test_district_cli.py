"""End to end: export → district load → district summary, in a real process."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "nanzhou_desktop", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def received(tmp_path: Path) -> Path:
    from nanzhou_desktop.district.testdata import write_street_files

    write_street_files(tmp_path / "收件箱", seed=11)
    return tmp_path / "收件箱"


def test_export_refuses_a_draft_then_exports_a_final_report(tmp_path: Path) -> None:
    assert run("demo", "w.sqlite", cwd=tmp_path).returncode == 0
    (tmp_path / "out").mkdir()
    r = run("export", "w.sqlite", "-o", "out", cwd=tmp_path)
    assert r.returncode != 0 and "尚未定稿" in r.stderr and "Traceback" not in r.stderr
    assert list((tmp_path / "out").iterdir()) == []

    from nanzhou_desktop.model import Status
    from nanzhou_desktop.store.reportfile import open_report_file

    with open_report_file(tmp_path / "w.sqlite") as rf:
        rf.set_status(Status.FINAL, action="finalise")
    r = run("export", "w.sqlite", "-o", "out", "--no-pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    name = "2022_南洲街道_部门整体支出绩效自评_r1.sqlite"
    assert name in r.stdout
    digest = hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest()
    assert digest in r.stdout
    with open_report_file(tmp_path / "w.sqlite", read_only=True) as rf:
        assert rf.report.status == Status.EXPORTED
        assert rf.exports()[0]["sha256"] == digest


def test_district_load_and_summary(tmp_path: Path, received: Path) -> None:
    bad = received / "坏文件.sqlite"
    bad.write_bytes(b"not a database at all" * 10)
    r = run("district", "load", "汇总.sqlite", str(received), cwd=tmp_path)
    assert r.returncode == 4, r.stderr
    lines = r.stdout.splitlines()
    assert sum(line.startswith("【已装入】") for line in lines) == 18
    assert sum(line.startswith("【拒收】") for line in lines) == 1
    assert "坏文件.sqlite" in r.stdout and "拒收 1 个" in lines[-1]

    again = run("district", "load", "汇总.sqlite", *[str(p) for p in sorted(received.glob("2022_*.sqlite"))],
                cwd=tmp_path)
    assert again.returncode == 0
    assert all(line.startswith("【已存在】") for line in again.stdout.splitlines()[:-1])

    s = run("district", "summary", "汇总.sqlite", "--xlsx", "汇总.xlsx", "--csv", "汇总.csv", cwd=tmp_path)
    assert s.returncode == 0, s.stderr
    assert s.stdout.splitlines()[0].startswith("单位\t年度\t修订号")
    assert (tmp_path / "汇总.xlsx").stat().st_size > 0
    with open(tmp_path / "汇总.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 19 and any("琶洲" in row[0] for row in rows)


def test_district_errors_are_one_chinese_sentence(tmp_path: Path) -> None:
    r = run("district", "summary", "nope.sqlite", cwd=tmp_path)
    assert r.returncode != 0 and "找不到汇总库" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "x.txt").write_text("hello")
    r = run("district", "summary", "x.txt", cwd=tmp_path)
    assert r.returncode != 0 and "不是区级汇总库" in r.stderr
    r = run("district", "a", "b", cwd=tmp_path)
    assert r.returncode == 2 and "用法" in r.stderr
    r = run("export", "missing.sqlite", "-o", ".", cwd=tmp_path)
    assert r.returncode != 0 and "missing.sqlite" in r.stderr and "Traceback" not in r.stderr


def test_second_report_of_a_unit_refused_with_a_way_out_that_works(tmp_path: Path) -> None:
    """The refusal names the report already loaded; district remove takes it out, the new one loads."""
    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.store.reportfile import create_report_file

    first = create_report_file(tmp_path / "a.sqlite", example_report(fresh_uuid=True))
    second = create_report_file(tmp_path / "b.sqlite", example_report(fresh_uuid=True))
    r = run("district", "load", "汇总.sqlite", str(first), cwd=tmp_path)
    assert r.returncode == 0 and "（草稿，尚未定稿）" in r.stdout  # a draft is said to be one
    r = run("district", "load", "汇总.sqlite", str(second), cwd=tmp_path)
    assert r.returncode == 4 and "同一单位同一年度" in r.stdout
    first_id = r.stdout.split("district remove 汇总库 ")[1][:8]
    bad = run("district", "remove", "汇总.sqlite", "zzzzzzzz", cwd=tmp_path)
    assert bad.returncode != 0 and "没有“zzzzzzzz”的报告" in bad.stderr
    gone = run("district", "remove", "汇总.sqlite", first_id, cwd=tmp_path)
    assert gone.returncode == 0 and "已从汇总库移除" in gone.stdout, gone.stderr
    assert run("district", "load", "汇总.sqlite", str(second), cwd=tmp_path).returncode == 0
    # By the unit's short name too, as the summary lists it.
    by_name = run("district", "remove", "汇总.sqlite", "南洲街道", "--year", "2022", cwd=tmp_path)
    assert by_name.returncode == 0 and "南洲街道办事处 2022 年度" in by_name.stdout, by_name.stderr
    s = run("district", "summary", "汇总.sqlite", "--xlsx", "没有的文件夹/汇总.xlsx", cwd=tmp_path)
    assert s.returncode != 0 and "文件夹“没有的文件夹”不存在" in s.stderr and s.stdout == ""  # said first
    (tmp_path / "一个文件").write_text("x")
    s = run("district", "summary", "汇总.sqlite", "--csv", "一个文件/汇总.csv", cwd=tmp_path)
    assert s.returncode != 0 and "Not a directory" not in s.stderr and "不是文件夹" in s.stderr, s.stderr


def test_district_db_opens_the_window(tmp_path: Path, received: Path) -> None:
    assert run("district", "load", "汇总.sqlite", str(received), cwd=tmp_path).returncode == 0
    env_shots = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), NANZHOU_SCREENSHOT_DIR=str(env_shots),
               NANZHOU_HOME=str(tmp_path / "home"))
    r = subprocess.run([sys.executable, "-m", "nanzhou_desktop", "district", "汇总.sqlite"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (env_shots / "district.png").stat().st_size > 10_000
