"""Chinese line breaking (禁则): which characters may not start or end a line, and a greedy
breaker that honours them without letting anything hang into the margin.

reportlab's own lists (``reportlab.lib.textsplit``) miss several marks used in Chinese
(，；：？！”’》〉… and others); :func:`patch_reportlab` extends them so that table cells
laid out by reportlab's ``wordWrap='CJK'`` obey the same rules.  That touches reportlab
internals: reportlab is pinned and ``tests/core/test_render_linebreak.py`` guards it.
"""

from __future__ import annotations

import re
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

# A run that must not be broken: Latin letters, digits and the marks inside numbers
# (19,910.75  99.13%  2022-12-31  No.3).
_UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/_:@#&'’]*")


def tokens(text: str) -> list[str]:
    """Split text into break units: one CJK character, one space, or one unbreakable Latin run.

    A trailing mark such as ``%`` stays with its number; spaces are their own tokens so the
    breaker can drop them at line ends.
    """
    out: list[str] = []
    i = 0
    for m in _UNBREAKABLE.finditer(text):
        start, end = m.span()
        out.extend(text[i:start])  # one character each
        run = m.group(0)
        # "19,738.24," would keep the sentence comma inside the number; give it back (the
        # marks given back cannot start a run: they are tokens of their own).
        while len(run) > 1 and run[-1] in ",.:'’":
            run = run[:-1]
        out.append(run)
        out.extend(text[start + len(run):end])
        i = end
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


def _bad_break(toks: list[str], start: int, k: int) -> bool:
    """Would breaking before ``toks[k]`` start or end a line with a forbidden mark?"""
    nxt = k
    while nxt < len(toks) and toks[nxt] == " ":
        nxt += 1
    prev = k - 1
    while prev > start and toks[prev] == " ":
        prev -= 1
    return (nxt < len(toks) and _starts_bad(toks[nxt])) or _ends_bad(toks[prev])


def break_lines(text: str, width_of: Callable[[str], float], max_widths: Callable[[int], float],
                *, spacing: float = 0.0, char_widths: dict[str, float] | None = None) -> list[Line]:
    """Greedy breaking with the 禁则 above.

    ``width_of(token)`` gives the natural width; ``spacing`` is added after each character
    (negative on a character grid); ``max_widths(i)`` the width of line ``i`` (the first line
    is shorter by the indent).  When the next line would start with a forbidden mark, or this
    one end with an opening mark, characters are pushed to the next line (never hung into
    the margin) and the short line is later justified.  ``char_widths``, if given, holds
    ``width_of`` of single characters already measured (a lookup instead of a call).
    """
    toks = tokens(text)
    if char_widths is not None:
        widths = [char_widths[t] if t in char_widths else width_of(t) for t in toks]
    else:
        widths = list(map(width_of, toks))
    if spacing:
        widths = [w + spacing * len(t) for w, t in zip(widths, toks, strict=True)]
    lines: list[Line] = []
    i = 0
    n = len(toks)
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
        if j == i:  # a single token wider than the line (a very long number): take it anyway
            j = i + 1
        if j < n:
            k = j
            # Move the break back while the next line would start with a closing mark or this
            # one end with an opening mark (spaces at the break are dropped, so look past
            # them); keep at least one token on the line.
            while k > i + 1 and _bad_break(toks, i, k):
                k -= 1
            if not _bad_break(toks, i, k):
                j = k
            else:
                # No allowed break on this line (a long number between brackets): take the
                # marks along; the line is then squeezed to the block width when drawn.
                while j < n and _bad_break(toks, i, j):
                    j += 1
        end = j
        while end > i and toks[end - 1] == " ":  # nor ends with one
            end -= 1
        seg = toks[i:end]
        lines.append(Line("".join(seg), sum(widths[i:end]), sum(len(t) for t in seg), last=j >= n))
        i = j
    if lines and not lines[-1].last:
        last = lines[-1]
        lines[-1] = Line(last.text, last.width, last.chars, True)
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
