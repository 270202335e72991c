"""Realistic report files for the district side, made from the built-in example.

For tests, benchmarks and demonstrations.  Two sets:

- the 18 streets of 海珠区 (:func:`street_reports`, :func:`write_street_files`);
- any number of distinct units of a province (:func:`unit_catalogue`, :func:`write_units`),
  from the command line::

      python -m nanzhou_desktop.district.testdata DIR --count N --year Y [--seed S]

  Units come city by city and district by district (广州市海珠区 first, its 18 real streets
  first of all): streets (街道) or towns (镇), the district's departments (部门), then its
  schools and centres, up to ~200 units a district and 20,000 or more in all.  The units
  depend on the seed only, so the same seed with another year gives the same units (names,
  codes, districts) with that year's reports, and years can be loaded one after another.

Each unit gets its own names and code, its own budget (scaled from 南洲's) and execution
rate, with the figures quoted in its narrative rewritten to match.  Most reports are
已定稿 the way the office program finalises one: every 警告 explained (偏差原因 or 出错说明),
no 错误, and an audit trail of 创建, the 出错说明 and a 定稿 entry naming the revision and
fingerprint.  Some are drafts with errors (执行数 above 预算数, a narrative figure that does
not match the table) and some are unfinished (required sections left empty).  Everything,
down to the bytes of each file, is deterministic for a given seed.

Files are written through an in-memory database (the report-file schema built once), not
with :func:`~nanzhou_desktop.store.reportfile.create_report_file`, which fsyncs each file:
20,000 files take minutes instead of most of an hour.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import count as counter
from pathlib import Path

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.model import Explanation, Report, Status
from nanzhou_desktop.money import CENT, format_money, format_rate, percent, round_half_up

DISTRICT = "海珠区"
STREETS = ("赤岗", "新港", "昌岗", "江南中", "滨江", "素社", "海幢", "南华西", "龙凤", "沙园", "南石头",
           "凤阳", "瑞宝", "江海", "琶洲", "南洲", "华洲", "官洲")
EXAMPLE_STREET = "南洲"

KIND_FINAL = "final"
KIND_ERRORS = "errors"
KIND_UNFINISHED = "unfinished"

# The example's own names, as its narrative uses them.
_EXAMPLE_FULL = "广州市海珠区人民政府南洲街道办事处"
_EXAMPLE_CITY = "广州市"
_EXAMPLE_YEAR = 2022


# ------------------------------------------------------------------------ units
@dataclass(frozen=True)
class UnitSpec:
    """One unit: its names as the report's cover carries them, and where it sits."""

    full_name: str
    short_name: str
    stem: str  # the bare name the narrative uses (南洲 in 南洲街、南洲地区)
    code: str
    district: str
    city: str
    kind: str  # 单位类型: 街道 / 镇 / 部门


