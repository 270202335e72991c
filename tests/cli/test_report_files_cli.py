"""End to end: the report-file subcommands as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def cli(*args: str, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "nanzhou_desktop", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    if check_rc is not None:
        assert result.returncode == check_rc, (result.stdout, result.stderr)
    return result


def test_demo_show_dump_undump_round_trip(tmp_path):
    a = tmp_path / "南洲2022.sqlite"
    assert "已生成示例报告" in cli("demo", str(a)).stdout
    show = cli("show", str(a)).stdout
    assert "全年预算数 19,910.75 万元，全年执行数 19,738.24 万元，执行率 99.13%" in show
    assert "疫情防控项目" in show and "工作任务 7 项，小项 21 个" in show
    dump1 = cli("dump", str(a)).stdout
    (tmp_path / "d.json").write_text(dump1, encoding="utf-8")
    b = tmp_path / "again.sqlite"
    cli("undump", str(tmp_path / "d.json"), str(b))
    assert cli("dump", str(b)).stdout == dump1
    assert json.loads(dump1)["unit"]["short_name"] == "南洲街道"


def test_new_makes_a_blank_report(tmp_path):
    f = tmp_path / "新港2023.sqlite"
    cli("new", "--unit", "广州市海珠区人民政府新港街道办事处", "--short", "新港街道", "--district", "海珠区",
        "--year", "2023", str(f))
    show = cli("show", str(f)).stdout
    assert "2023年度广州市海珠区人民政府新港街道办事处部门整体支出绩效自评报告" in show
    assert "（一）部门概况（0 字）" in show


def test_errors_are_one_chinese_sentence_and_nonzero(tmp_path):
    cases = [
        (("show", str(tmp_path / "无此文件.sqlite")), "找不到文件"),
        (("show", str(tmp_path)), "是文件夹"),
        (("new", "--unit", "某街道", "--year", "abc", str(tmp_path / "x.sqlite")), "年度“abc”不是数字"),
        (("undump", str(tmp_path / "none.json"), str(tmp_path / "y.sqlite")), "找不到文件"),
    ]
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database", encoding="utf-8")
    cases.append((("show", str(bad)), "不是报告文件"))
    for args, message in cases:
        r = cli(*args, check_rc=None)
        assert r.returncode != 0, args
        assert message in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr


def test_demo_refuses_to_overwrite(tmp_path):
    a = tmp_path / "e.sqlite"
    cli("demo", str(a))
    r = cli("demo", str(a), check_rc=None)
    assert r.returncode == 3 and "已存在" in r.stderr


def test_show_counts_the_work_tasks_under_their_section(tmp_path):
    """二（二） keeps its text as tasks and items, not as a body: show counts that text (as the
    window counts a paragraph: no spaces, no line breaks, no printed numbering), not "0 字"."""
    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.model import SectionKind, Task, TaskItem
    from nanzhou_desktop.narrative import blocks
    from nanzhou_desktop.store.reportfile import create_report_file

    r = example_report(fresh_uuid=True)
    sec = r.section_of_kind(SectionKind.TASKS)
    sec.body = "总述 一句"
    r.tasks = [Task("任务一", "正文\n续", [TaskItem("小项", "内容 甲"), TaskItem("另一项", "")])]
    path = create_report_file(tmp_path / "t.sqlite", r)
    heading = f"{sec.number}{sec.heading}"
    line = next(x for x in cli("show", str(path)).stdout.splitlines() if heading in x)
    assert line.strip() == f"{heading}（18 字，含工作任务 1 项、小项 2 个）"  # 4 + 3+3 + 2+3 + 3+0
    # The same characters the print puts under the heading, less its numbering and the 。 after an item title.
    under = [b for b in blocks(r) if b.ref is not None and b.ref.section_key == sec.key
             and not (b.ref.table == "sections" and b.ref.column == "heading")]
    assert sum(len((b.lead + b.text).replace(" ", "")) - len(b.lead[-1:]) for b in under) == 18


def test_show_on_the_example_counts_its_tasks(tmp_path):
    a = tmp_path / "南洲2022.sqlite"
    cli("demo", str(a))
    show = cli("show", str(a)).stdout
    line = next(x for x in show.splitlines() if "各项工作任务绩效目标完成情况分析" in x)
    assert "（0 字" not in line and "含工作任务 7 项、小项 21 个" in line
    chars = int(line.split("（")[2].split(" 字")[0])
    assert chars > 3000
