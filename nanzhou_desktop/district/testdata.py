"""Realistic report files for the 18 streets of 海珠区, made from the built-in example.

For tests, benchmarks and demonstrations of the district side.  Each street gets its own
unit names and code, its own budget (scaled from 南洲's) and execution rate, with the
figures quoted in its narrative rewritten to match.  Most reports are 已定稿 (with the
fingerprint recorded exactly as 定稿 would); a few are drafts with errors (执行数 above
预算数, a narrative figure that does not match the table) and a few are unfinished
(required sections left empty).  Everything is deterministic for a given seed.
"""

from __future__ import annotations

import copy
import random
import uuid as uuidlib
from decimal import Decimal
from pathlib import Path

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Report, Status
from nanzhou_desktop.money import CENT, format_money, format_rate, percent, round_half_up

DISTRICT = "海珠区"
STREETS = ("赤岗", "新港", "昌岗", "江南中", "滨江", "素社", "海幢", "南华西", "龙凤", "沙园", "南石头",
           "凤阳", "瑞宝", "江海", "琶洲", "南洲", "华洲", "官洲")
EXAMPLE_STREET = "南洲"

KIND_FINAL = "final"
KIND_ERRORS = "errors"
KIND_UNFINISHED = "unfinished"


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _replace_all(report: Report, pairs: list[tuple[str, str]]) -> None:
    """Rewrite every narrative and label of ``report`` with ``pairs`` (in order)."""
    def fix(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    report.title = fix(report.title)
    for s in report.sections:
        s.body = fix(s.body)
        s.heading = fix(s.heading)
    for t in report.tasks:
        t.title, t.body = fix(t.title), fix(t.body)
        for i in t.items:
            i.title, i.body = fix(i.title), fix(i.body)
    for p in report.projects:
        p.name, p.reason = fix(p.name), fix(p.reason)
    for b in report.budget:
        b.reason = fix(b.reason)
    for ind in report.indicators:
        ind.note, ind.reason = fix(ind.note), fix(ind.reason)


def street_report(street: str, index: int, rng: random.Random, *, year: int | None = None,
                  kind: str = KIND_FINAL) -> Report:
    """One street's report derived from the example."""
    base = example_report()
    r = copy.deepcopy(base)
    r.uuid = str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
    r.unit.full_name = f"广州市海珠区人民政府{street}街道办事处"
    r.unit.short_name = f"{street}街道"
    r.unit.code = f"440105{index + 1:03d}"
    r.unit.district = DISTRICT
    pairs: list[tuple[str, str]] = []
    if year is not None and year != base.year:
        pairs += [(f"{base.year} 年", f"{year} 年"), (f"{base.year}年", f"{year}年"),
                  (f"{base.year + 1}年", f"{year + 1}年")]
        r.year = year
    if street != EXAMPLE_STREET:
        pairs += [(f"{EXAMPLE_STREET}街道", f"{street}街道"), (f"{EXAMPLE_STREET}街", f"{street}街"),
                  (EXAMPLE_STREET, street)]
    total = r.budget_total_row
    if street != EXAMPLE_STREET or year not in (None, base.year):
        if total is not None and total.budget_total is not None and total.executed is not None:
            scale = Decimal(rng.randint(55, 165)) / 100
            new_total = _money(total.budget_total * scale)
            rate = Decimal(rng.randint(8600, 10000)) / 10000
            new_exec = _money(new_total * rate)
            pairs += _figure_pairs(total.budget_total, total.executed, new_total, new_exec)
            total.budget_total, total.executed = new_total, new_exec
        for p in r.projects:
            if p.budget_total is not None and p.executed is not None:
                new_b = _money(p.budget_total * Decimal(rng.randint(50, 180)) / 100)
                new_e = new_b if p.executed == p.budget_total else _money(new_b * Decimal(rng.randint(9000, 10000)) / 10000)
                pairs += _figure_pairs(p.budget_total, p.executed, new_b, new_e)
                p.budget_total, p.executed = new_b, new_e
    _replace_all(r, pairs)
    if kind == KIND_ERRORS and total is not None and total.budget_total is not None:
        # Two slips a real office makes: 执行数 typed larger than 预算数, and a narrative that
        # still quotes last draft's figure.
        total.executed = _money(total.budget_total * Decimal("1.0350"))
        for s in r.sections:
            if "完成预算的" in s.body:
                s.body = s.body.replace("完成预算的", "完成预算的 8", 1)
                break
    if kind == KIND_UNFINISHED:
        for s in r.sections:
            if s.key.startswith(("3", "4")) or s.key in ("2.4", "1.4"):
                s.body = ""
        r.signoff.head = r.signoff.finance_head = ""
        r.signoff.issue_date = ""
    if kind != KIND_UNFINISHED:
        _sign(r, index, rng)
    if kind == KIND_FINAL:
        _settle_warnings(r)
        r.status = Status.FINAL
        r.final_fingerprint = fingerprint(r)
    else:
        r.status = Status.DRAFT
        r.final_fingerprint = ""
    return r


_SURNAMES = "陈李黄张梁刘何林罗郑谢冯邓吴"
_GIVEN = ("志明", "秀英", "伟强", "丽华", "建国", "晓燕", "国华", "美玲", "振宇", "慧敏", "少华", "嘉欣")


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _sign(r: Report, index: int, rng: random.Random) -> None:
    """签章信息 as an office fills it before 定稿."""
    s = r.signoff
    s.head, s.finance_head, s.preparer = _person(rng), _person(rng), _person(rng)
    s.phone_office = f"020-8{rng.randint(1000000, 9999999)}"
    s.phone_mobile = f"13{rng.randint(100000000, 999999999)}"
    s.fill_date = f"{r.year + 1}-03-{10 + index % 15:02d}"
    s.issue_date = s.fill_date


def _settle_warnings(r: Report) -> None:
    """What an office does before 定稿: a 偏差原因 for each indicator that fell short, and an
    出错说明 for any other 警告 (so the file is one the office program would let through)."""
    try:
        from nanzhou_desktop.rules import check
        from nanzhou_desktop.rules.findings import Severity
    except ImportError:  # pragma: no cover - the rules engine is part of the product
        return
    from nanzhou_desktop.model import Explanation

    for f in check(r).findings:
        if f.severity != Severity.WARNING or f.explained:
            continue
        if f.rule == "indicator.shortfall" and f.key.startswith(f.rule + "@indicator:"):
            name = f.key.split("@indicator:", 1)[1]
            for ind in r.indicators:
                if ind.level3 == name and not ind.reason:
                    ind.reason = "受年度内政策调整和客观条件影响未能全部完成，已列入下一年度重点工作，按月跟踪推进。"
        r.explanations[f.key] = Explanation(f.key, "经核对原始台账，数据和表述无误，特此说明。", "填报人")


def _figure_pairs(old_b: Decimal, old_e: Decimal, new_b: Decimal, new_e: Decimal) -> list[tuple[str, str]]:
    old_rate, new_rate = percent(old_e, old_b), percent(new_e, new_b)
    pairs = [(format_money(old_b), format_money(new_b)), (format_money(old_e), format_money(new_e))]
    if old_rate is not None and new_rate is not None:
        pairs.append((format_rate(old_rate), format_rate(new_rate)))
        if old_rate == 100 and new_rate != 100:  # printed as "100%" in the example
            pairs.append(("完成预算的 100%", f"完成预算的 {round_half_up(new_rate, 2)}%"))
    if old_b == old_e:  # the same string: one replacement covers both
        pairs = pairs[:1] + pairs[2:]
    return pairs


def street_kinds(seed: int) -> dict[str, str]:
    """Which streets are drafts with errors and which are unfinished (南洲 is always final)."""
    rng = random.Random(seed * 7919 + 1)
    others = [s for s in STREETS if s != EXAMPLE_STREET]
    picked = rng.sample(others, 5)
    kinds = {s: KIND_FINAL for s in STREETS}
    for s in picked[:2]:
        kinds[s] = KIND_ERRORS
    for s in picked[2:]:
        kinds[s] = KIND_UNFINISHED
    return kinds


def street_reports(seed: int = 2022, *, year: int | None = None) -> list[Report]:
    """The 18 streets' reports for ``year`` (the example's year by default)."""
    rng = random.Random(seed)
    kinds = street_kinds(seed)
    return [street_report(s, i, rng, year=year, kind=kinds[s]) for i, s in enumerate(STREETS)]


def write_street_files(out_dir: str | Path, seed: int = 2022, *, year: int | None = None) -> list[Path]:
    """Write the 18 files as the district receives them (export names), return their paths."""
    from nanzhou_desktop.exchange.export import export_file_name
    from nanzhou_desktop.store.reportfile import create_report_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [_write(create_report_file, out / export_file_name(r), r) for r in street_reports(seed, year=year)]


def _write(create, path: Path, report: Report) -> Path:  # noqa: ANN001 - store.reportfile.create_report_file
    """Generated test data replaces its own earlier output (final reports, which the store
    never overwrites: they are removed first)."""
    path.unlink(missing_ok=True)
    return create(path, report)


def write_many(out_dir: str | Path, count: int, seed: int = 2022) -> list[Path]:
    """``count`` distinct report files (the 18 streets over successive years), for benchmarks."""
    from nanzhou_desktop.exchange.export import export_file_name
    from nanzhou_desktop.store.reportfile import create_report_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    year = 2022
    while len(paths) < count:
        for r in street_reports(seed + year, year=year):
            if len(paths) == count:
                break
            paths.append(_write(create_report_file, out / export_file_name(r), r))
        year -= 1
    return paths
