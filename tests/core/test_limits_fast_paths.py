"""The fast paths of the limits must say exactly what the slow ones say (they are what every
file the district loads, and every file the office opens, goes through)."""

from __future__ import annotations

from collections import Counter

from nanzhou_desktop import limits
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import CoverField, Explanation
from nanzhou_desktop.store import fields

EVERY_CODE_POINT = "".join(map(chr, range(0x110000)))


def test_each_coarse_class_holds_every_character_its_exact_class_refuses() -> None:
    for exact, coarse in ((limits._REFUSED, limits._COARSE), (limits._REFUSED_NAME, limits._COARSE_NAME),
                          (limits._REFUSED_ONE_LINE, limits._COARSE_ONE_LINE)):
        refused = set(exact.findall(EVERY_CODE_POINT))
        assert refused and refused <= set(coarse.findall(EVERY_CODE_POINT))


def test_text_problem_finds_the_same_with_the_coarse_search_first() -> None:
    for ch in ("\x00", "\x1b", "\x85", "\ud800", "\ufdd0", "\uffff", "\U0001ffff", "\U0010fffe", "\u202e", "\u2066",
               "\t", "\n"):
        for kw in ({}, {"name": True}, {"one_line": True}):
            exact = {"one_line": limits._REFUSED_ONE_LINE, "name": limits._REFUSED_NAME}.get(next(iter(kw), ""),
                                                                                              limits._REFUSED)
            said = limits.text_problem(f"南洲{ch}街道", **kw)
            assert (said is not None) == bool(exact.search(ch)), (hex(ord(ch)), kw, said)
    assert limits.text_problem("南洲\U00020000街道（𠀀）", name=True) is None  # CJK Extension B is text


def test_the_quick_walk_of_a_report_gives_what_the_named_walk_gives() -> None:
    r = example_report()
    r.cover = [CoverField("unit", "单位", "text", True, "南洲街道"), CoverField("year", "年度", "year", False, "2022")]
    r.explanations = {"k": Explanation("budget.x", "已核实。", "张三", "2023-03-01 10:00")}
    r.tasks[0].items[0].title = "小项标题"
    longs, shorts, others = fields._sorted_values(r)
    named = list(fields._values(r))

    def ids(values: list) -> Counter:
        return Counter(id(v) if not isinstance(v, str | type(None)) else v for v in values)

    assert ids(longs) == ids([v for _, _, v, kind in named if kind == fields._LONG])
    assert ids(shorts) == ids([v for _, _, v, kind in named if kind == fields._SHORT])
    assert Counter((str(v), k) for v, k in others) == Counter(
        (str(v), kind) for _, _, v, kind in named if kind not in (fields._LONG, fields._SHORT))
    assert r.indicators and any(k == "indicator" for _, k in others)