# 广东: every city with its districts and counties (民政部 2023).  Beyond them, districts with
# made-up names are added to the same cities, so that any count can be served.
_CITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("广州市", ("海珠区", "越秀区", "荔湾区", "天河区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "从化区",
               "增城区")),
    ("深圳市", ("福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "龙华区", "坪山区", "光明区")),
    ("佛山市", ("禅城区", "南海区", "顺德区", "三水区", "高明区")),
    ("珠海市", ("香洲区", "斗门区", "金湾区")),
    ("汕头市", ("龙湖区", "金平区", "濠江区", "潮阳区", "潮南区", "澄海区", "南澳县")),
    ("韶关市", ("浈江区", "武江区", "曲江区", "乐昌市", "南雄市", "始兴县", "仁化县", "翁源县", "新丰县")),
    ("河源市", ("源城区", "东源县", "和平县", "龙川县", "紫金县", "连平县")),
    ("梅州市", ("梅江区", "梅县区", "兴宁市", "平远县", "蕉岭县", "大埔县", "丰顺县", "五华县")),
    ("惠州市", ("惠城区", "惠阳区", "博罗县", "惠东县", "龙门县")),
    ("汕尾市", ("城区", "海丰县", "陆河县", "陆丰市")),
    ("江门市", ("蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市")),
    ("阳江市", ("江城区", "阳东区", "阳西县", "阳春市")),
    ("湛江市", ("赤坎区", "霞山区", "坡头区", "麻章区", "遂溪县", "徐闻县", "廉江市", "雷州市", "吴川市")),
    ("茂名市", ("茂南区", "电白区", "高州市", "化州市", "信宜市")),
    ("肇庆市", ("端州区", "鼎湖区", "高要区", "广宁县", "怀集县", "封开县", "德庆县", "四会市")),
    ("清远市", ("清城区", "清新区", "佛冈县", "阳山县", "英德市", "连州市")),
    ("潮州市", ("湘桥区", "潮安区", "饶平县")),
    ("揭阳市", ("榕城区", "揭东区", "揭西县", "惠来县", "普宁市")),
    ("云浮市", ("云城区", "云安区", "新兴县", "郁南县", "罗定市")),
)
_DEPARTMENTS = (
    "发展和改革局", "教育局", "科技工业商务和信息化局", "公安分局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "文化广电旅游体育局", "卫生健康局", "退役军人事务局",
    "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理和综合执法局", "信访局",
    "政务服务数据管理局", "机关事务管理局", "档案馆", "地方志办公室", "科学技术协会", "妇女联合会", "总工会",
    "残疾人联合会", "红十字会", "工商业联合会", "供销合作联社", "投资促进局", "国有资产监督管理局", "生态环境分局",
    "规划和自然资源分局", "人民政府办公室", "融媒体中心", "疾病预防控制中心",
)
# Characters street, town and school names are made of (two of them, as most are).
_NAME_CHARS = ("东西南北中新城华江河湖山海龙凤金银桥塘沙石岗田林园湾洲岭坑头冈坪埔岗洞角围村涌滘溪浦"
               "安平康宁兴盛昌隆福寿永乐庆丰和顺泰明光德仁礼智信")
_DISTRICT_CHARS = "东西南北中新广云阳清惠宁丰庆和安"


def _two_chars(rng: random.Random, chars: str, taken: set[str]) -> str:
    while True:
        name = rng.choice(chars) + rng.choice(chars)
        if name[0] != name[1] and name not in taken:
            taken.add(name)
            return name


def _districts(seed: int) -> Iterator[tuple[int, str, int, str]]:
    """(city number, city, district number, district), the real ones first, then made-up ones."""
    for ci, (city, districts) in enumerate(_CITIES):
        for di, district in enumerate(districts):
            yield ci, city, di, district
    rng = random.Random(f"districts:{seed}")
    taken = {d for _, ds in _CITIES for d in ds}
    for round_ in counter(1):
        for ci, (city, districts) in enumerate(_CITIES):
            while True:
                name = rng.choice(_DISTRICT_CHARS) + rng.choice(_DISTRICT_CHARS) + "区"
                if name[0] != name[1] and name not in taken:
                    taken.add(name)
                    break
            yield ci, city, len(districts) + round_ - 1, name


def _district_units(seed: int, ci: int, city: str, di: int, district: str) -> list[UnitSpec]:
    rng = random.Random(f"units:{seed}:{city}{district}")
    code = f"44{ci + 1:02d}{di + 1:02d}"
    stem = district.removesuffix("区").removesuffix("县").removesuffix("市") or district
    out: list[UnitSpec] = []
    serial = counter(1)

    def add(full: str, short: str, name_stem: str, kind: str) -> None:
        out.append(UnitSpec(full, short, name_stem, f"{code}{next(serial):04d}", district, city, kind))

    taken: set[str] = set()
    if (city, district) == (_EXAMPLE_CITY, DISTRICT):
        local = [(s, "街道") for s in STREETS]
        taken.update(STREETS)
    else:
        n = rng.randint(8, 24)
        town_share = 0.15 if district.endswith("区") else 0.8  # a county is mostly towns
        local = [(_two_chars(rng, _NAME_CHARS, taken), "镇" if rng.random() < town_share else "街道")
                 for _ in range(n)]
    for name, kind in local:
        if kind == "街道":
            add(f"{city}{district}人民政府{name}街道办事处", f"{name}街道", name, "街道")
        else:
            add(f"{city}{district}{name}镇人民政府", f"{name}镇", name, "镇")
    for dept in _DEPARTMENTS:
        add(f"{city}{district}{dept}", f"{district}{dept}", stem, "部门")
    total = rng.randint(120, 200)
    school = 1
    while len(out) < total:
        if rng.random() < 0.5:
            name = f"第{school}中学" if rng.random() < 0.4 else f"{_two_chars(rng, _NAME_CHARS, taken)}小学"
            school += 1
        else:
            name = f"{_two_chars(rng, _NAME_CHARS, taken)}社区卫生服务中心"
        add(f"{city}{district}{name}", f"{district}{name}", stem, "部门")
    return out


def unit_catalogue(count: int, seed: int = 2022) -> list[UnitSpec]:
    """The first ``count`` units for ``seed`` (a longer list starts with the same units)."""
    out: list[UnitSpec] = []
    for ci, city, di, district in _districts(seed):
        if len(out) >= count:
            break
        out.extend(_district_units(seed, ci, city, di, district))
    return out[:count]


# ------------------------------------------------------------------------ reports
@cache
def _example_content() -> dict:
    from nanzhou_desktop.example import example_content

    return example_content()


def _example() -> Report:
    """A fresh copy of the example (rebuilding it from its content is 6× faster than deepcopy)."""
    from nanzhou_desktop.content import from_content

    return from_content(_example_content())


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _replace_all(report: Report, pairs: list[tuple[str, str]]) -> None:
    """Rewrite every narrative and label of ``report`` with ``pairs`` (in order)."""
    pairs = [(old, new) for old, new in pairs if old != new]
    if not pairs:
        return

    def fix(text: str) -> str:
        for old, new in pairs:
            if old in text:
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


def unit_report(unit: UnitSpec, rng: random.Random, *, year: int | None = None, kind: str = KIND_FINAL,
                index: int = 0) -> Report:
    """One unit's report for ``year``, derived from the example (see the module's docstring)."""
    base = _EXAMPLE_YEAR
    r = _example()
    r.uuid = str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
    r.unit.full_name, r.unit.short_name = unit.full_name, unit.short_name
    r.unit.code, r.unit.district = unit.code, unit.district
    pairs: list[tuple[str, str]] = []
    if year is not None and year != base:
        pairs += [(f"{base} 年", f"{year} 年"), (f"{base}年", f"{year}年"),
                  (f"{base + 1}年", f"{year + 1}年")]
        r.year = year
    is_example = unit.full_name == _EXAMPLE_FULL
    if not is_example:
        organ = unit.full_name.removeprefix(unit.city).removeprefix(unit.district).removeprefix("人民政府")
        pairs += [(_EXAMPLE_FULL, unit.full_name), (f"{EXAMPLE_STREET}街道办事处", organ),
                  (f"{EXAMPLE_STREET}街道", unit.short_name), (f"{EXAMPLE_STREET}街", unit.short_name),
                  (EXAMPLE_STREET, unit.stem), (f"{_EXAMPLE_CITY}{DISTRICT}", f"{unit.city}{unit.district}"),
                  (DISTRICT, unit.district)]
    total = r.budget_total_row
    if not is_example or year not in (None, base):
        if total is not None and total.budget_total is not None and total.executed is not None:
            scale = Decimal(rng.randint(55, 165)) / 100
            if scale == 1:  # the example's own figures would stay, and read as 南洲's
                scale = Decimal("1.01")
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
    if not is_example:
        _vary_indicators(r, rng)
    if kind == KIND_ERRORS and total is not None and total.budget_total is not None:
        # Two slips a real office makes: 执行数 typed larger than 预算数, and a narrative that
        # still quotes last draft's figure.
        total.executed = _money(total.budget_total * Decimal("1.0350"))
        for s in r.sections:
            if "完成预算的" in s.body:
                s.body = s.body.replace("完成预算的", "完成预算的 8", 1)
                break
    if kind == KIND_UNFINISHED:
        # an office not yet done: the last two parts unwritten, and the last sub-section of the
        # others (by the outline's order and levels, whatever its keys)
        tops = r.top_sections()
        blank = [s for top in tops[-2:] for s in r.subtree(top.key)]
        blank += [kids[-1] for top in tops[:-2] if (kids := r.children(top.key))]
        for s in blank:
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


# How well units meet their indicators: most do, some fall short (a spread of grades, as in
# any real district): the share of a rate indicator's target a unit reaches is at least this.
_ACHIEVEMENT_FLOORS = ((0.60, 0.94), (0.85, 0.72), (0.95, 0.45), (1.0, 0.15))


def _vary_indicators(r: Report, rng: random.Random) -> None:
    x = rng.random()
    floor = next(f for limit, f in _ACHIEVEMENT_FLOORS if x < limit)
    for ind in r.indicators:
        if ind.unit.strip() == "%" and ind.target.strip() == "100" and rng.random() < 0.7:
            share = floor + (1 - floor) * rng.random()
            ind.actual = str(round_half_up(Decimal(str(share)) * 100, 1)).removesuffix(".0")


def change_executed(report: Report, executed: Decimal) -> Report:
    """Set 年度资金总额's 全年执行数 and rewrite the figures the narrative quotes to match (what
    an office does when it corrects a figure)."""
    total = report.budget_total_row
    assert total is not None and total.budget_total is not None and total.executed is not None
    _replace_all(report, _figure_pairs(total.budget_total, total.executed, total.budget_total, executed))
    total.executed = executed
    return report


def finalised(report: Report, *, index: int = 0) -> Report:
    """``report`` made final the way an office does it before 定稿: the sign-off filled when it
    is empty, every 警告 answered (偏差原因 or 出错说明), then 已定稿 with its fingerprint."""
    if not report.signoff.head:
        _sign(report, index, random.Random(f"sign:{report.uuid}"))
    _settle_warnings(report)
    report.status = Status.FINAL
    report.final_fingerprint = fingerprint(report)
    return report


def _street_spec(street: str, index: int) -> UnitSpec:
    return UnitSpec(f"{_EXAMPLE_CITY}{DISTRICT}人民政府{street}街道办事处", f"{street}街道", street,
                    f"440105{index + 1:03d}", DISTRICT, _EXAMPLE_CITY, "街道")


def street_report(street: str, index: int, rng: random.Random, *, year: int | None = None,
                  kind: str = KIND_FINAL) -> Report:
    """One 海珠区 street's report derived from the example."""
    return unit_report(_street_spec(street, index), rng, year=year, kind=kind, index=index)


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
    出错说明 for any other 警告, so that the file is one the office program lets through."""
    from nanzhou_desktop.rules import check
    from nanzhou_desktop.rules.findings import Severity

    at = f"{r.signoff.fill_date or r.year + 1}T10:30:00+08:00"
    for f in check(r).findings:
        if f.severity != Severity.WARNING or f.explained:
            continue
        if f.rule == "indicator.shortfall" and f.key.startswith(f.rule + "@indicator:"):
            name = f.key.split("@indicator:", 1)[1]
            for ind in r.indicators:
                if ind.level3 == name and not ind.reason:
                    ind.reason = "受年度内政策调整和客观条件影响未能全部完成，已列入下一年度重点工作，按月跟踪推进。"
        r.explanations[f.key] = Explanation(f.key, "经核对原始台账，数据和表述无误，特此说明。", r.signoff.preparer, at)
    blocking = check(r).blocking
    if blocking:  # a change of the rules that this generator does not follow yet: say so plainly
        raise RuntimeError(f"generated report for {r.unit.full_name} cannot be finalised: {blocking[0].message}")


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


def unit_kind_for(seed: int, year: int, unit: UnitSpec) -> str:
    """final for most units; drafts with errors and unfinished drafts for about one in ten each."""
    x = random.Random(f"kind:{seed}:{year}:{unit.code}").random()
    return KIND_ERRORS if x < 0.08 else KIND_UNFINISHED if x < 0.16 else KIND_FINAL


def year_reports(units: list[UnitSpec], year: int, seed: int = 2022) -> Iterator[Report]:
    for i, unit in enumerate(units):
        rng = random.Random(f"report:{seed}:{year}:{unit.code}")
        yield unit_report(unit, rng, year=year, kind=unit_kind_for(seed, year, unit), index=i)


# ------------------------------------------------------------------------ files
def report_file_bytes(report: Report) -> bytes:
    """The bytes of a report file holding ``report``, with the audit trail the office program
    writes: 创建, each 出错说明, and for a final report the 定稿 entry with its revision and
    fingerprint.  Times are derived from the report's year and dates (deterministic)."""
    from nanzhou_desktop.district.report_image import finalise_entry, report_image

    created = f"{report.year + 1}-01-05T09:00:00+08:00"
    who = report.signoff.preparer or "填报人"
    audit = [(e.at or created, who, "explain", e.finding_key, None, e.text, "") for e in report.explanations.values()]
    if report.status != Status.DRAFT:
        audit.append(finalise_entry(report, f"{report.signoff.fill_date or report.year + 1}T16:00:00+08:00", who))
    return report_image(report, created=created, who=who, audit=audit)


def write_report_file(path: str | Path, report: Report) -> Path:
    """Write ``report`` as :func:`report_file_bytes` under ``path`` (a temporary name first)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(report_file_bytes(report))
    os.replace(tmp, path)
    return path


def write_street_files(out_dir: str | Path, seed: int = 2022, *, year: int | None = None) -> list[Path]:
    """Write the 18 files as the district receives them (export names), return their paths."""
    from nanzhou_desktop.exchange.export import export_file_name

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [write_report_file(out / export_file_name(r), r) for r in street_reports(seed, year=year)]


def file_name(report: Report, unit: UnitSpec) -> str:
    """The export name, with the unit code in front: two units of a province may share a short name."""
    from nanzhou_desktop.exchange.export import export_file_name

    return f"{unit.code}_{export_file_name(report)}"


def write_units(out_dir: str | Path, count: int, year: int, seed: int = 2022, *,
                progress: bool = False, step: int = 1) -> list[Path]:
    """``count`` distinct units' report files for ``year`` (see the module's docstring); with
    ``step`` every step-th unit of the catalogue (a small set that still spans districts)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = unit_catalogue(count * step, seed)[::step]
    paths: list[Path] = []
    for unit, report in zip(units, year_reports(units, year, seed), strict=True):
        paths.append(write_report_file(out / file_name(report, unit), report))
        if progress and len(paths) % 500 == 0:
            print(f"\r{len(paths)} / {count}", end="", file=sys.stderr, flush=True)
    if progress and count >= 500:
        print(file=sys.stderr)
    return paths


