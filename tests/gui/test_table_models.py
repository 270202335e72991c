"""The 自评表 table models, tested without any widget (Qt's model tester + direct calls)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from nanzhou_desktop.gui.table_models import (
    BudgetTableModel,
    ChoicesRole,
    ErrorRole,
    FindingsRole,
    IndicatorTableModel,
    PendingRole,
    ProjectTableModel,
)
from nanzhou_desktop.model import BudgetKind, Direction, Explanation, FieldRef, Status
from nanzhou_desktop.rules.findings import (
    CheckResult,
    Completion,
    Finding,
    IndicatorScore,
    Score,
    Severity,
)
from nanzhou_desktop.store.reportfile import open_report_file

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def tester_log(qtlog):
    """Qt's model tester reports through qWarning ("FAIL! …"); collect those."""

    def failures() -> list[str]:
        return [r.message for r in qtlog.records if "FAIL" in r.message]

    return failures


def cell(model, row: int, key: str, role: int = DISPLAY):
    return model.data(model.index(row, model.column_index(key)), role)


def set_cell(model, row: int, key: str, value) -> bool:
    return model.setData(model.index(row, model.column_index(key)), value, Qt.ItemDataRole.EditRole)


def make_result(rf, *, findings=(), indicator_scores=None, budget_score="9.91") -> CheckResult:
    inds = tuple(indicator_scores) if indicator_scores is not None else tuple(
        IndicatorScore(i.id, i.level3, i.points, i.points) for i in rf.report.indicators)
    score = Score(budget_rate=Decimal("99.13"), budget_points=Decimal(10), budget_score=Decimal(budget_score),
                  indicator_points=Decimal(90), indicator_score=Decimal(80), indicators=inds,
                  total=Decimal("89.91"), grade="良")
    return CheckResult(findings=tuple(findings), score=score, completion=Completion(1, 1))


# ---------------------------------------------------------------------------- structure
@pytest.mark.parametrize("cls", [BudgetTableModel, ProjectTableModel, IndicatorTableModel])
def test_models_pass_qt_model_tester_through_edits_and_row_operations(cls, example_file, tester_log):
    model = cls(example_file)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    assert model.rowCount() >= 1
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert all(h and all("\u4e00" <= ch <= "\u9fff" or ch in "（）/AB\n" for ch in h) for h in headers), headers
    if cls is BudgetTableModel:  # 其中 rows move among themselves, under 年度资金总额
        model.add_row_of_kind(BudgetKind.BASIC, "其中：基本支出")
        row = model.add_row_of_kind(BudgetKind.PROJECT, "其中：项目支出")
    else:
        row = model.add_row()
    assert row == model.rowCount() - 1
    new = model.move_row(row, -1)
    assert new == row - 1
    assert model.move_row(new, +1) == row
    model.remove_row(row)
    model.set_result(make_result(example_file))
    model.reload()
    assert tester_log() == []
    del tester


def test_headers_are_the_chinese_column_names(example_file):
    budget = BudgetTableModel(example_file)
    headers = [budget.headerData(c, Qt.Orientation.Horizontal) for c in range(budget.columnCount())]
    assert headers[:5] == ["项目名称", "年初预算数\n（万元）", "全年预算数（A）\n（万元）", "全年执行数（B）\n（万元）",
                           "执行率（B/A）"]
    ind = IndicatorTableModel(example_file)
    headers = [ind.headerData(c, Qt.Orientation.Horizontal) for c in range(ind.columnCount())]
    assert headers[:9] == ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值",
                           "分值", "得分"]
    assert "偏差原因分析及改进措施" in headers and "不适用" in headers


