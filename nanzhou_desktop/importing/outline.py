"""Headings (一、 （一） 1. （1）) and matching them loosely to an outline template.

A heading of the document is matched to the template section whose wording is closest
(full-/half-width, spaces, 部门/单位 and a few common synonyms folded); headings that match
nothing become sections of their own, so their text is never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from nanzhou_desktop.narrative import CN_NUMBERS

_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Numbering styles, in the order they nest by convention (GB/T 9704: 一、 （一） 1. （1）, and
# ① below them).  Full- and half-width punctuation alike; "1、" is written for "1." in many
# offices (茂名市发改局, 南县政协, 徐闻县地方公路局 in tests/data/realworld).
_L1 = re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*(\S.*)$")
_L2 = re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*(\S.*)$")
_L3 = re.compile(r"^(\d{1,2})\s*[.．、](?![\d%％])\s*(\S.*)$")
_L4 = re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*(\S.*)$")
_L5 = re.compile(rf"^([{_CIRCLED}])\s*[、.．]?\s*(\S.*)$")
_MARKER_ONLY = re.compile(rf"^\s*(?:[{_CN}]{{1,3}}\s*[、.．]|[（(]\s*[{_CN}\d]{{1,3}}\s*[）)]|\d{{1,2}}\s*[.．、]|[{_CIRCLED}])\s*$")
HEADING_TEXT_MAX = 40  # a "heading" longer than this with no full stop is a numbered sentence
STYLES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}  # the conventional level of each style


@dataclass(frozen=True)
class Heading:
    level: int  # the style's conventional level: 1 一、  2 （一）  3 1.  4 （1）  5 ①
    ordinal: int  # the number as an integer
    number: str  # the numbering as written in the source ("(1) ", "一、")
    title: str  # the heading words
    body: str = ""  # text after the heading's full stop on the same line
    stop: str = ""  # the full stop between title and body, when there was one

    @property
    def style(self) -> str:
        """The numbering style (一、 （一） 1. （1） ①), whatever the width of its punctuation."""
        return STYLES[self.level]


def cn_to_int(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)
    return _CN.index(text) + 1


def is_marker_only(line: str) -> bool:
    """A line that is a numbering and nothing else ("2." on its own line, the heading's words on
    the next: 赫山区城管执法局's report as published)."""
    return bool(_MARKER_ONLY.match(line))


def parse_heading(line: str) -> Heading | None:
    """The heading a line starts with, if any.

    A heading stands alone on its line, or ends with a full stop and runs on into its text
    (（一）概况。田心乡人民政府…).  一、 and （一） headings may end with a full stop and nothing
    after it ("(一)概况。", 田心乡, 南县政协, 爱国街道, 前山镇); a 1. line that does is a
    numbered sentence of a list, not a heading.  （1） usually leads a paragraph: （1）标题。正文…"""
    for level, pattern in ((1, _L1), (2, _L2), (4, _L4), (3, _L3), (5, _L5)):
        m = pattern.match(line)
        if not m:
            continue
        rest = m.group(2)
        number = line[: m.start(2)]
        ordinal = (cn_to_int(m.group(1)) if level <= 2 else
                   _CIRCLED.index(m.group(1)) + 1 if level == 5 else int(m.group(1)))
        title, stop, body = rest.partition("。")
        if stop and body.strip() and len(title) <= HEADING_TEXT_MAX:
            return Heading(level, ordinal, number, title.strip(), body.strip(), stop)
        if stop and not body.strip() and len(title) <= HEADING_TEXT_MAX and level in (1, 2, 4):
            return Heading(level, ordinal, number, title.strip(), "", stop)
        if len(rest) <= HEADING_TEXT_MAX and not stop:
            return Heading(level, ordinal, number, rest.strip())
        return None
    return None


def section_number(level: int, ordinal: int) -> str:
    """一、 for level 1, （一） for level 2 (numbering is regenerated from position)."""
    cn = CN_NUMBERS[ordinal - 1] if ordinal <= 10 else _cn_big(ordinal)
    return f"{cn}、" if level == 1 else f"（{cn}）"


def _cn_big(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


# ------------------------------------------------------------------- matching
_PUNCT = re.compile(r"[\s\"'“”‘’、，,。.:：;；()（）《》〈〉<>【】\[\]·\-—_]+")

# Wordings other outlines use for the sections of the standard template, keyed by the
# template's heading (so a new template with the same headings gets the same help).
ALIASES: dict[str, tuple[str, ...]] = {
    "基本情况": ("部门基本情况", "单位基本情况", "部门概况"),
    "部门概况": ("部门职能", "部门职责", "主要职能", "主要职责", "职能职责", "部门基本概况", "单位概况"),
    "年度总体工作和重点工作任务": ("年度工作任务", "总体工作和重点工作任务", "年度重点工作任务", "年度主要工作任务"),
    "部门整体收支情况": ("整体收支情况", "部门整体支出情况", "预算执行情况", "部门收支情况", "部门预算收支情况"),
    "部门整体绩效管理情况": ("绩效管理情况", "部门绩效管理情况", "绩效管理工作情况"),
    "综合评价分析": ("综合评价情况", "绩效自评分析", "绩效自评情况", "自评情况分析", "综合评价分析情况",
                     "部门整体支出绩效自评情况"),
    "自评结论综述": ("自评结论", "评价结论", "自评结论概述", "绩效自评结论"),
    "各项工作任务绩效目标完成情况分析": ("工作任务绩效目标完成情况", "绩效目标完成情况分析", "各项工作任务完成情况"),
    "各重点任务项目支出完成情况分析": ("重点项目支出完成情况", "项目支出完成情况分析", "重点任务项目支出完成情况"),
    "主要工作成效": ("工作成效", "主要成效", "主要绩效"),
    "存在的主要问题": ("存在的问题", "主要问题", "存在问题", "存在问题及原因分析"),
    "下一步改进措施": ("改进措施", "下一步工作计划", "整改措施", "下一步工作措施", "改进意见"),
}
MATCH_THRESHOLD = 0.7


@lru_cache(maxsize=65536)
def normalise_heading(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _PUNCT.sub("", text)
    return text.replace("单位", "部门")


@lru_cache(maxsize=65536)
def similarity(doc_heading: str, template_heading: str, aliases: tuple[str, ...] = ()) -> float:
    """0–1: how well a heading of the document fits a template heading (or one of the other
    wordings the template lists for it, or those of :data:`ALIASES`).  Cached: choosing among
    the templates compares each heading with every section of every one."""
    a = normalise_heading(doc_heading)
    best = 0.0
    for candidate in (template_heading, *aliases, *ALIASES.get(template_heading, ())):
        b = normalise_heading(candidate)
        if not a or not b:
            continue
        if a == b:
            return 1.0
        if len(b) >= 4 and (b in a or a in b):
            best = max(best, 0.85)  # "部门基本情况" for "基本情况"; "自评结论综述" for "自评结论"
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


# Headings of the outlines offices are told to follow, beyond the template's and ALIASES: the
# reference outline of 财预〔2020〕10号 (绩效评价报告参考提纲) and issue 13's other parts.
# Used only to find where a heading's words end when its text runs on without a full stop or
# a space ("二、绩效评价工作开展情况为加强专项资金的管理…").
COMMON_HEADINGS = (
    "基本情况", "项目基本情况", "部门基本情况", "单位基本情况", "绩效评价工作开展情况", "绩效自评工作开展情况",
    "自评工作开展情况", "综合评价情况及评价结论", "绩效评价指标分析", "主要经验及做法", "存在的问题及原因分析",
    "有关建议", "其他需要说明的问题", "其他需要说明的情况", "自评结论", "存在问题及原因", "改进措施", "结果应用",
)


def known_heading_prefix(text: str) -> str:
    """The longest known heading ``text`` starts with ("" if none)."""
    names = set(COMMON_HEADINGS) | set(ALIASES) | {a for v in ALIASES.values() for a in v}
    best = ""
    for name in names:
        if len(name) > len(best) and text.startswith(name) and len(text) > len(name):
            best = name
    return best
