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
    assert s.stdout.splitlines()[0].startswith("单位\t所属区\t单位类型\t年度\t修订号")
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


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    """A database of 40 units (two districts) for 2022 and 2023, loaded in this process."""
    from nanzhou_desktop.district.db import open_district_db
    from nanzhou_desktop.district.testdata import write_units

    db = open_district_db(tmp_path / "汇总.sqlite")
    for year in (2022, 2023):
        db.load_files(write_units(tmp_path / str(year), 40, year, seed=31, step=6))
    db.close()
    return tmp_path / "汇总.sqlite"


def test_summary_picks_a_year_compares_two_and_groups(tmp_path: Path, two_years: Path) -> None:
    from openpyxl import load_workbook

    s = run("district", "summary", str(two_years), "--year", "2023", "--xlsx", "y.xlsx", cwd=tmp_path)
    assert s.returncode == 0, s.stderr
    lines = s.stdout.splitlines()
    body = lines[1:lines.index("")]
    assert len(body) == 40 and all("\t2023\t" in line for line in body)
    assert "按区汇总：" in s.stdout and "按单位类型汇总：" in s.stdout
    groups = s.stdout.split("按区汇总：")[1]
    assert "广州市海珠区\t" in groups and "广州市越秀区\t" in groups
    wb = load_workbook(tmp_path / "y.xlsx")
    # Two districts: the districts side by side first (the whole as the last line), then a sheet each.
    assert wb.sheetnames[:2] == ["按区汇总", "按单位类型汇总"]
    assert set(wb.sheetnames[2:]) == {"广州市海珠区", "广州市越秀区"}
    overview = wb["按区汇总"]
    assert [overview.cell(r, 1).value for r in range(2, 5)] == ["广州市海珠区", "广州市越秀区", "全部"]
    assert overview.cell(4, 2).value == "40"
    counted = 0
    for name in ("广州市海珠区", "广州市越秀区"):
        ws = wb[name]
        header = [c.value for c in ws[1]]
        n = ws.max_row - 3  # header, 合计, 平均
        counted += n
        assert ws.cell(n + 2, 1).value == "合计" and ws.cell(n + 3, 1).value == "平均"
        budget = header.index("全年预算数（万元）") + 1
        assert ws.cell(n + 2, budget).value == f"=SUM(I2:I{n + 1})"
        assert ws.cell(n + 3, budget).value.startswith("=IFERROR(AVERAGE(")
        assert header[header.index("警告") + 1] == "警告（说明）"
    assert counted == 40
    rows = [[c.value for c in line] for name in wb.sheetnames[2:] for line in wb[name].iter_rows(min_row=2)]
    header = [c.value for c in wb["广州市海珠区"][1]]
    texts = [line[header.index("警告（说明）")] for line in rows]
    assert any(t and t.endswith("（均已说明）") for t in texts)
    grades = [line[header.index("等级")] for line in rows]
    assert any(g and g.endswith("（草稿）") for g in grades)

    c = run("district", "summary", str(two_years), "--compare", "2022", "2023", "--csv", "c.csv", "--xlsx", "c.xlsx",
            cwd=tmp_path)
    assert c.returncode == 0, c.stderr
    assert c.stdout.splitlines()[0].startswith("单位\t所属区\t单位类型\t2022 执行率\t2023 执行率\t执行率变化（百分点）")
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 41 and all(row[3].endswith("%") and row[4].endswith("%") for row in rows[1:])
    assert "2022与2023年度对比" in load_workbook(tmp_path / "c.xlsx").sheetnames

    d = run("district", "summary", str(two_years), "--district", "越秀区", "--year", "2022", cwd=tmp_path)
    body = d.stdout.splitlines()[1:d.stdout.splitlines().index("")]
    assert body and all("\t越秀区\t" in line for line in body)
    assert run("district", "summary", str(two_years), "--year", "2022", "--compare", "2022", "2023",
               cwd=tmp_path).returncode == 2


def test_summary_as_parquet(tmp_path: Path, two_years: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    s = run("district", "summary", str(two_years), "--parquet", "s.parquet", cwd=tmp_path)
    assert s.returncode == 0, s.stderr
    table = pq.read_table(tmp_path / "s.parquet")
    assert table.num_rows == 80
    assert str(table.schema.field("budget_total").type) == "decimal128(38, 2)"
    assert set(table.column("year").to_pylist()) == {2022, 2023}


def test_verify_against_the_paper_and_merge(tmp_path: Path, two_years: Path) -> None:
    from nanzhou_desktop.district.db import open_district_db
    from nanzhou_desktop.render.stamp import qr_payload

    db = open_district_db(two_years)
    final = next(r for r in db.units() if r.status == "已定稿")
    payload = qr_payload(db.report(final.uuid))
    db.close()
    bad = run("district", "verify", str(two_years), "--qr", payload.replace(payload[-8:], "00000000"), cwd=tmp_path)
    assert bad.returncode == 1 and "内容指纹不同" in bad.stdout and "未记为已核对" in bad.stderr
    ok = run("district", "verify", str(two_years), "--qr", payload, cwd=tmp_path)
    assert ok.returncode == 0 and "已记为已与纸面核对" in ok.stdout, ok.stderr
    s = run("district", "summary", str(two_years), cwd=tmp_path)
    line = next(x for x in s.stdout.splitlines() if x.startswith(final.unit + "\t") and f"\t{final.year}\t" in x)
    assert "已核对" in line
    junk = run("district", "verify", str(two_years), "--qr", "hello", cwd=tmp_path)
    assert junk.returncode == 2 and "NZPJ1" in junk.stderr

    m = run("district", "merge", "市汇总.sqlite", str(two_years), cwd=tmp_path)
    assert m.returncode == 0, m.stderr
    assert m.stdout.count("【已装入】") == 80 and "汇总库中现有 80 份报告" in m.stdout
    again = run("district", "merge", "市汇总.sqlite", str(two_years), str(tmp_path / "2022" / "nothing.sqlite"),
                cwd=tmp_path)
    assert again.returncode == 4 and again.stdout.count("【已存在】") == 80 and "【拒收】" in again.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pty and SIGINT")
def test_load_shows_progress_on_a_terminal_and_ctrl_c_keeps_what_was_loaded(tmp_path: Path) -> None:
    import pty
    import signal
    import time

    from nanzhou_desktop.district.db import open_district_db
    from nanzhou_desktop.district.testdata import write_units

    files = write_units(tmp_path / "in", 120, 2022, seed=41)
    master, slave = pty.openpty()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "nanzhou_desktop", "district", "load", "d.sqlite", "in"],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while b"/ 120" not in seen and time.monotonic() < deadline:  # the progress line, on the terminal
        seen += os.read(master, 4096)
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=120)
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    text = seen.decode("utf-8", errors="replace")
    assert "装入" in text and "拒收 0" in text and "Ctrl+C" in text and "正在取消" in text
    assert child.returncode == 130 and "已取消" in out
    db = open_district_db(tmp_path / "d.sqlite", create=False)
    loaded = db.count()
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert 0 < loaded < len(files) and f"处理了 {loaded} / 120 个文件" in out