# ---------------------------------------------------------------------------- budget
def test_money_shown_with_separators_and_right_aligned(example_file):
    m = BudgetTableModel(example_file)
    assert cell(m, 0, "budget_total") == "19,910.75"
    assert cell(m, 0, "executed") == "19,738.24"
    align = Qt.AlignmentFlag(cell(m, 0, "executed", Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight
    assert not Qt.AlignmentFlag(cell(m, 0, "label", Qt.ItemDataRole.TextAlignmentRole)) & Qt.AlignmentFlag.AlignRight
    # The editor starts from plain digits, so nobody edits around separators.
    assert cell(m, 0, "executed", Qt.ItemDataRole.EditRole) == "19738.24"


def test_rate_follows_executed_and_is_rounded_half_up(example_file):
    m = BudgetTableModel(example_file)
    assert cell(m, 0, "rate") == "99.13%"  # 19,738.24 / 19,910.75 = 99.1336…
    changes = []
    m.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.column(), br.column())))
    edited = []
    m.edited.connect(lambda: edited.append(1))
    assert set_cell(m, 0, "executed", "19,000.00")
    assert cell(m, 0, "rate") == "95.43%"  # 19000 / 19910.75 = 95.4258…
    assert any(a <= m.column_index("rate") <= b for a, b in changes)
    assert edited == [1]
    assert example_file.report.budget[0].executed == Decimal("19000.00")
    # Half up at the printed place: 99.135 % → 99.14 %.
    assert set_cell(m, 0, "budget_total", "20000") and set_cell(m, 0, "executed", "19827")
    assert cell(m, 0, "rate") == "99.14%"
    # Missing budget → no rate, not a crash or a division by zero.
    assert set_cell(m, 0, "budget_total", "")
    assert cell(m, 0, "rate") == "—"


def test_full_width_and_separator_entry_accepted(example_file):
    m = BudgetTableModel(example_file)
    assert set_cell(m, 0, "executed", "１９，７００．５０")
    assert example_file.report.budget[0].executed == Decimal("19700.50")
    assert set_cell(m, 0, "budget_initial", "19910.75")
    assert cell(m, 0, "budget_initial") == "19,910.75"
    assert cell(m, 0, "executed", ErrorRole) == ""


def test_letters_refused_with_reason_and_text_kept(example_file):
    m = BudgetTableModel(example_file)
    rejected = []
    m.editRejected.connect(lambda r, c, msg: rejected.append((r, c, msg)))
    edited = []
    m.edited.connect(lambda: edited.append(1))
    col = m.column_index("executed")
    assert not set_cell(m, 0, "executed", "19abc")
    assert example_file.report.budget[0].executed == Decimal("19738.24")  # nothing written
    assert edited == []
    assert rejected and rejected[0][:2] == (0, col)
    msg = rejected[0][2]
    assert "全年执行数" in msg and "19abc" in msg and "数字" in msg
    # The typed text stays in the cell, red, with the reason at the cell.
    assert cell(m, 0, "executed") == "19abc"
    assert cell(m, 0, "executed", Qt.ItemDataRole.EditRole) == "19abc"
    assert cell(m, 0, "executed", PendingRole) == "19abc"
    assert cell(m, 0, "executed", ErrorRole) == msg
    assert msg in cell(m, 0, "executed", Qt.ItemDataRole.ToolTipRole)
    assert cell(m, 0, "executed", Qt.ItemDataRole.ForegroundRole).color().red() > 150
    assert m.last_error(0, col) == msg and m.has_pending()
    # The stored value still drives the rate until the entry is corrected.
    assert cell(m, 0, "rate") == "99.13%"
    # Correcting it clears the pending text and the message.
    assert set_cell(m, 0, "executed", "19,738.00")
    assert cell(m, 0, "executed") == "19,738.00"
    assert cell(m, 0, "executed", PendingRole) is None and cell(m, 0, "executed", ErrorRole) == ""
    assert not m.has_pending()


def test_discard_pending_shows_stored_value_again(example_file):
    m = ProjectTableModel(example_file)
    assert not set_cell(m, 0, "executed", "一千八百")
    assert cell(m, 0, "executed") == "一千八百"
    m.discard_pending(0, m.column_index("executed"))
    assert cell(m, 0, "executed") == "1,802.25"


def test_computed_columns_are_read_only(example_file):
    m = BudgetTableModel(example_file)
    for key in ("rate", "points", "score"):
        idx = m.index(0, m.column_index(key))
        assert not m.flags(idx) & Qt.ItemFlag.ItemIsEditable
        assert not m.setData(idx, "5")
        assert "自动计算" in m.data(idx, ErrorRole)
    assert m.flags(m.index(0, m.column_index("executed"))) & Qt.ItemFlag.ItemIsEditable


