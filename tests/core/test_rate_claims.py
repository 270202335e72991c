"""A rate claim is checked wherever it stands (issue 15, item 10).

"2023年，江海街道全年预算执行率99%……" in 二（一） gave no finding while the table said 95.58 %.
A sentence claiming the whole budget's 执行率 (or a key project's), with or without its amounts,
is compared with the tables in every text field: section bodies, work tasks and their 小项.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import FieldRef, Report
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.narrative import paragraph_fields

MISMATCH = ("narrative.budget_mismatch", "narrative.project_mismatch")
EXAMPLE = example_report()
TOTAL_RATE = EXAMPLE.budget_total_row.executed * 100 / EXAMPLE.budget_total_row.budget_total  # 99.13…
PROJECT = EXAMPLE.projects[0]  # 疫情防控项目, 100 %
PROJECT_RATE = PROJECT.executed * 100 / PROJECT.budget_total
FIELDS = [ref for ref, _text, _place in paragraph_fields(EXAMPLE)]

# How reports say it: the whole budget's rate, alone or after its amounts, and a project's.
TOTAL_CLAIMS = (
    "{year}年，{unit}全年预算执行率{p}%。",
    "部门整体预算执行率为{p}%。",
    "全年预算执行率达到{p}%，较好完成了年度目标。",
    "资金执行率{p}%。",
    "完成全年预算的{p}%。",
    "全年预算数19,910.75万元，执行数19,738.24万元，完成预算的{p}%。",
)
PROJECT_CLAIMS = (
    "{project}执行率为{p}%。",
    "{project}预算执行率{p}%。",
    "{core}项目资金执行率达{p}%。",
)


def _with_sentence(report: Report, ref: FieldRef, sentence: str, at_end: bool) -> Report:
    """``sentence`` as a paragraph of its own at the start or end of the field ``ref``."""
    table = {"sections": report.sections, "tasks": report.tasks,
             "task_items": [i for t in report.tasks for i in t.items]}[ref.table]
    obj = next(o for o in table if o.id == ref.row)
    body = obj.body.rstrip("\n")
    obj.body = (body + "\n" + sentence) if at_end and body else (sentence + ("\n" + body if body else ""))
    return report


def _rates(exact: Decimal) -> st.SearchStrategy[str]:
    """A rate as written (0–2 decimals) that does not agree with ``exact`` to its precision."""
    def written(value: Decimal, places: int) -> str:
        return f"{value:.{places}f}"

    def wrong(text: str) -> bool:
        places = len(text.split(".")[1]) if "." in text else 0
        return abs(Decimal(text) - exact) > Decimal("0.5") * Decimal(1).scaleb(-places)

    return st.builds(written, st.decimals(min_value=0, max_value=150, places=2, allow_nan=False),
                     st.integers(0, 2)).filter(wrong)


def _mismatches(report: Report, ref: FieldRef) -> list:
    return [f for f in check(report).findings
            if f.rule in MISMATCH and f.where.table == ref.table and f.where.row == ref.row]


@given(field=st.sampled_from(FIELDS), template=st.sampled_from(TOTAL_CLAIMS), p=_rates(TOTAL_RATE),
       at_end=st.booleans())
def test_a_wrong_whole_budget_rate_is_found_in_any_text_field(field, template, p, at_end):
    report = _with_sentence(example_report(), field, template.format(
        year=EXAMPLE.year, unit=EXAMPLE.unit.short_name, p=p), at_end)
    found = _mismatches(report, field)
    assert found, (field, template, p)
    assert any(f"{p}%" in (f.seen or "") for f in found)


@given(field=st.sampled_from(FIELDS), template=st.sampled_from(PROJECT_CLAIMS), p=_rates(PROJECT_RATE),
       at_end=st.booleans())
def test_a_wrong_project_rate_is_found_in_any_text_field(field, template, p, at_end):
    sentence = template.format(project=PROJECT.name, core=PROJECT.name.removesuffix("项目"), p=p)
    found = _mismatches(_with_sentence(example_report(), field, sentence, at_end), field)
    assert found and all(f.rule == "narrative.project_mismatch" for f in found), (field, sentence)


@given(field=st.sampled_from(FIELDS), template=st.sampled_from(TOTAL_CLAIMS), places=st.integers(0, 2),
       at_end=st.booleans())
def test_the_right_rate_is_not_flagged(field, template, places, at_end):
    p = f"{TOTAL_RATE:.{places}f}"
    report = _with_sentence(example_report(), field, template.format(
        year=EXAMPLE.year, unit=EXAMPLE.unit.short_name, p=p), at_end)
    assert _mismatches(report, field) == []


def test_the_trial_sentence_in_two_one_and_what_is_not_a_claim_of_this_years_rate():
    r = example_report()
    two_one = r.section("2.1")
    two_one.body = "2022年，南洲街道全年预算执行率97%，较好完成全年任务。\n" + two_one.body
    found = [f for f in check(r).findings if f.rule == "narrative.budget_mismatch"]
    assert [f.where.section_key for f in found] == ["2.1"]
    assert "97%" in found[0].message and "99.13%" in found[0].message
    assert found[0].message.startswith("正文二（一）中的预算执行率 97%")
    for sentence in ("2021年预算执行率95%。", "上年预算执行率为90%。", "预算执行率同比提高5%。",
                     "力争预算执行率达到95%以上。", "预算执行率不低于90%。", "群众满意率98%。"):
        r = example_report()
        r.section("4").body = sentence
        assert [f for f in check(r).findings if f.rule in MISMATCH] == [], sentence
