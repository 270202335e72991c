"""Issue 16 F1/F5 in the window: a value outside the limits typed into a 自评表 cell is refused
where it was typed, in Chinese, and the cell keeps the text (nothing is written)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nanzhou_desktop.gui.table_models import BudgetTableModel, ErrorRole, IndicatorTableModel, ProjectTableModel
from tests.gui.test_table_models import cell, set_cell


@pytest.mark.parametrize(("typed", "why"), [
    ("9999999999999999.99", "超过 15 位"),
    ("0.0000000001", "小数超过"),
])
def test_an_amount_outside_the_limits_is_refused_in_the_cell(example_file, typed, why):
    m = BudgetTableModel(example_file)
    rejected: list[str] = []
    m.editRejected.connect(lambda r, c, msg: rejected.append(msg))
    assert not set_cell(m, 0, "executed", typed)
    assert example_file.report.budget[0].executed == Decimal("19738.24")
    assert rejected and why in rejected[0] and "全年执行数" in rejected[0]
    assert cell(m, 0, "executed") == typed and cell(m, 0, "executed", ErrorRole) == rejected[0]


def test_a_noncharacter_in_a_project_name_is_refused_in_the_cell(example_file):
    m = ProjectTableModel(example_file)
    rejected: list[str] = []
    m.editRejected.connect(lambda r, c, msg: rejected.append(msg))
    old = example_file.report.projects[0].name
    assert not set_cell(m, 0, "name", "项目\uffff")
    assert example_file.report.projects[0].name == old
    assert rejected and "U+FFFF" in rejected[0]


def test_an_indicator_value_outside_the_limits_is_refused_in_the_cell(example_file):
    m = IndicatorTableModel(example_file)
    rejected: list[str] = []
    m.editRejected.connect(lambda r, c, msg: rejected.append(msg))
    row = next(i for i, ind in enumerate(example_file.report.indicators) if ind.direction.value != "定性")
    old = example_file.report.indicators[row].target
    assert not set_cell(m, row, "target", "0.0000000001")
    assert example_file.report.indicators[row].target == old
    assert rejected and "小数超过" in rejected[0]