def test_budget_score_from_result_on_total_row_only(example_file):
    m = BudgetTableModel(example_file)
    m.add_row_of_kind(BudgetKind.BASIC, "其中：基本支出")
    assert cell(m, 0, "score") == ""  # no check yet
    m.set_result(make_result(example_file, budget_score="9.913"))
    assert cell(m, 0, "points") == "10"
    assert cell(m, 0, "score") == "9.91"
    assert cell(m, 1, "score") == ""


def test_locked_report_is_not_editable(example_file):
    example_file.set_status(Status.FINAL)
    for m in (BudgetTableModel(example_file), ProjectTableModel(example_file), IndicatorTableModel(example_file)):
        for c in range(m.columnCount()):
            assert not m.flags(m.index(0, c)) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
        rejected = []
        m.editRejected.connect(lambda r, c, msg, rejected=rejected: rejected.append(msg))
        assert not m.setData(m.index(0, 0), "改名")
        assert "已定稿" in rejected[0]
        with pytest.raises(Exception, match="已定稿"):
            m.add_row()
        assert m.paste_text(0, 0, "x")[0][2].startswith("报告已定稿")


def test_read_only_file_is_not_editable(example_path):
    rf = open_report_file(example_path, read_only=True)
    try:
        m = ProjectTableModel(rf)
        assert not m.flags(m.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
        assert not set_cell(m, 0, "budget_total", "1")
        assert "只读" in cell(m, 0, "budget_total", ErrorRole)
    finally:
        rf.close()


# ---------------------------------------------------------------------------- projects
def test_project_rate_and_new_row(example_file):
    m = ProjectTableModel(example_file)
    assert cell(m, 0, "rate") == "100.00%"
    row = m.add_row()
    assert cell(m, row, "rate") == "—"
    assert set_cell(m, row, "name", "社区治理项目")
    assert set_cell(m, row, "budget_total", "300") and set_cell(m, row, "executed", "２５０")
    assert cell(m, row, "rate") == "83.33%"
    rf_project = example_file.report.projects[row]
    assert (rf_project.name, rf_project.executed) == ("社区治理项目", Decimal("250.00"))


def test_rows_survive_reopening(example_path):
    rf = open_report_file(example_path)
    m = ProjectTableModel(rf)
    row = m.add_row()
    set_cell(m, row, "name", "平安建设")
    set_cell(m, row, "budget_total", "12,345.6")
    m.move_row(row, -1)
    rf.close()
    rf = open_report_file(example_path)
    try:
        assert [p.name for p in rf.report.projects] == ["平安建设", "疫情防控项目"]
        assert rf.report.projects[0].budget_total == Decimal("12345.60")
    finally:
        rf.close()


# ---------------------------------------------------------------------------- indicators
def test_indicator_direction_choices_and_qualitative_actual(example_file):
    m = IndicatorTableModel(example_file)
    assert cell(m, 0, "direction") == "≥"
    assert cell(m, 0, "direction", ChoicesRole) == ["≥", "≤", "=", "定性"]
    assert cell(m, 0, "actual", ChoicesRole) is None  # a number is typed for ≥
    # 定性得分比例 is only for qualitative indicators.
    assert not m.flags(m.index(0, m.column_index("qual_share"))) & Qt.ItemFlag.ItemIsEditable
    row = m.add_row()
    assert set_cell(m, row, "level3", "居民满意度评价")
    assert set_cell(m, row, "direction", "定性")
    assert example_file.report.indicators[row].direction == Direction.QUALITATIVE
    assert cell(m, row, "actual", ChoicesRole) == ["达成", "部分达成", "未达成"]
    assert not set_cell(m, row, "actual", "很好")
    assert "达成" in cell(m, row, "actual", ErrorRole)
    assert set_cell(m, row, "actual", "部分达成")
    assert m.flags(m.index(row, m.column_index("qual_share"))) & Qt.ItemFlag.ItemIsEditable
    assert set_cell(m, row, "qual_share", "75")
    assert example_file.report.indicators[row].qual_share == Decimal("0.75")
    assert cell(m, row, "qual_share") == "75%"
    assert cell(m, row, "qual_share", Qt.ItemDataRole.EditRole) == "75"


def test_indicator_quantitative_values_checked(example_file):
    m = IndicatorTableModel(example_file)
    assert not set_cell(m, 0, "actual", "约31万")
    assert "实际完成值" in cell(m, 0, "actual", ErrorRole)
    assert cell(m, 0, "actual") == "约31万"
    assert set_cell(m, 0, "actual", "３１００００")
    assert example_file.report.indicators[0].actual == "310000"
    assert not set_cell(m, 0, "points", "六")
    assert set_cell(m, 0, "points", "6.5")


def test_indicator_score_from_result_and_not_applicable_flag(example_file):
    m = IndicatorTableModel(example_file)
    inds = example_file.report.indicators
    assert cell(m, 2, "score") == ""
    scores = [IndicatorScore(i.id, i.level3, Decimal("6.25"), Decimal("4.6875")) for i in inds]
    m.set_result(make_result(example_file, indicator_scores=scores))
    assert cell(m, 2, "score") == "4.69"  # half up
    na = m.column_index("not_applicable")
    idx = m.index(1, na)
    assert m.data(idx, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert m.flags(idx) & Qt.ItemFlag.ItemIsUserCheckable
    edited = []
    m.edited.connect(lambda: edited.append(1))
    assert m.setData(idx, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert inds[1].not_applicable is True and edited == [1]
    assert m.data(idx, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert cell(m, 1, "score") == "不适用"
    assert cell(m, 1, "level3", Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    # Rescaled points show in the score tooltip.
    scores[0] = IndicatorScore(inds[0].id, inds[0].level3, Decimal("6.7568"), Decimal("6.7568"))
    m.set_result(make_result(example_file, indicator_scores=scores))
    assert "6.76" in cell(m, 0, "score", Qt.ItemDataRole.ToolTipRole)


# ---------------------------------------------------------------------------- findings
def test_findings_colour_and_explain_their_cells(example_file):
    m = BudgetTableModel(example_file)
    total = example_file.report.budget[0]
    warn = Finding("budget.rate_low", Severity.WARNING, "全年执行数偏低，执行率 99.13% 需说明偏差原因",
                   FieldRef("budget_rows", total.id, "executed"), "budget.rate_low:budget:total")
    err = Finding("budget.reason_missing", Severity.ERROR, "偏差原因未填写",
                  FieldRef("budget_rows", total.id, "reason"), "budget.reason_missing:budget:total")
    other = Finding("project.x", Severity.ERROR, "别的表", FieldRef("projects", total.id, "executed"), "p")
    assert cell(m, 0, "executed", Qt.ItemDataRole.BackgroundRole) is None
    m.set_result(make_result(example_file, findings=[warn, err, other]))
    assert cell(m, 0, "executed", FindingsRole) == [warn]
    assert "执行率 99.13% 需说明" in cell(m, 0, "executed", Qt.ItemDataRole.ToolTipRole)
    warn_bg = cell(m, 0, "executed", Qt.ItemDataRole.BackgroundRole).color()
    err_bg = cell(m, 0, "reason", Qt.ItemDataRole.BackgroundRole).color()
    assert warn_bg != err_bg
    assert cell(m, 0, "budget_total", FindingsRole) == []
    # An explained warning is shown as settled, with the explanation.
    explained = Finding(warn.rule, warn.severity, warn.message, warn.where, warn.key,
                        explanation=Explanation(warn.key, "年底采购延期"))
    m.set_result(make_result(example_file, findings=[explained]))
    assert cell(m, 0, "executed", Qt.ItemDataRole.BackgroundRole).color() != warn_bg
    assert "年底采购延期" in cell(m, 0, "executed", Qt.ItemDataRole.ToolTipRole)
    # A newer result without findings clears the cell.
    m.set_result(make_result(example_file))
    assert cell(m, 0, "reason", Qt.ItemDataRole.BackgroundRole) is None
    # FieldRef → index, including a whole-row reference and the computed 执行率.
    assert m.index_for(FieldRef("budget_rows", total.id, "reason")).column() == m.column_index("reason")
    assert m.index_for(FieldRef("budget_rows", total.id, "rate")).column() == m.column_index("rate")
    assert m.index_for(FieldRef("budget_rows", total.id)).column() == 0
    assert not m.index_for(FieldRef("projects", total.id, "reason")).isValid()


# ---------------------------------------------------------------------------- paste
def test_paste_range_fills_row_by_row_and_reports_refused_cells(example_file):
    m = ProjectTableModel(example_file)
    edited = []
    m.edited.connect(lambda: edited.append(1))
    text = "疫情防控项目\t1,802.25\t1700\n社区治理项目\t３００\tabc\n平安建设\t120.5\t120.5\t99%\t按计划完成\n"
    refused = m.paste_text(0, 0, text)
    assert m.rowCount() == 3  # rows added for the pasted block
    names = [p.name for p in example_file.report.projects]
    assert names == ["疫情防控项目", "社区治理项目", "平安建设"]
    assert example_file.report.projects[0].executed == Decimal("1700.00")
    assert example_file.report.projects[1].budget_total == Decimal("300.00")
    assert example_file.report.projects[1].executed is None
    assert example_file.report.projects[2].reason == "按计划完成"
    # The refused cell is reported, and keeps the pasted text.
    assert [(r, c) for r, c, _ in refused] == [(1, 2), (2, 3)]
    assert "abc" in refused[0][2]
    assert "自动计算" in refused[1][2]
    assert cell(m, 1, "executed") == "abc"
    assert edited == [1]  # one recheck for the whole paste


def test_paste_into_budget_does_not_invent_rows(example_file):
    m = BudgetTableModel(example_file)
    refused = m.paste_text(0, 2, "20000\t19800\n100\t90")
    assert example_file.report.budget[0].budget_total == Decimal("20000.00")
    assert m.rowCount() == 1
    assert refused and "超出了表格" in refused[0][2]


def test_qmodelindex_invalid_is_harmless(example_file):
    m = IndicatorTableModel(example_file)
    assert m.data(QModelIndex()) is None
    assert not m.setData(QModelIndex(), "1")
    assert m.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_many_qt_calls_do_not_abort_the_interpreter():
    """PySide6 6.12 on Python 3.11 drops a reference to None at every void Qt call and to
    True at every emit(); nanzhou_desktop.gui reserves enough of them (see its __init__).
    Without that, this child process aborts ("none_dealloc" / "bool_dealloc")."""
    import subprocess
    import sys

    code = (
        "import nanzhou_desktop.gui\n"
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class O(QObject):\n"
        "    s = Signal()\n"
        "o = O()\n"
        "for _ in range(20000):\n"
        "    o.s.emit()\n"
        "    app.processEvents()\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "ok"


def test_real_check_result_drives_scores_and_findings(example_file):
    from nanzhou_desktop.rules import check

    budget, ind = BudgetTableModel(example_file), IndicatorTableModel(example_file)
    for m in (budget, ind):
        m.edited.connect(lambda: [x.set_result(check(example_file.report)) for x in (budget, ind)])
        m.set_result(check(example_file.report))
    assert cell(budget, 0, "score") == "9.91"  # 99.13 % × 10, as in the example
    assert cell(ind, 0, "score") == "6.25"
    assert set_cell(budget, 0, "executed", "15,000")
    assert cell(budget, 0, "rate") == "75.34%"
    assert cell(budget, 0, "score") == "7.53"
    # 执行率 below 90 % without a reason: the check points at a budget cell, and it is coloured.
    flagged = [(r, c) for r in range(budget.rowCount()) for c in range(budget.columnCount())
               if budget.data(budget.index(r, c), FindingsRole)]
    assert flagged
    r, c = flagged[0]
    assert budget.data(budget.index(r, c), Qt.ItemDataRole.BackgroundRole) is not None
    assert budget.data(budget.index(r, c), Qt.ItemDataRole.ToolTipRole)
