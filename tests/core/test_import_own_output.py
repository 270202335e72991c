"""Issue 14 item 6: a PDF or Word copy this app printed imports back to the same report.

report → print (PDF, .docx) → import → ``dump`` equal, for the example and for a report filled
from each template, except what print cannot carry:

- the report's uuid (a new report is made), its status and revision;
- an indicator's 备注 (``note``) and its 定性 share (``qual_share``): not printed;
- the 上年 (prior-year) figures: not printed;
- 出错说明 (explanations): printed inside 偏差原因 or the 其他出错说明 block, not told apart;
- the unit's code (单位编码): not printed;
- what a template's 自评表 has no column for (度量单位 and 指标性质 in the 财政部 form; 年度指标值 and
  实际完成值 in the 达州 得分表), and, where 一级指标 carry the points, the 分值 typed (each
  indicator's share is printed);
- in a PDF, the spaces at the ends of lines (a space between a word and a number that fell at a
  line break cannot be told from none): narrative compared with whitespace ignored.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.content import to_content
from nanzhou_desktop.example import example_report
from nanzhou_desktop.importing import import_document
from nanzhou_desktop.model import (
    CoverField,
    Direction,
    Indicator,
    Project,
    Report,
    SectionKind,
    SignOff,
    Task,
    TaskItem,
    Unit,
)
from nanzhou_desktop.render.docx import write_docx
from nanzhou_desktop.render.pdf import render_pdf
from nanzhou_desktop.template import catalog

NOT_PRINTED = {"uuid", "explanations"}
NOT_PRINTED_INDICATOR = {"note", "qual_share", "prior_actual"}
NOT_PRINTED_ROW = {"prior_budget_total", "prior_executed"}


def comparable(report: Report, *, pdf: bool) -> dict:
    data = to_content(report)
    table, scheme = report.template.table, report.template.scheme
    not_printed = set(NOT_PRINTED_INDICATOR)
    # What a template's 自评表 has no column for it does not print: 度量单位 and 指标性质 in the
    # 财政部 form (指标性质 then read from the value: "有效改善" is 定性); and where 一级指标 carry
    # the points (广东 county), the 分值 printed is each indicator's share, not what was typed.
    not_printed |= {f for f in ("unit", "direction", "target", "actual") if not table.has("indicators", f)}
    if scheme.indicators.weighting == "level1":
        not_printed.add("points")
    data["title"] = report.display_title  # "" prints as the default title: the same report
    for key in NOT_PRINTED:
        data.pop(key, None)
    data["unit"].pop("code", None)
    data.pop("template", None)  # the template is chosen, not printed: compared by id below
    for ind in data["indicators"]:
        for key in not_printed:
            ind.pop(key, None)
    row_not_printed = set(NOT_PRINTED_ROW) | {f for f in ("budget_initial",) if not table.has("budget", f)}
    for row in data["budget"] + data["projects"]:
        for key in row_not_printed:
            row.pop(key, None)
    if pdf:
        squash(data)
    return data


def squash(node: object) -> object:
    """Whitespace out of every text (a PDF does not keep a space at a line break)."""
    if isinstance(node, dict):
        for k, v in node.items():
            node[k] = squash(v)
        return node
    if isinstance(node, list):
        return [squash(v) for v in node]
    if isinstance(node, str):
        return re.sub(r"\s+", "", node)
    return node


def filled_report(template) -> Report:
    """A report made from ``template`` with every part a user fills filled: narrative, tasks,
    budget rows, a key project, indicators of each kind, 偏差原因, cover, 前言 and sign-off."""
    r = template.new_report("00000000-0000-4000-8000-000000000001",
                            Unit("广州市海珠区人民政府某某街道办事处", "某某街道", "", "海珠区"), 2023)
    for n, sec in enumerate(r.sections):
        sec.body = f"第{n + 1}部分的正文，全年完成各项任务 12 件。\n第二段写明做法和成效。"
    if r.section_of_kind(SectionKind.TASKS) is not None:
        r.tasks = [Task("基层党建工作", "党建工作稳步推进。", [TaskItem("组织建设", "建立党组织 3 个。"),
                                                             TaskItem("作风建设", "开展检查 12 次。")]),
                   Task("城区治理工作", "", [TaskItem("环境整治", "整治点位 40 处。")])]
    total = r.budget_total_row
    total.budget_initial, total.budget_total, total.executed = Decimal("1000.00"), Decimal("1200.50"), Decimal("1100.25")
    total.reason = "年中追加疫情防控经费"
    if template.data.table.project_columns:
        r.projects = [Project("城市管理项目", Decimal("300.00"), Decimal("290.00"), "部分合同年底结算")]
    if not r.indicators:
        r.indicators = [
            Indicator("产出指标", "数量指标", "违法建设清拆面积", Direction.AT_LEAST, "310000", "平方米", "310297",
                      Decimal("30")),
            Indicator("产出指标", "质量指标", "信访事项办结", Direction.AT_LEAST, "200", "件", "168起",
                      Decimal("30"), "部分事项跨年办理"),
            Indicator("效益指标", "社会效益指标", "辖区环境", Direction.QUALITATIVE, "有效改善", "",
                      template.data.scheme.achieved_value or "达成", Decimal("30")),
        ]
    else:
        for ind in r.indicators:
            ind.actual = ind.target or template.data.scheme.achieved_value
    r.signoff = SignOff("张三", "李四", "王五", "020-12345678", "13800000000", "2024-03-10", "2024-03-15")
    if template.data.preface.enabled:
        r.preface = "根据区财政局《关于开展2023年度部门整体支出绩效自评工作的通知》要求，现将自评情况报告如下："
    r.cover = [CoverField(c.key, c.label, c.kind, c.required, _cover_value(c.kind)) for c in r.cover]
    return r


def _cover_value(kind: str) -> str:
    return {"date": "2024-03-15", "year": "2023", "code": "440105-001"}.get(kind, "广州市海珠区人民政府某某街道办事处")


CASES = [("example", lambda: example_report())] + [
    (t.id, lambda t=t: filled_report(t)) for t in catalog().templates]


@pytest.mark.parametrize(("name", "make"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_printed_report_imports_back_whole(tmp_path: Path, name: str, make, kind: str):
    report = make()
    path = tmp_path / f"{name}.{kind}"
    (write_docx if kind == "docx" else render_pdf)(report, path)
    result = import_document(path, template=_template_of(report))
    assert not result.not_placed, [b.text for b in result.not_placed]
    ours, theirs = comparable(result.report, pdf=kind == "pdf"), comparable(report, pdf=kind == "pdf")
    for key in theirs:
        assert ours[key] == theirs[key], key
    assert result.report.template_id == report.template_id


def _template_of(report: Report):
    from nanzhou_desktop.template import load_template

    return load_template(report.template_id)
