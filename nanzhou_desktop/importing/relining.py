"""Text that lost its line breaks, put back on lines before it is parsed.

Two kinds are common among published reports (tests/data/realworld):

- a PDF copied as one long line, its line ends turned into spaces (茂名市发展和改革局,
  a county 编办's report): the headings 一、 （一） stand after a space or a full stop, and a
  heading's words end at the next space (the PDF line ended there);
- a Word file previewed as one run of text, the cover's labels glued to their values and to
  the title (雨花区洞井街道: "…自评报告部门(单位)名称:长沙市…项目名称:…报告日期:…").

A line is re-lined only when it is long and carries at least two such marks, so ordinary
paragraphs that mention "一、" or a label in passing are left as they are.
"""

from __future__ import annotations

import re

from nanzhou_desktop.importing.outline import HEADING_TEXT_MAX, known_heading_prefix

FLAT_MIN = 300  # a line this long with two or more heading marks is flattened text
_CN = "一二三四五六七八九十"
_SENTENCE_END = "。；;：:！？!?"
# 一、 / （一） / (一) after the start, a space or a sentence end.
_TOP_MARK = re.compile(rf"(?:(?<=^)|(?<=[\s{_SENTENCE_END}]))(?=[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)])")
# 1、 / 1. after a sentence end (and optional spaces): an item of a list that was on its own line.
_ITEM_MARK = re.compile(rf"(?<=[{_SENTENCE_END}])\s*(?=\d{{1,2}}[、.．](?![\d%％]))")
_SPACE = re.compile(r"[ \t\u3000\u00a0]+")
# Cover labels (评价年度：2024, 部门(单位)名称：…): the forms of 湖南 (岳阳县, 岳阳市, 雨花区) and
# 广东 (徐闻县) in tests/data/realworld.
COVER_LABELS = (
    "评价年度", "评价单位（公章）", "评价单位(公章)", "评价单位", "填报日期", "部门（单位）名称", "部门(单位)名称",
    "部门名称", "单位名称", "预算编码", "预 算 编 码", "评价方式", "评价机构", "报告日期", "项目名称", "项目编号",
)
_COVER_LABEL = re.compile("(" + "|".join(re.escape(label) for label in COVER_LABELS) + r")\s*[:：]")
# The title runs on into the opening paragraph: "…绩效自评报告 根据《关于开展…》" / "…评价报告根据县财政局要求".
_TITLE_THEN_PREFACE = re.compile(r"^(.{4,80}?报告)\s*(?=根据|按照|为(?:了|进一步)?)")


def starts_with_cover_label(line: str) -> bool:
    """"评价年度：2024", "评价单位（公章）：…": a line of a cover block."""
    m = _COVER_LABEL.match(line.strip())
    return m is not None


def is_flattened(line: str) -> bool:
    return len(line) >= FLAT_MIN and len(_TOP_MARK.findall(line)) >= 2


def has_glued_cover(line: str) -> bool:
    return len(_COVER_LABEL.findall(line)) >= 2


def reline(line: str) -> list[str]:
    """The lines a flattened line stands for (``[line]`` when it is not flattened)."""
    out: list[str] = []
    text = line
    if has_glued_cover(text):
        text = _split_cover(text)
    if is_flattened(text):
        pieces: list[str] = []
        for part in text.split("\n"):
            m = _TITLE_THEN_PREFACE.match(part.strip())
            if m and not pieces:
                pieces.append(m.group(1))
                part = part.strip()[m.end():]
            for chunk in _TOP_MARK.split(part):
                pieces.extend(_split_items(chunk))
        text = "\n".join(_split_heading_words(p) for p in pieces)
    out = [piece.strip() for piece in text.split("\n") if piece.strip()]
    return out or [line]


_DATE_VALUE = re.compile(r"((?:报告|填报)日期\s*[:：]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?=\S)")


def _split_cover(text: str) -> str:
    """Each cover label starts a line; the title before the first label keeps its own, and
    a date's value ends with its 日 (what follows was the next line of the form)."""
    text = _COVER_LABEL.sub(lambda m: "\n" + m.group(0), text).lstrip("\n")
    return _DATE_VALUE.sub(lambda m: m.group(1) + "\n", text)


def _split_items(chunk: str) -> list[str]:
    return [p for p in _ITEM_MARK.split(chunk) if p.strip()]


def _split_heading_words(piece: str) -> str:
    """A heading's words end where the PDF line ended (a space), or, with no space, where a
    heading an outline knows ends ("二、绩效评价工作开展情况为加强…")."""
    from nanzhou_desktop.importing.outline import parse_heading

    piece = piece.strip()
    m = re.match(rf"^([{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]|\d{{1,2}}[、.．])", piece)
    if not m:
        return piece
    rest = piece[m.end():]
    space = _SPACE.search(rest)
    if space and 0 < space.start() <= 30 and not re.search(r"[，,。；;：:、]", rest[:space.start()]):
        return f"{piece[:m.end()]}{rest[:space.start()]}\n{rest[space.end():]}"
    if m.group(1)[-1:] not in ".．" and parse_heading(piece) is None:
        known = known_heading_prefix(rest[:HEADING_TEXT_MAX])
        if known:
            return f"{piece[:m.end()]}{rest[:len(known)]}\n{rest[len(known):]}"
    return piece
