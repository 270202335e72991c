"""预算执行 and 重点项目: rates, reasons, 其中 rows adding up, impossible or implausible amounts."""

from __future__ import annotations

from decimal import Decimal

from nanzhou_desktop.model import BudgetKind, BudgetRow, FieldRef, Project, SectionKind
from nanzhou_desktop.money import format_money
from nanzhou_desktop.rules.base import ERROR, WARNING, Collector, money, pct, plain, rate, section_key_of, times
from nanzhou_desktop.rules.scoring import execution_rate

ZERO = Decimal(0)
AMOUNT_COLUMNS = (("budget_initial", "年初预算数"), ("budget_total", "全年预算数"), ("executed", "全年执行数"),
                  ("prior_budget_total", "上年全年预算数"), ("prior_executed", "上年全年执行数"))
KIND_TARGET = {BudgetKind.TOTAL: "total", BudgetKind.BASIC: "basic", BudgetKind.PROJECT: "project"}


def budget_target(row: BudgetRow) -> str:
    """Semantic target of a budget row: ``budget:total`` / ``budget:basic`` / ``budget:project`` /
    ``budget:other/<label>``."""
    if row.kind in KIND_TARGET:
        return f"budget:{KIND_TARGET[row.kind]}"
    return f"budget:other/{row.label.strip()}"


def row_label(row: BudgetRow) -> str:
    return row.label.strip() or {"total": "年度资金总额", "basic": "基本支出", "project": "项目支出"}.get(
        str(row.kind), "其他资金")


def _rate_reason(c: Collector, what: str, rate_value: Decimal, reason: str, where: FieldRef, target: str,
                 rule_prefix: str) -> None:
    """执行率 outside [rate_low, rate_high] needs a 偏差原因 (or an 出错说明 on the 警告)."""
    s = c.settings
    if reason.strip():
        return
    shown = rate(rate_value, s)
    if rate_value < s.rate_low:
        c.add(f"{rule_prefix}.rate_low", WARNING,
              f"{what}执行率为 {shown}，低于 {pct(s.rate_low)}，需要填写偏差原因",
              where, target, seen=shown, expected=f"≥ {pct(s.rate_low)}，或写明原因",
              suggestion="在“偏差原因”中说明未执行完的原因")
    elif rate_value > s.rate_high:
        c.add(f"{rule_prefix}.rate_high", WARNING,
              f"{what}执行率为 {shown}，超过 {pct(s.rate_high)}，需要填写偏差原因（得分按 {pct(s.rate_high)} 计）",
              where, target, seen=shown, expected=f"≤ {pct(s.rate_high)}，或写明原因",
              suggestion="在“偏差原因”中说明超支出的原因")


def _implausible(c: Collector, what: str, obj: BudgetRow | Project, where: FieldRef, target: str,
                 rule_prefix: str, labels: tuple[str, str]) -> None:
    """执行数 many times the 预算数 is almost certainly a typing slip (extra digits), not spending
    above the budget: a 警告 that a 偏差原因 does not clear (only a corrected figure or an 出错说明)."""
    limit = c.settings.executed_ratio_max
    budget, executed = obj.budget_total, obj.executed
    if budget is None or executed is None or budget <= 0 or executed <= limit * budget:
        return
    budget_label, executed_label = labels
    ratio = times(executed / budget)
    factor = plain(limit)
    c.add(f"{rule_prefix}.executed_implausible", WARNING,
          f"{what}的{executed_label} {money(executed)}，是{budget_label} {money(budget)}的 {ratio} 倍，"
          f"超过 {factor} 倍，请核对是否多输入了数字",
          where, target, seen=f"{ratio} 倍", expected=f"≤ {factor} 倍",
          suggestion=f"核对并改正{executed_label}或{budget_label}；确认无误时请填写出错说明（填写偏差原因不能消除此警告）")


def _yuan(wan: Decimal) -> str:
    """万元 as people say a large sum: 100,000,000 万元 → 1 万亿元."""
    if wan >= 100_000_000:
        return f"{plain(wan / 100_000_000)} 万亿元"
    if wan >= 10_000:
        return f"{plain(wan / 10_000)} 亿元"
    return f"{plain(wan)} 万元"


def _amounts(c: Collector, what: str, obj: BudgetRow | Project, table: str, skey: str, target: str,
             rule_prefix: str) -> bool:
    """Negative amounts and execution without a budget are errors; returns True when the row is sound."""
    ok = True
    limit = c.settings.amount_max_plausible
    for col, label in AMOUNT_COLUMNS:
        value = getattr(obj, col, None)
        if value is not None and value > limit:
            # Accepted (below the store's hard limit) but not a real figure: an extra digit, or
            # 元 typed where 万元 is asked.  A 偏差原因 does not clear it.
            c.add(f"{rule_prefix}.amount_implausible", WARNING,
                  f"{what}的{label} {money(value)}，超过 {money(limit)}（{_yuan(limit)}），"
                  "请核对是否多输入了数字，或把“元”填成了“万元”",
                  FieldRef(table, obj.id, col, skey), f"{target}/{col}/amount", seen=money(value),
                  expected=f"≤ {money(limit)}",
                  suggestion="金额以万元为单位：1,234,567 元应填 123.46；确认无误时请填写出错说明")
        if value is not None and value < 0:
            ok = False
            c.add(f"{rule_prefix}.negative", ERROR, f"{what}的{label}为负数（{format_money(value)} 万元），金额不能为负",
                  FieldRef(table, obj.id, col, skey), f"{target}/{col}", seen=format_money(value), expected="≥ 0")
    if obj.executed is not None and obj.executed > 0 and not obj.budget_total:
        ok = False
        c.add(f"{rule_prefix}.executed_without_budget", ERROR,
              f"{what}有执行数 {money(obj.executed)}，但全年预算数为{'空' if obj.budget_total is None else '零'}，"
              "没有预算不能有执行", FieldRef(table, obj.id, "budget_total", skey), target,
              seen=money(obj.budget_total), expected="填写全年预算数")
    return ok


