"""Issue 16 F1, F3, F5: crafted report files against the office reader (show, check, print, the
window's 打开), and every entry point against the same limits.

Each hostile file is made by a script (``tests.fuzzing.craft``) from the example, with plain SQL
as anyone with sqlite3 can.  Before this, the office reader accepted a 50 MB paragraph, 100,000
budget rows, NUL and C0 characters, revision 0 and year 99999999999, and a rate of 10²⁸ % broke
show, check and print with "意外错误（InvalidOperation…）".
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanzhou_desktop import limits
from nanzhou_desktop.example import example_report
from nanzhou_desktop.rules import check
from nanzhou_desktop.store.errors import EditError, ReportFileError
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from tests.cli.test_report_files_cli import cli
from tests.fuzzing import HOSTILE_VALUES, ODD_BUT_ALLOWED, craft

CJK = re.compile(r"[\u4e00-\u9fff]")


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("what", "sql"), HOSTILE_VALUES, ids=[w for w, _ in HOSTILE_VALUES])
def test_hostile_values_are_refused_in_chinese_and_the_file_is_untouched(tmp_path, example_path, what, sql):
    bad = craft(example_path, tmp_path / "来件.sqlite", sql)
    before = _sha(bad)
    for read_only in (True, False):
        with pytest.raises(ReportFileError) as err:
            open_report_file(bad, read_only=read_only)
        message = str(err.value)
        assert CJK.search(message) and "来件.sqlite" in message, (what, message)
        assert "Error" not in message and "意外" not in message, (what, message)
    assert _sha(bad) == before
    assert not (tmp_path / "来件.sqlite.lock").exists()


@pytest.mark.parametrize("what", ["tiny budget, huge execution", "revision 0", "year 99999999999", "NUL in a name",
                                  "100,000 budget rows", "50 MB paragraph", "noncharacter in a name"])
def test_show_check_print_refuse_the_issues_files_with_one_sentence(tmp_path, example_path, what):
    sql = dict(HOSTILE_VALUES)[what]
    bad = craft(example_path, tmp_path / "来件.sqlite", sql)
    for args in (("show", str(bad)), ("check", str(bad)), ("print", str(bad), "-o", str(tmp_path / "x.pdf"))):
        r = cli(*args, check_rc=None)
        assert r.returncode == 3, (what, args, r.stderr)
        assert "来件.sqlite" in r.stderr and "意外错误" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("what", "sql"), ODD_BUT_ALLOWED, ids=[w for w, _ in ODD_BUT_ALLOWED])
def test_odd_but_allowed_values_survive_show_check_and_print(tmp_path, example_path, what, sql):
    odd = craft(example_path, tmp_path / "odd.sqlite", sql)
    for args in (("show", str(odd)), ("check", str(odd), "--json")):
        r = cli(*args, check_rc=None)
        assert r.returncode in (0, 1), (what, args, r.stderr)  # 1: the check found errors
        assert "意外错误" not in r.stderr
    r = cli("print", str(odd), "-o", str(tmp_path / "odd.pdf"), check_rc=None)
    assert "意外错误" not in r.stderr and "Traceback" not in r.stderr, (what, r.stderr)


def test_the_largest_amounts_give_a_rate_that_is_shown(tmp_path, example_path):
    """F1: the rate of the largest allowed figures is computed and printed, not an error."""
    odd = craft(example_path, tmp_path / "odd.sqlite", dict(ODD_BUT_ALLOWED)["largest amounts, smallest budget"])
    show = cli("show", str(odd)).stdout
    assert "执行率 9999999999999999900.00%" in show


def test_the_window_says_why_it_cannot_open_a_hostile_file(qtbot, tmp_path, example_path, monkeypatch):
    pytest.importorskip("PySide6")
    from nanzhou_desktop.gui import dialogs
    from nanzhou_desktop.gui.app import AppSettings
    from nanzhou_desktop.gui.main_window import MainWindow

    monkeypatch.setenv("NANZHOU_HOME", str(tmp_path / "home"))
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: shown.append(text))
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    for what in ("tiny budget, huge execution", "year 99999999999", "noncharacter in a name"):
        bad = craft(example_path, tmp_path / f"{len(shown)}.sqlite", dict(HOSTILE_VALUES)[what])
        assert not w.open_file(bad)
        assert shown and CJK.search(shown[-1]) and "意外" not in shown[-1], (what, shown)


# -- entry points: the same limits where things are typed or made ---------------------------------------
@pytest.mark.parametrize(("table", "column", "value", "why"), [
    ("budget_rows", "executed", "9999999999999999.99", "超过 15 位"),
    ("budget_rows", "budget_total", "0.0000000001", "小数超过"),
    ("indicators", "target", "0.0000000001", "小数超过"),
    ("indicators", "actual", "99999999999999999999", "超过 15 位"),
    ("indicators", "points", "1001", "超过 1000 分"),
    ("indicators", "points", "6.123456", "小数超过"),
    ("report", "unit_short_name", "南洲\uffff", "非字符（U+FFFF）"),
    ("report", "unit_short_name", "\u202e道街洲南", "改变文字方向"),
    ("report", "head", "张\n三", "只能写一行"),
    ("report", "unit_full_name", "南" * 1001, "过长"),
    ("sections", "body", "正文\ufdd0", "非字符（U+FDD0）"),
    ("sections", "body", "正文\x00", "控制字符（U+0000）"),
    ("projects", "name", "项目\ud800", "代理码点"),
])
def test_typed_values_outside_the_limits_are_refused_where_typed(example_file, table, column, value, why):
    rf = example_file
    row = None if table == "report" else rf.report.rows(table)[0].id
    if table == "indicators" and column in ("target", "actual"):
        row = next(i.id for i in rf.report.indicators if i.direction.value != "定性")
    with pytest.raises(EditError, match=re.escape(why)):
        rf.set_field(table, row, column, value)


def test_cli_set_refuses_in_chinese(example_path):
    r = cli("set", str(example_path), "单位负责人", "张\x01三", check_rc=None)
    assert r.returncode == 3 and "控制字符（U+0001）" in r.stderr


def test_rows_beyond_the_limit_cannot_be_added(example_file, monkeypatch):
    monkeypatch.setitem(limits.ROWS_MAX, "projects", len(example_file.report.projects))
    with pytest.raises(EditError, match="达到上限"):
        example_file.add_project("又一个项目")


def test_a_report_outside_the_limits_is_not_made(tmp_path):
    r = example_report()
    r.budget[0].executed = Decimal("9999999999999999.99")
    with pytest.raises(ReportFileError, match="全年执行数.*超过 15 位"):
        create_report_file(tmp_path / "x.sqlite", r)
    assert list(tmp_path.iterdir()) == []


# -- every computation survives any value ----------------------------------------------------------
any_decimal = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False))
numberish = st.one_of(st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
                      st.text(max_size=30))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(any_decimal, any_decimal, any_decimal, any_decimal, numberish, numberish, any_decimal, any_decimal)
def test_rules_and_summaries_survive_any_model_value(b, e, pb, pe, target, actual, points, share):
    """Whatever values reach the model (a reader's bug, a future entry point), the rules, the
    score and the summaries compute without InvalidOperation or Overflow."""
    from nanzhou_desktop.commands.check import _summary_lines, result_dict
    from nanzhou_desktop.money import format_money, format_rate

    r = example_report()
    total = r.budget_total_row
    total.budget_total, total.executed, total.prior_budget_total, total.prior_executed = b, e, pb, pe
    r.projects[0].budget_total, r.projects[0].executed = e, b
    ind = r.indicators[0]
    ind.target, ind.actual, ind.points = target, actual, points
    r.indicators[1].qual_share = share
    result = check(r)
    result_dict(result, r)
    _summary_lines(result)
    format_money(e)
    format_rate(result.score.budget_rate)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2),
       st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2))
def test_any_allowed_amounts_are_accepted_and_checked(example_path, budget, executed):
    with open_report_file(example_path) as rf:
        total = rf.report.budget_total_row
        rf.set_field("budget_rows", total.id, "budget_total", str(budget))
        rf.set_field("budget_rows", total.id, "executed", str(executed))
    with open_report_file(example_path, read_only=True) as rf:
        check(rf.report)