def write_many(out_dir: str | Path, count: int, seed: int = 2022, year: int = 2022) -> list[Path]:
    """``count`` distinct report files (for benchmarks): :func:`write_units`."""
    return write_units(out_dir, count, year, seed)


MAX_COUNT = 100_000


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m nanzhou_desktop.district.testdata",
        description="生成用于区级汇总测试的报告文件：N 个不同单位的某一年度报告（同一种子、另一年度得到同样的单位）。")
    p.add_argument("dir", help="输出文件夹（不存在时新建）")
    p.add_argument("--count", type=int, required=True, help=f"单位个数（1–{MAX_COUNT:,}）")
    p.add_argument("--year", type=int, required=True, help="年度，例如 2022")
    p.add_argument("--seed", type=int, default=2022, help="随机种子（默认 2022）")
    args = p.parse_args(argv)
    if not 1 <= args.count <= MAX_COUNT:
        p.error(f"--count 应在 1 到 {MAX_COUNT:,} 之间")
    if not 1900 <= args.year <= 2200:
        p.error("--year 应在 1900 到 2200 之间")
    paths = write_units(args.dir, args.count, args.year, args.seed, progress=sys.stderr.isatty())
    print(f"已在“{args.dir}”生成 {len(paths)} 个 {args.year} 年度报告文件（种子 {args.seed}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