def check_budget(c: Collector) -> None:
    r = c.report
    s = c.settings
    skey = section_key_of(r, SectionKind.BUDGET)
    total = r.budget_total_row
    for row in r.budget:
        what = f"预算执行情况“{row_label(row)}”"
        target = budget_target(row)
        sound = _amounts(c, what, row, "budget_rows", skey, target, "budget")
        rv = execution_rate(row.budget_total, row.executed)
        if sound and rv is not None and row.kind == BudgetKind.TOTAL:
            _rate_reason(c, what, rv, row.reason, FieldRef("budget_rows", row.id, "reason", skey), target, "budget")
        if sound:
            _implausible(c, what, row, FieldRef("budget_rows", row.id, "executed", skey), target, "budget",
                         ("全年预算数", "全年执行数"))
        if (row.budget_initial is not None and row.budget_total is not None
                and row.budget_initial != row.budget_total and not row.reason.strip()):
            c.add("budget.adjusted", WARNING,
                  f"{what}的年初预算数 {money(row.budget_initial)} 与全年预算数 {money(row.budget_total)} 不同，"
                  "需要说明年中预算调整的原因", FieldRef("budget_rows", row.id, "reason", skey), target,
                  seen=f"{format_money(row.budget_initial)} → {format_money(row.budget_total)}",
                  expected="写明调整原因", suggestion="在“偏差原因”中说明追加或调减预算的原因")
        if len(row.reason) > s.budget_reason_limit:
            c.add("length.budget_reason", WARNING,
                  f"{what}的偏差原因有 {len(row.reason)} 字，超过表格限制的 {s.budget_reason_limit} 字",
                  FieldRef("budget_rows", row.id, "reason", skey), target,
                  seen=f"{len(row.reason)} 字", expected=f"≤ {s.budget_reason_limit} 字")

    if total is None:
        return
    # 其中 rows: 基本支出 + 项目支出 is one split of the total, 其他 rows (财政拨款 / 上年结转 / 其他资金)
    # another; each split present must add up to the total.
    splits = (("基本支出与项目支出", [b for b in r.budget if b.kind in (BudgetKind.BASIC, BudgetKind.PROJECT)]),
              ("其他资金来源各行", [b for b in r.budget if b.kind == BudgetKind.OTHER]))
    for split_name, rows in splits:
        if not rows:
            continue
        for col, label in AMOUNT_COLUMNS[:3]:
            tv = getattr(total, col)
            values = [getattr(b, col) for b in rows]
            if tv is None or all(v is None for v in values):
                continue
            got = sum((v or ZERO for v in values), ZERO)
            if got != tv:
                parts = " + ".join(format_money(v or ZERO) for v in values)
                c.add("budget.sum_mismatch", ERROR,
                      f"其中{split_name}的{label}合计 {money(got)}（{parts}），与年度资金总额的 {money(tv)} 不符，"
                      f"相差 {format_money(got - tv)} 万元",
                      FieldRef("budget_rows", total.id, col, skey), f"budget:total/{col}/{split_name}",
                      seen=money(got), expected=money(tv))


def check_projects(c: Collector) -> None:
    r = c.report
    skey = section_key_of(r, SectionKind.PROJECTS)
    for pi, p in enumerate(r.projects, 1):
        name = p.name.strip() or f"第 {pi} 个重点项目"
        what = f"重点项目“{name}”"
        target = f"project:{name}"
        sound = _amounts(c, what, p, "projects", skey, target, "project")
        rv = execution_rate(p.budget_total, p.executed)
        if sound and rv is not None:
            _rate_reason(c, what, rv, p.reason, FieldRef("projects", p.id, "reason", skey), target, "project")
        if sound:
            _implausible(c, what, p, FieldRef("projects", p.id, "executed", skey), target, "project",
                         ("预算数", "执行数"))
    total = r.budget_total_row
    budgets = [p.budget_total for p in r.projects if p.budget_total is not None]
    if total is None or total.budget_total is None or not budgets:
        return
    got = sum(budgets, ZERO)
    if got > total.budget_total:
        c.add("project.exceeds_total", ERROR,
              f"重点项目预算数合计 {money(got)}，超过了年度资金总额的全年预算数 {money(total.budget_total)}",
              FieldRef("projects", r.projects[0].id, "budget_total", skey), "budget:total/projects",
              seen=money(got), expected=f"≤ {money(total.budget_total)}")
