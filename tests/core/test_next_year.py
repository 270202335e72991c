"""新建下一年度 and the 与上年数据核对 rule."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from nanzhou_desktop.content import from_content, to_content
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.next_year import next_year
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file


def _finalised_example():
    r = example_report()
    r.status, r.revision, r.final_fingerprint = Status.FINAL, 3, "abc"
    r.signoff.issue_date = "2023-03-15"
    r.signoff.head = "张三"
    return r


def test_next_year_keeps_outline_tasks_and_indicators_and_moves_figures_to_prior():
    old = _finalised_example()
    before = to_content(old)
    new = next_year(old)
    assert to_content(old) == before  # last year's report is untouched
    assert new.year == 2023 and new.uuid != old.uuid
    assert new.unit == old.unit and new.unit is not old.unit
    assert new.status == Status.DRAFT and new.revision == 1 and new.final_fingerprint == ""
    assert new.title == "2023年度广州市海珠区人民政府南洲街道办事处部门整体支出绩效自评报告"
    assert [(s.key, s.level, s.number, s.heading, s.kind, s.required) for s in new.sections] == [
        (s.key, s.level, s.number, s.heading, s.kind, s.required) for s in old.sections]
    assert all(s.body == "" for s in new.sections)
    assert [(t.title, [i.title for i in t.items]) for t in new.tasks] == [
        (t.title, [i.title for i in t.items]) for t in old.tasks]
    assert all(t.body == "" and all(i.body == "" for i in t.items) for t in new.tasks)
    total = new.budget_total_row
    assert (total.budget_total, total.executed) == (None, None)
    assert (total.prior_budget_total, total.prior_executed) == (Decimal("19910.75"), Decimal("19738.24"))
    [p] = new.projects
    assert (p.name, p.budget_total, p.prior_budget_total, p.prior_executed) == (
        "疫情防控项目", None, Decimal("1802.25"), Decimal("1802.25"))
    assert len(new.indicators) == len(old.indicators) == 13
    for n, o in zip(new.indicators, old.indicators, strict=True):
        assert (n.level1, n.level2, n.level3, n.direction, n.target, n.unit, n.points) == (
            o.level1, o.level2, o.level3, o.direction, o.target, o.unit, o.points)
        assert n.actual == "" and n.prior_actual == o.actual and n.reason == ""
    assert new.explanations == {}
    assert new.signoff.head == "张三" and new.signoff.issue_date == ""


def test_next_year_survives_the_file_and_content_round_trip(tmp_path):
    new = next_year(example_report())
    assert to_content(from_content(to_content(new))) == to_content(new)
    path = create_report_file(tmp_path / "2023.sqlite", new)
    with open_report_file(path, read_only=True) as rf:
        assert rf.report.year == 2023
        assert rf.report.budget_total_row.prior_budget_total == Decimal("19910.75")
        assert rf.report.indicators[0].prior_actual == "310297"


def test_title_without_the_year_falls_back_to_the_default():
    old = replace(example_report(), title="自评报告")
    assert next_year(old).title == ""
    assert next_year(old).display_title.startswith("2023年度")


def _prior_findings(report, settings=DEFAULT_SETTINGS):
    return [f for f in check(report, settings).findings if f.rule.startswith("prior_year")]


def test_prior_year_rule_flags_swings_above_the_setting_only():
    new = next_year(example_report())
    assert _prior_findings(new) == []  # nothing entered yet: nothing to compare
    total = new.budget_total_row
    total.budget_total, total.executed = Decimal("21000"), Decimal("12000")  # +5.47 %, −39.2 %
    found = _prior_findings(new)
    assert [f.key for f in found] == ["prior_year.swing@budget:total/executed"]
    assert "减少 39.20%" in found[0].message and "超过 30%" in found[0].message
    assert found[0].where.table == "budget_rows" and found[0].where.column == "executed"
    # The threshold is a setting.
    loose = replace(DEFAULT_SETTINGS, prior_swing=Decimal(50))
    assert _prior_findings(new, loose) == []
    strict = replace(DEFAULT_SETTINGS, prior_swing=Decimal(5))
    assert {f.key for f in _prior_findings(new, strict)} == {
        "prior_year.swing@budget:total/budget_total", "prior_year.swing@budget:total/executed"}


def test_prior_year_rule_on_projects_indicators_and_a_zero_last_year():
    new = next_year(example_report())
    new.projects[0].budget_total = Decimal("500")
    by_name = {i.level3: i for i in new.indicators}
    by_name["政务服务事项办结率"].actual = "60"  # 99.7 → 60
    by_name["违法建设清拆面积"].actual = "300000"  # −3.3 %: fine
    new.budget_total_row.prior_executed = Decimal(0)
    new.budget_total_row.executed = Decimal(100)
    keys = {f.key for f in _prior_findings(new)}
    assert keys == {"prior_year.swing@project:疫情防控项目/budget_total",
                    "prior_year.swing@indicator:政务服务事项办结率",
                    "prior_year.from_zero@budget:total/executed"}


def test_next_year_keeps_the_template_and_the_edited_outline(tmp_path) -> None:
    from nanzhou_desktop.model import CoverField, Unit
    from nanzhou_desktop.next_year import next_year
    from nanzhou_desktop.store import outline as ops
    from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
    from nanzhou_desktop.template import load_template

    t = load_template("guangdong_county_2021")
    r = t.new_report("0" * 32, Unit("某镇人民政府", "某镇"), 2022)
    r.preface = "根据2022年的通知……"
    for c in r.cover:
        c.value = {"year": "2022", "date": "2023-03-10"}.get(c.kind, "某镇人民政府")
    path = create_report_file(tmp_path / "a.sqlite", r)
    with open_report_file(path) as rf:
        ops.add_section(rf, "1", "辖区概况", index=0)
        ops.set_required(rf, "8", True)
        nxt = next_year(rf.report)
        outline = [(s.key, s.level, s.number, s.heading, s.required) for s in rf.report.sections]
    assert nxt.year == 2023 and nxt.template_id == "guangdong_county_2021" and nxt.template == t.data
    assert [(s.key, s.level, s.number, s.heading, s.required) for s in nxt.sections] == outline
    assert nxt.sections[1].heading == "辖区概况" and all(not s.body for s in nxt.sections)
    assert nxt.preface == ""
    assert [(c.key, c.value) for c in nxt.cover] == [("eval_year", "2023"), ("eval_unit", "某镇人民政府"),
                                                     ("fill_date", "")]
    assert isinstance(nxt.cover[0], CoverField)
