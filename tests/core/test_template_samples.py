"""Every shipped template, end to end on a small filled report: create the file from the template,
fill it, reopen, check, score — equal to the figure worked out by hand from the template's own
scheme — print the PDF (pages, headings, the template's table columns) and the Word and Excel
copies."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.model import Direction, Indicator, Report, SignOff, Task, TaskItem, Unit
from nanzhou_desktop.money import round_half_up
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.findings import Severity
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from nanzhou_desktop.template import catalog, load_template

D = Decimal
TEMPLATES = ["guangzhou_street_2022", "guangdong_county_2021", "mof_2020", "sichuan_dazhou_2021"]


def _ind(l1: str, l2: str, l3: str, direction: str, target: str, unit: str, actual: str, points: str | None,
         **kw) -> Indicator:
    return Indicator(l1, l2, l3, Direction(direction), target, unit, actual, None if points is None else D(points),
                     **kw)


def _fill(template_id: str) -> tuple[Report, Decimal, str]:
    """A small report from the template, filled as an office would, with its total score worked
    out by hand (the comment over each figure says how) and the grade."""
    t = load_template(template_id)
    r = t.new_report("0123456789abcdef0123456789abcdef", Unit("某县某镇人民政府", "某镇", "440000001", "某县"), 2022)
    for s in r.sections:
        s.body = f"{s.heading}：本节按模板要求填写，内容从简。"
    if r.template.preface.enabled:
        r.preface = "根据《关于开展2022年度部门整体支出绩效自评工作的通知》要求，现将自评情况报告如下："
    for c in r.cover:
        c.value = {"year": "2022", "date": "2023-03-10"}.get(c.kind, "某县某镇人民政府")
    r.signoff = SignOff("张三", "李四", "王五", "0668-1234567", "13800000000", "2023-03-10", "2023-03-15")
    if any(str(s.kind) == "tasks" for s in r.sections):
        r.tasks = [Task("抓好基层党建", items=[TaskItem("基础党建有序推进", "完成支部换届 12 个。")])]
    total = r.budget_total_row
    total.budget_initial, total.budget_total, total.executed = D("100.00"), D("100.00"), D("95.00")
    for b in r.budget[1:]:
        b.budget_total, b.executed = D("50.00"), D("47.50")
    b_rows = r.budget[1:]
    if len(b_rows) == 3:  # 本年财政拨款 / 上年结转 / 其他: the parts add up to the total
        b_rows[0].budget_total, b_rows[0].executed = D("80.00"), D("76.00")
        b_rows[1].budget_total, b_rows[1].executed = D("15.00"), D("14.00")
        b_rows[2].budget_total, b_rows[2].executed = D("5.00"), D("5.00")
    for s in r.sections:
        if str(s.kind) == "budget":
            s.body = "全年预算数 100.00 万元，执行数 95.00 万元，完成预算的 95.00%。"

    if template_id == "guangzhou_street_2022":
        r.indicators = [
            _ind("产出指标", "数量指标", "辖区巡查次数", "≥", "100", "次", "90", "50", reason="人手不足"),
            _ind("效益指标", "社会效益指标", "群众安全感提升", "定性", "有效提升", "", "部分达成", "30",
                 reason="部分社区未覆盖"),
            _ind("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "95", "%", "96", "10"),
        ]
        # 预算 95 / 100 × 10 = 9.5; 90 / 100 × 50 = 45; 部分达成 → 80 % × 30 = 24; 96 ≥ 95 → 10
        return r, D("9.5") + 45 + 24 + 10, "良"  # 88.50
    if template_id == "guangdong_county_2021":
        r.indicators = [
            _ind("产出指标", "数量指标", "为民办实事件数", "≥", "100", "件", "80", "20", reason="部分事项跨年"),
            _ind("产出指标", "质量指标", "投诉率", "≤", "5", "%", "4", "10"),
            _ind("产出指标", "时效指标", "新建服务站", "=", "3", "个", "3个", "10"),
            _ind("效益指标", "社会效益指标", "营商环境改善", "定性", "有效改善", "", "达成", None),
            _ind("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "85", "5", reason="宣传不足"),
        ]
        # 一级指标的分数由指标按所填分值分享: 产出 50 按 20/10/10 → 25、12.5、12.5；效益 30 只有一项；满意度 10
        # 预算 9.5；80/100 × 25 = 20；4 ≤ 5 → 12.5；3个 = 3 → 12.5；达成 → 30；85/90 × 10 = 9.444…
        return r, D("9.5") + 20 + D("12.5") + D("12.5") + 30 + D(85) / D(90) * 10, "优"  # 93.94
    if template_id == "mof_2020":
        r.indicators = [
            _ind("产出指标", "数量指标", "完成巡查", "≥", "≥50个", "个", "48个", "30", reason="汛期停巡 2 次"),
            _ind("产出指标", "质量指标", "验收合格率", "≥", "≥95%", "%", "100%", "20"),
            _ind("效益指标", "社会效益指标", "对辖区安全的影响", "定性", "效果明显", "", "部分达成年度指标并具有一定效果",
                 "30", qual_share=D("0.7"), reason="个别村未覆盖"),
            _ind("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "≥90%", "%", "92%", "10"),
        ]
        # 预算 9.5；48/50 × 30 = 28.8；20；部分达成，得分比例 70 % × 30 = 21；10
        return r, D("9.5") + D("28.8") + 20 + 21 + 10, "良"  # 89.30
    if template_id == "sichuan_dazhou_2021":
        entered = {ind.level3: ind.points for ind in r.indicators}  # full marks unless said below
        entered["相关性"] = D(4)
        entered["社会公众满意度"] = D(3)
        special = next(i for i in r.indicators if i.level3 == "部门特性指标")
        at = r.indicators.index(special)
        r.indicators[at:at + 1] = [
            _ind("部门绩效情况", "履职成效", "为民服务事项办结率", "≥", "98", "%", "97", "12", score=D(11)),
            _ind("部门绩效情况", "履职成效", "重点项目完成率", "≥", "100", "%", "100", "8", score=D(8)),
        ]
        for ind in r.indicators:
            if ind.score is None:
                ind.score = entered[ind.level3]
        # 得分由评价人填写，不单列预算执行率：100 − 1（相关性）− 1（办结率 11/12）− 1（社会公众满意度 3/4）
        return r, D(97), "优"
    raise AssertionError(template_id)


def test_every_shipped_template_is_covered_here() -> None:
    assert sorted(t.id for t in catalog(extra_dirs=()).templates) == sorted(TEMPLATES)


@pytest.fixture(scope="module", params=TEMPLATES)
def sample(request, tmp_path_factory) -> tuple[str, Path, Report, Decimal, str]:
    tid = request.param
    report, total, grade = _fill(tid)
    path = create_report_file(tmp_path_factory.mktemp(tid) / f"{tid}.sqlite", report)
    with open_report_file(path) as rf:
        again = rf.report
    return tid, path, again, total, grade


def test_score_is_the_hand_computed_figure(sample) -> None:
    tid, _, report, total, grade = sample
    s = check(report).score
    assert s.total == total, tid
    assert str(round_half_up(s.total, 2)) == str(round_half_up(total, 2))
    assert s.grade == grade
    assert s.budget_points + s.indicator_points == 100


def test_check_finds_no_error_in_the_filled_report(sample) -> None:
    tid, _, report, _, _ = sample
    errors = [f for f in check(report).findings if f.severity == Severity.ERROR]
    assert errors == [], (tid, [f.message for f in errors])


def test_the_report_keeps_its_template(sample) -> None:
    tid, _, report, _, _ = sample
    t = load_template(tid)
    assert report.template_id == tid and report.template == t.data
    assert [s.key for s in report.sections] == [s["key"] for s in t.sections]
    assert [c.key for c in report.cover] == [c.key for c in t.cover]


pdf = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")


@pdf
def test_print_pdf_headings_pages_and_table_columns(sample, tmp_path: Path) -> None:
    from nanzhou_desktop.render.pdf import render_pdf
    from nanzhou_desktop.render.table_data import columns

    tid, _, report, _, grade = sample
    info = render_pdf(report, tmp_path / f"{tid}.pdf")
    # -raw: in drawing order, so a header wrapped in its cell ("指标性/质") reads whole
    text = subprocess.run(["pdftotext", "-raw", str(info.path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    pages = text.count("\f")
    assert info.pages == pages >= (4 if report.cover else 3)
    for s in report.sections:
        assert f"{s.number}{s.heading}" in flat, (tid, s.heading)
    for table in ("budget", "indicators"):
        for col in columns(report, table):
            assert col.header in flat, (tid, col.header)
    assert f"自评等级：{grade}" in flat
    if tid == "mof_2020":
        assert "指标性质" not in flat and "项目资金（万元）" in flat and "其中：上年结转资金" in flat
    if tid == "sichuan_dazhou_2021":
        assert "部门整体支出绩效评价得分表" in flat and "评分依据及扣分原因" in flat and "分值" in flat
    if report.cover:
        first = "".join(text.split("\f")[0].split())
        assert "评价年度：2022年度" in first and "填报日期：2023年3月10日" in first
    if report.preface:  # the 前言 before 一、
        assert flat.index("根据《关于开展2022年度") < flat.index(f"{report.sections[0].number}{report.sections[0].heading}")


def test_word_and_excel_copies_follow_the_template(sample, tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from nanzhou_desktop.render.docx import write_docx
    from nanzhou_desktop.render.table_data import columns
    from nanzhou_desktop.render.xlsx import write_xlsx

    tid, _, report, _, _ = sample
    doc = Document(str(write_docx(report, tmp_path / f"{tid}.docx")))
    paras = [p.text for p in doc.paragraphs]
    for s in report.sections:
        assert f"{s.number}{s.heading}" in paras, (tid, s.heading)
    first_heading = paras.index(f"{report.sections[0].number}{report.sections[0].heading}")
    if report.cover:  # the cover page before the body, each field with its value as printed
        assert "评价年度：2022年度" in paras[:first_heading] and "填报日期：2023年3月10日" in paras[:first_heading]
    if report.preface:  # the 前言 just before 一、
        assert paras[first_heading - 1] == report.preface
    header = [c.text for c in doc.tables[-2].rows[0].cells] if tid != "sichuan_dazhou_2021" else None
    # a narrow header cell carries its own line break ("指标\n性质"): the same name
    cells = {c.text.replace("\n", "") for t in doc.tables for row in t.rows for c in row.cells}
    for col in columns(report, "indicators"):
        assert col.header in cells
    ws = load_workbook(str(write_xlsx(report, tmp_path / f"{tid}.xlsx"))).active
    values = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    for col in columns(report, "indicators") + columns(report, "budget"):
        assert col.header in values, (tid, col.header)
    assert header is None or header
