"""Every threshold and weight the rules and the score use, with its documented default.

Rules read these values and never carry a literal threshold of their own; ``docs/rules.md``
lists each setting beside the rules that use it.  Values marked [unconfirmed] in
``domain.md`` are defaults here, editable by a unit or a district.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal


@dataclass(frozen=True)
class Settings:
    """检查与评分设置.  All amounts are :class:`Decimal`; percentages are in percent (90 = 90 %)."""

    # The score's weights, 定性 bands and grades are not settings: they are the report's own
    # 评分办法 (``report.template.scheme``), copied from its template when it was made.

    # -- budget (预算执行) --------------------------------------------------------------
    rate_low: Decimal = D(90)  # 执行率 below this (percent) needs a reason
    rate_high: Decimal = D(100)  # 执行率 above this (percent) needs a reason (allowed, score capped)
    rate_places: int = 2  # rates shown with this many decimals, rounded half up
    budget_reason_limit: int = 100  # 偏差原因 of the budget block, characters (one printed form's limit)
    prior_swing: Decimal = D(30)  # change against the prior year above this (percent) is noted (issue 7)
    # 执行数合理性：全年执行数超过全年预算数的这个倍数，多半是多输入了数字（警告，填写偏差原因不能消除）.
    # Budget rows and key projects; 执行率 above 100 % but within it is only the rate_high reason.
    executed_ratio_max: Decimal = D(2)
    # 金额合理性：一项金额超过此数（万元）多半是多输入了数字或把“元”填成了“万元”（警告）.  1 万亿元:
    # far above any unit's budget (a street spends about 1 亿元, a province's largest departments
    # some 1,000 亿元), far below the hard limit the store refuses (limits.AMOUNT_MAX, 10¹² 万元).
    amount_max_plausible: Decimal = D(100_000_000)

    # -- plausibility of indicator values (指标值合理性) ---------------------------------------
    # 度量单位为“%”的指标：实际完成值应在此范围内（百分数），超出即警告“请核对”.  Not applied below
    # the minimum for a change indicator (name with one of change_indicator_words, or a negative
    # 年度指标值); the range does not apply when the 年度指标值 itself lies outside it.
    percent_actual_min: Decimal = D(0)
    percent_actual_max: Decimal = D(200)
    # 变化类指标的名称用词：增长率、下降率等可以为负数（表示反向变化），不按“低于 0%”提醒.
    change_indicator_words: tuple[str, ...] = ("增长", "增幅", "增速", "增加", "下降", "降幅", "降低", "减少",
                                               "变化", "变动", "同比", "环比", "提高", "提升")
    # 非百分数指标：实际完成值超过年度指标值的这个倍数，多半是多输入了数字（警告）.
    actual_ratio_max: Decimal = D(10)

    # -- length (表格文字) ---------------------------------------------------------------
    text_limit: int = 200  # 评价结论 / 存在问题 / 改进措施 / 偏差原因 in the table, characters
    # Which sections' own text fills a cell of the table is the template's (table.text_cells).

    # -- completeness (填报完成度) --------------------------------------------------------
    # Sign-off fields required before 定稿; "phone" means office or mobile.
    required_signoff: tuple[str, ...] = ("head", "finance_head", "preparer", "phone", "fill_date", "issue_date")
    require_unit_code: bool = False  # 单位编码 (some districts do not issue codes)

    # -- figures in the narrative (正文数字) ------------------------------------------------
    # A stated rate agrees with its figures when it differs from the recomputed rate by at most
    # this many units of its last stated digit (0.5 = it is the rounded value).
    rate_claim_tolerance: Decimal = D("0.5")
    rate_claim_tolerance_approx: Decimal = D(1)  # the same when the text says 约
    text_rate_note_above: Decimal = D(100)  # a rate in the text above this (percent) gets a 提示
    amount_tolerance: Decimal = D("0.005")  # 万元: a repeated amount agrees with the table within this
    claim_window: int = 60  # characters before a rate searched for its numerator and denominator

    # -- dates --------------------------------------------------------------------------
    issue_date_months_max: int = 12  # 成文日期 later than this many months after the year end is noted


DEFAULT_SETTINGS = Settings()
