"""District: reports made from different templates load side by side; the summary says which
template each used, scores each by its own scheme and says what is comparable."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from nanzhou_desktop.district.db import Outcome, open_district_db
from nanzhou_desktop.district.summary import COLUMNS, summary_table, templates_note, write_xlsx
from nanzhou_desktop.district.testdata import finalised, write_report_file
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Report, Unit
from nanzhou_desktop.template_data import V2_TEMPLATE_DATA, parse_report_template


def _final(r: Report) -> Report:
    return finalised(r)  # signed, warnings answered, 已定稿: what the district accepts as final


def _other_scheme_report() -> Report:
    """The example's content for another town, under a template whose 预算执行率 is worth 20."""
    data = copy.deepcopy(V2_TEMPLATE_DATA)
    data.update(version="3", name="某县镇街部门整体支出绩效自评报告")
    data["scoring"]["budget"] = {"points": 20, "formula": "ratio"}
    data["scoring"]["indicators"] = {"points": 80, "weighting": "indicator", "score": "computed"}
    r = example_report(fresh_uuid=True)
    r.unit = Unit("某县某镇人民政府", "某镇", "", "某县")
    r.title = ""
    r.template_id, r.template = "some_county_2023", parse_report_template(data, "测试")
    given = Decimal(0)
    for ind in r.indicators[:-1]:  # the same indicators, their 分值 scaled from 90 to 80
        ind.points = (ind.points * Decimal(80) / Decimal(90)).quantize(Decimal("0.01"))
        given += ind.points
    r.indicators[-1].points = Decimal(80) - given
    return r


def test_reports_of_two_templates_load_side_by_side(tmp_path: Path) -> None:
    a = write_report_file(tmp_path / "南洲.sqlite", _final(example_report(fresh_uuid=True)))
    other = _other_scheme_report()
    b = write_report_file(tmp_path / "某镇.sqlite", _final(other))
    db = open_district_db(tmp_path / "汇总.sqlite")
    try:
        assert db.load_file(a).outcome == Outcome.LOADED
        assert db.load_file(b).outcome == Outcome.LOADED
        rows = {r.short_name: r for r in db.units()}
    finally:
        db.close()
    nz, town = rows["南洲街道"], rows["某镇"]
    assert (nz.template_id, nz.template_version) == ("guangzhou_street_2022", "1")
    assert nz.template_name == V2_TEMPLATE_DATA["name"]
    assert (town.template_id, town.template_version, town.template_name) == (
        "some_county_2023", "3", "某县镇街部门整体支出绩效自评报告")
    # each scored by its own scheme: the same 执行率 99.13 % is worth 9.91 of 10 and 19.83 of 20
    assert nz.execution_rate == town.execution_rate
    assert f"{nz.score:.2f}" == "95.12"
    budget_part = min(town.execution_rate / 100, Decimal(1)) * 20
    assert f"{budget_part:.2f}" == "19.83"
    assert town.score != nz.score
    table = summary_table(list(rows.values()))
    col = [c.key for c in COLUMNS].index("template")
    assert table[0][col] == "报告模板"
    shown = {line[col] for line in table[1:]}
    assert any("广州市街道办事处" in s and "版本 1" in s for s in shown)
    assert any("某县镇街" in s and "some_county_2023" in s for s in shown)
    note = templates_note(list(rows.values()))
    assert "2 种报告模板" in note and "不宜直接比较" in note and "执行率" in note
    assert templates_note([nz]) == ""
    from openpyxl import load_workbook

    wb = load_workbook(write_xlsx(list(rows.values()), tmp_path / "汇总.xlsx"))
    # Two districts (海珠区 and 某县): a sheet each after the overview, each with 报告模板.
    shown = []
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        if "报告模板" in header:
            shown += [str(row[header.index("报告模板")].value) for row in ws.iter_rows(min_row=2)]
    assert any("某县镇街" in t for t in shown) and any("广州市街道办事处" in t for t in shown)
