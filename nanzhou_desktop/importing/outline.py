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

from nanzhou_desktop.narrative import CN_NUMBERS

_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*(\S.*)$")
_L2 = re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*(\S.*)$")
_L3 = re.compile(r"^(\d{1,2})\s*[.．、](?![\d%％])\s*(\S.*)$")
_L4 = re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(\S.*)$")
HEADING_TEXT_MAX = 40  # a "heading" longer than this with no full stop is a numbered sentence


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、  2 （一）  3 1.  4 （1）
    ordinal: int  # the number as an integer
    number: str  # the numbering as written in the source ("(1) ", "一、")
    title: str  # the heading words
    body: str = ""  # text after the heading's full stop on the same line
    stop: str = ""  # the full stop between title and body, when there was one


def cn_to_int(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)
    return _CN.index(text) + 1


def parse_heading(line: str) -> Heading | None:
    """The heading a line starts with, if any.  Levels 1–3 stand alone on their line (or end
    with a full stop before text); level 4 usually leads a paragraph: （1）标题。正文…"""
    for level, pattern in ((1, _L1), (2, _L2), (4, _L4), (3, _L3)):
        m = pattern.match(line)
        if not m:
            continue
        rest = m.group(2)
        number = line[: m.start(2)]
        ordinal = cn_to_int(m.group(1)) if level <= 2 else int(m.group(1))
        title, stop, body = rest.partition("。")
        if stop and body.strip() and len(title) <= HEADING_TEXT_MAX:
            return Heading(level, ordinal, number, title.strip(), body.strip(), stop)
        if stop and not body.strip() and len(title) <= HEADING_TEXT_MAX and level == 4:
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


def normalise_heading(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _PUNCT.sub("", text)
    return text.replace("单位", "部门")


def similarity(doc_heading: str, template_heading: str) -> float:
    """0–1: how well a heading of the document fits a template heading."""
    a = normalise_heading(doc_heading)
    best = 0.0
    for candidate in (template_heading, *ALIASES.get(template_heading, ())):
        b = normalise_heading(candidate)
        if not a or not b:
            continue
        if a == b:
            return 1.0
        ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
        if len(b) >= 4 and (b in a or a in b):
            ratio = max(ratio, 0.85)  # "部门基本情况" for "基本情况"; "自评结论综述" for "自评结论"
        best = max(best, ratio)
    return best
