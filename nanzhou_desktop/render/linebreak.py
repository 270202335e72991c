"""Chinese line breaking (禁则) for the printed report.

Rules, each tested in tests/core/test_render_linebreak.py and measured on the printed example
and a report ten times its size:

- marks that may not start a line (，。、；：？！）》” …) or end one (（《“ …) never do;
- a number and the unit or measure word after it (1,802.25万元, 15人, 2022年, 99.13%) are one
  piece; the units come from the reports' own text (:data:`UNITS`, see ``tools/unit_words.py``);
- a run of letters or digits longer than :data:`MAX_RUN_EMS` (a URL, 5,000 digits) may break
  anywhere: nothing is ever drawn outside the block;
- a justified line is stretched or squeezed by at most :data:`MAX_ADJUST` of the character
  size between characters; when a break would need more, characters move between lines
  instead (the whole paragraph is set at once, :func:`break_lines`);
- a paragraph's last line holds at least two characters besides punctuation;
- spaces typed between a number or Latin word and Chinese text ("2022 年") are not printed,
  so numbers are set the same way everywhere (the file keeps the text as typed).

reportlab's own lists (``reportlab.lib.textsplit``) miss several marks used in Chinese;
:func:`patch_reportlab` extends them for any text reportlab wraps itself.  That touches
reportlab internals: reportlab is pinned and the tests guard it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

# Marks that may never begin a line (closing punctuation, full stops, pause marks …).
CANNOT_START = (
    "，。、；：？！）》”’〉」』】〕｝］〗〙…—·％‰℃"
    "!),.:;?]}%"
    "ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
# Marks that may never end a line (opening brackets and quotes).
CANNOT_END = "（《“‘〈「『【〔｛［〖〘(<[{"
# What does not count as a character of a last line ("务。" is a lone character; "（A）" is not).
_NOT_CONTENT = set("，。、；：？！…—·％‰℃!,.:;?%　 ")

# Units and measure words that stay with the number before them.  Collected from the
# reports' text (the 2022 南洲 report and the published reports under tests/data, counted by
# tools/unit_words.py), completed with the statutory units of measurement (GB 3100) and the
# common measure words of government reports.  A longer unit is tried before its first part
# (人次 before 人, 万平方米 before 万).
UNITS = (
    # money, counts of people, households, units, cases …
    "亿元", "万元", "元", "人次", "户次", "家次", "场次", "车次", "架次", "批次", "班次", "人", "名", "位", "户",
    "家", "所", "个", "项", "件", "宗", "起", "次", "条", "处", "栋", "幢", "座", "间", "套", "场", "批", "期",
    "届", "轮", "份", "篇", "本", "册", "张", "台", "辆", "艘", "部", "支", "根", "块", "片", "棵", "株", "头",
    "只", "盏", "把", "层", "级", "类", "种", "组", "队", "包", "箱", "袋", "瓶", "枚", "副", "对", "双", "盒",
    "吨", "单", "例", "分", "倍", "成", "帧", "首", "门", "路", "村", "宿", "床", "孔", "眼", "口", "幅", "页", "字",
    # time
    "年度", "年", "季度", "个月", "月份", "月", "日", "号", "天", "周岁", "周", "小时", "分钟", "秒", "岁",
    # length, area, volume, mass, energy
    "平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "厘米", "毫米", "米", "公顷", "亩", "公斤",
    "千克", "克", "毫升", "升", "千瓦时", "千瓦", "度", "㎡", "㎞", "㎏", "㎝", "㎜", "℃", "‰",
)
# Before a unit: 万 / 亿 (16.827万人, 310000万平方米) and 余 / 多 (100余人, 20多个).
_UNIT_RE = re.compile("(?:[万亿千百]?[余多]?)(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")|[万亿]")

# A run that must not be broken: Latin letters, digits and the marks inside numbers
# (19,910.75  99.13%  2022-12-31  No.3).
_UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/_:@#&'’]*")
MAX_RUN_EMS = 8.0  # a run of letters or digits wider than this may break anywhere
MAX_ADJUST = 0.05  # the most a justified line's letter spacing may change, per character size
# Beyond that, a justified line that must be widened gets space after its punctuation marks
# (CLREQ §3.8: expand the space of punctuation before the spacing between characters), up
# to this much per mark (a full-width mark's own blank half stays as it is).
MARK_EXPAND = 0.5
_EXPANDABLE = set("，、。；：？！）》”’")

# CJK characters and full-width forms: a space next to one of these is not printed.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0003ffff]")


_ALNUM = re.compile(r"[A-Za-z0-9%]")


def layout_text(text: str) -> str:
    """``text`` as it is set: without the spaces typed between Chinese and a number or Latin
    word ("2022 年" → "2022年"), which print as gaps in some places and not in others.
    Other spaces (between two Latin words or numbers, around "&") stay."""
    if " " not in text:
        return text
    out = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == " ":
            j = i
            while j < n and text[j] == " ":
                j += 1
            before = text[i - 1] if i else ""
            after = text[j] if j < n else ""
            if not (before and after and (_CJK.match(before) and _ALNUM.match(after)
                                          or _ALNUM.match(before) and _CJK.match(after))):
                out.append(text[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def tokens(text: str) -> list[str]:
    """Split text into break units: one CJK character, one space, or one unbreakable Latin run
    (a number with the unit after it).

    A trailing mark such as ``%`` stays with its number; spaces are their own tokens so the
    breaker can drop them at line ends.
    """
    out: list[str] = []
    i = 0
    for m in _UNBREAKABLE.finditer(text):
        start, end = m.span()
        if start < i:  # inside a unit taken with the number before
            continue
        out.extend(text[i:start])  # one character each
        run = m.group(0)
        # "19,738.24," would keep the sentence comma inside the number; give it back (the
        # marks given back cannot start a run: they are tokens of their own).
        while len(run) > 1 and run[-1] in ",.:'’":
            run = run[:-1]
        stop = start + len(run)
        if run[-1].isdigit() or run[-1] == "%":
            unit = _UNIT_RE.match(text, stop)
            if unit is not None:
                run += unit.group(0)
                stop = unit.end()
        out.append(run)
        out.extend(text[stop:max(end, stop)])
        i = max(end, stop)
    out.extend(text[i:])
    return out


class Line(NamedTuple):  # a NamedTuple: a frozen dataclass costs ~0.6 ms to create at import
    text: str
    width: float  # natural width (sum of token widths, no extra spacing)
    chars: int  # number of characters (for justification)
    last: bool  # last line of its paragraph: not justified


def _starts_bad(tok: str) -> bool:
    return tok[:1] in CANNOT_START


def _ends_bad(tok: str) -> bool:
    return tok[-1:] in CANNOT_END


def _allowed_at(toks: list[str], k: int) -> bool:
    """May a line end before ``toks[k]``?  Spaces at the break are dropped, so the marks on
    either side of them count."""
    n = len(toks)
    if k >= n:
        return True
    if k <= 0:
        return False
    nxt = k
    while nxt < n and toks[nxt] == " ":
        nxt += 1
    prev = k - 1
    while prev > 0 and toks[prev] == " ":
        prev -= 1
    return not (nxt < n and _starts_bad(toks[nxt])) and not _ends_bad(toks[prev])


class _Allowed:
    """``allowed[k]`` for break positions, worked out when first asked (first fit asks only
    near line ends)."""

    __slots__ = ("_toks", "_known")

    def __init__(self, toks: list[str]) -> None:
        self._toks = toks
        self._known: dict[int, bool] = {}

    def __getitem__(self, k: int) -> bool:
        v = self._known.get(k)
        if v is None:
            v = self._known[k] = _allowed_at(self._toks, k)
        return v


def _explode_long_runs(toks: list[str], widths: list[float], limit: float,
                       one: Callable[[str], float]) -> tuple[list[str], list[float]]:
    """Runs of letters or digits wider than ``limit`` become one token per character
    (``one(ch)``: the width of one character with its spacing)."""
    if not any(w > limit for w in widths):
        return toks, widths
    out_t: list[str] = []
    out_w: list[float] = []
    for t, w in zip(toks, widths, strict=True):
        if w > limit and len(t) > 1:
            out_t.extend(t)
            out_w.extend(map(one, t))
        else:
            out_t.append(t)
            out_w.append(w)
    return out_t, out_w


def break_lines(text: str, width_of: Callable[[str], float], max_widths: Callable[[int], float],
                *, spacing: float = 0.0, char_widths: dict[str, float] | None = None,
                em: float | None = None, justify: bool = True) -> list[Line]:
    """Break ``text`` into lines obeying the 禁则 above.

    ``width_of(token)`` gives the natural width; ``spacing`` is added after each character
    (negative on a character grid); ``max_widths(i)`` the width of line ``i`` (the first line
    is shorter by the indent).  ``char_widths``, if given, holds ``width_of`` of single
    characters already measured (a lookup instead of a call).

    ``em`` (the character size) turns on the paragraph rules: a justified line (``justify``)
    changes its letter spacing by at most :data:`MAX_ADJUST` × ``em``, a ragged one (a table
    cell) is filled evenly, and the last line keeps two characters.  The first-fit lines are
    kept when they obey them (the usual case, and the fastest); otherwise the whole paragraph
    is set at once, choosing every break together.  Without ``em``: first fit only.
    """
    text = layout_text(text)
    toks = tokens(text)
    if char_widths is not None:
        widths = [char_widths[t] if t in char_widths else width_of(t) for t in toks]
    else:
        widths = list(map(width_of, toks))
    if spacing:
        widths = [w + spacing * len(t) for w, t in zip(widths, toks, strict=True)]
    # A run wider than this breaks anywhere (without the paragraph rules: one wider than the
    # line), so nothing is drawn outside the block.
    limit = min(MAX_RUN_EMS * em, max_widths(0), max_widths(1)) if em else min(max_widths(0), max_widths(1))
    toks, widths = _explode_long_runs(toks, widths, limit, lambda c: width_of(c) + spacing)
    allowed = _Allowed(toks)
    lines = _first_fit(toks, widths, allowed, max_widths, em, justify)
    if em and not _acceptable(lines, max_widths, em, justify):
        best = _total_fit(toks, widths, allowed, max_widths, em, justify)
        if best is not None:
            lines = best
    return lines


def _line(toks: list[str], widths: list[float], i: int, k: int, last: bool) -> Line:
    """The line of tokens ``i``..``k`` - 1 without spaces at either end."""
    while i < k and toks[i] == " ":
        i += 1
    end = k
    while end > i and toks[end - 1] == " ":
        end -= 1
    seg = toks[i:end]
    return Line("".join(seg), sum(widths[i:end]), sum(len(t) for t in seg), last)


def _first_fit(toks, widths, allowed, max_widths, em, justify) -> list[Line]:
    """Greedy: as much as fits on each line, moving the break back for the 禁则; with ``em``
    a token that overflows by less than the squeeze a justified line may take goes on the
    line when that changes the spacing less than moving it down would."""
    lines: list[Line] = []
    n = len(toks)
    i = 0
    while i < n:
        while i < n and toks[i] == " ":  # no line starts with a space
            i += 1
        if i >= n:
            break
        limit = max_widths(len(lines)) + 0.01
        used = 0.0
        j = i
        while j < n and used + widths[j] <= limit:
            used += widths[j]
            j += 1
        if j == i:  # a single token wider than the line: take it anyway
            j = i + 1
        if j < n:
            k = j
            # Move the break back while the next line would start with a closing mark or this
            # one end with an opening mark; keep at least one token on the line.
            while k > i + 1 and not allowed[k]:
                k -= 1
            if allowed[k]:
                if em and justify and k == j:
                    k = _maybe_pull(toks, widths, allowed, i, j, limit, em)
                j = k
            else:
                # No allowed break on this line: take the marks along; the line is then
                # squeezed to the block width when drawn.
                while j < n and not allowed[j]:
                    j += 1
        line = _line(toks, widths, i, j, j >= n)
        lines.append(line)
        i = j
    if lines and not lines[-1].last:
        last = lines[-1]
        lines[-1] = Line(last.text, last.width, last.chars, True)
    return lines


def _maybe_pull(toks, widths, allowed, i, j, limit, em) -> int:
    """Break at ``j`` (the first-fit end), or one token later when that token fits by
    squeezing within the limit and needs less change than stretching at ``j``."""
    n = len(toks)
    k = j + 1
    while k < n and not allowed[k]:
        k += 1
    if k > n:
        return j
    line = _line(toks, widths, i, j, False)
    pulled = _line(toks, widths, i, k, False)
    gaps = max(pulled.chars - 1, 1)
    over = pulled.width - limit
    under = limit - line.width
    if over <= MAX_ADJUST * em * gaps and over < under:
        return k
    return j


def _marks(text: str) -> int:
    """Punctuation marks that may take extra space after them (not the line's last)."""
    return sum(1 for c in text[:-1] if c in _EXPANDABLE)


def justification(text: str, extra: float, grid_spacing: float, em: float) -> tuple[float, dict[int, float] | None]:
    """How a justified line of natural width ``avail - extra`` fills ``avail``: the letter
    spacing (``grid_spacing`` plus at most :data:`MAX_ADJUST` × ``em`` more or less) and,
    when widening needs more than that, the space added after each punctuation mark
    (index → space); None when the letter spacing does it all."""
    gaps_n = max(len(text) - 1, 1)
    cs = extra / gaps_n
    stretch = cs - grid_spacing
    if stretch <= MAX_ADJUST * em + 1e-9:
        return cs, None
    marks = [i for i, c in enumerate(text[:-1]) if c in _EXPANDABLE]
    if not marks:
        return cs, None
    cs = grid_spacing + MAX_ADJUST * em
    rest = extra - cs * gaps_n
    each = min(rest / len(marks), MARK_EXPAND * em)
    cs = (extra - each * len(marks)) / gaps_n  # what the marks cannot take goes back to the letters
    return cs, dict.fromkeys(marks, each)


def _content_chars(text: str) -> int:
    return sum(1 for c in text if c not in _NOT_CONTENT)


def _acceptable(lines: list[Line], max_widths, em: float, justify: bool) -> bool:
    for n, ln in enumerate(lines):
        width = max_widths(n)
        if ln.last:
            if ln.width > width + MAX_ADJUST * em * max(ln.chars - 1, 0) + 0.01:
                return False
            if len(lines) > 1 and _content_chars(ln.text) < 2:
                return False
            continue
        gaps = max(ln.chars - 1, 1)
        if ln.width > width + MAX_ADJUST * em * gaps + 0.01:
            return False
        if justify and width - ln.width > (MAX_ADJUST * gaps + MARK_EXPAND * _marks(ln.text)) * em + 0.01:
            return False
    if not justify and len(lines) > 1 and _content_chars(lines[-1].text) < 2:
        return False
    return True


def _total_fit(toks, widths, allowed, max_widths, em, justify) -> list[Line] | None:
    """Every break chosen together (dynamic programming over the allowed breaks): the fewest
    lines, then the least change of letter spacing (justified) or the most even lines
    (ragged); a line may never be wider than its width plus the squeeze allowed, and a
    stretch beyond the limit or a one-character last line only when nothing else is left.

    For each break the earlier breaks are tried from the nearest back, until a line from
    there would be too wide.  Lines shorter than 0.4 of the narrowest width are never taken
    (except the last): those nearest breaks are skipped by a binary search instead of one
    by one, which with the line widths looked up in a list halves the time of a long
    paragraph (same choices: tests/core/test_render_linebreak_dp.py compares every break with
    the plain loop)."""
    n = len(toks)
    pos = [0.0]
    chars = [0]
    content = [0]
    marks = [0]
    for t, w in zip(toks, widths, strict=True):
        pos.append(pos[-1] + w)
        chars.append(chars[-1] + len(t))
        content.append(content[-1] + _content_chars(t))
        marks.append(marks[-1] + (t in _EXPANDABLE))
    # For dropping spaces at the ends of a line.
    first_solid = list(range(n + 1))
    for k in range(n - 1, -1, -1):
        if toks[k] == " ":
            first_solid[k] = first_solid[k + 1]
    last_end = list(range(n + 1))
    for k in range(1, n + 1):
        if toks[k - 1] == " ":
            last_end[k] = last_end[k - 1]
    line_width = [max_widths(c) for c in range(n + 1)]  # a paragraph has at most n lines
    # A break is skipped unseen when the line from it would be shorter than this: its
    # natural width is then below 0.4 of any line's width.  Positions only grow when no token
    # has a negative width (a zero-width character on a tightened grid could): otherwise
    # every break is looked at.
    short = 0.4 * min(line_width) - 1e-6
    monotonic = all(w >= 0 for w in widths)
    adjust = MAX_ADJUST * em
    inf = float("inf")
    big = 1e6
    # best[k]: (cost, lines so far, previous break) for a break before token k
    best: list[tuple[float, int, int] | None] = [None] * (n + 1)
    best[0] = (0.0, 0, -1)
    breaks = [k for k in range(1, n + 1) if toks[k - 1] != " " and allowed[k]]
    starts = [0]
    start_pos = [pos[first_solid[0]]]  # where the line from each start begins, ascending
    for k in breaks:
        top = None
        e = last_end[k]
        last = k == n
        pos_e = pos[e]
        upto = len(starts)
        if monotonic and not last:
            upto = bisect_right(start_pos, pos_e - short)
        for idx in range(upto - 1, -1, -1):
            i = starts[idx]
            cost0, count, _prev = best[i]
            s = first_solid[i]
            if e <= s:
                continue
            natural = pos_e - pos[s]
            width = line_width[count]
            gaps = chars[e] - chars[s] - 1
            room = adjust * (gaps if gaps > 1 else 1)
            if natural > width + room + 0.01:
                break  # starts further back only make it longer
            if natural < width * 0.4 and not last:
                continue
            if last:
                cost = 0.0
                if not justify:
                    cost = ((width - min(natural, width)) / width) ** 2 * 10
                if count > 0 and content[e] - content[s] < 2:
                    cost += big
            else:
                slack = width - natural
                if justify:
                    ratio = abs(slack) / room
                    if ratio <= 1:
                        cost = ratio * ratio * 10
                    else:
                        # widened beyond the letters' share: after the punctuation marks
                        can = MARK_EXPAND * em * (marks[e] - marks[s] - (toks[e - 1] in _EXPANDABLE))
                        over = slack - room
                        cost = 10 + 30 * (over / can) ** 2 if slack > 0 and over <= can else big * (ratio - 1) + 10
                else:
                    cost = (max(slack, 0.0) / width) ** 2 * 10
                    if chars[e] - chars[s] <= 1 and content[e] - content[s] <= 1 and (k < n):
                        cost += 1.0
                    if _ends_bad(toks[first_solid[k]] if first_solid[k] < n else "") or toks[e - 1][-1:] in CANNOT_START:
                        cost -= 1.5  # ragged text breaks best before a bracket or after a mark: "全年预算数|（A）"
                    if count == 0:
                        cost += 0.05 * natural / width  # of two even ways the shorter first line: "年度|指标值"
            cost += cost0 + 1000.0  # a line: fewer lines first
            if top is None or cost < top[0]:
                top = (cost, count + 1, i)
        if top is not None and (best[k] is None or top[0] < best[k][0]):
            best[k] = top
        if best[k] is not None:
            starts.append(k)
            start_pos.append(pos[first_solid[k]])
    if best[n] is None or best[n][0] == inf:
        return None
    cuts = []
    k = n
    while k > 0:
        cuts.append(k)
        k = best[k][2]
    cuts.reverse()
    lines = []
    i = 0
    for k in cuts:
        lines.append(_line(toks, widths, i, k, k == n))
        i = k
    return lines


_patched = False


def patch_reportlab() -> None:
    """Extend reportlab's CJK 禁则 lists with ours (idempotent)."""
    global _patched
    if _patched:
        return
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    start = "".join(dict.fromkeys(textsplit.ALL_CANNOT_START + CANNOT_START))
    end = "".join(dict.fromkeys(textsplit.ALL_CANNOT_END + CANNOT_END))
    textsplit.ALL_CANNOT_START = start
    textsplit.ALL_CANNOT_END = end
    paragraph.ALL_CANNOT_START = start
    _patch_tounicode()
    _patched = True


def _utf16_hex(code: int) -> str:
    """A ToUnicode destination: UTF-16BE, with a surrogate pair above U+FFFF."""
    if code > 0xFFFF:
        code -= 0x10000
        return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"
    return f"{code:04X}"


def _patch_tounicode() -> None:
    """reportlab writes ``<%04X>`` for every character of a subset, so a character above
    U+FFFF (😀, 𠀀) gets five hex digits and text extraction reads another character; write
    surrogate pairs instead (same CMap otherwise; guarded by tests/core/test_render_edge.py)."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_nz_fixed", False):
        return

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        text = original(fontname, subset)
        if all(v <= 0xFFFF for v in subset):
            return text
        lines = text.split("\n")
        first = lines.index(f"{len(subset)} beginbfchar") + 1
        for i, v in enumerate(subset):
            lines[first + i] = f"<{i:02X}> <{_utf16_hex(v)}>"
        return "\n".join(lines)

    make_to_unicode_cmap._nz_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
