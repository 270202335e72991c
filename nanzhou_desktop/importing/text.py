"""Mending the damage text extraction does to Chinese prose: spaces inside CJK runs and
inside numbers, and the character classes the other importing modules share."""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs, CJK punctuation, full-width forms and the curly quotes / dashes / dots set
# between them: a space between two of these is extraction damage, never meant by a writer.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014\u00b7"
_CJK_GAP = re.compile(f"(?<=[{CJK}])[ \t\u3000\u00a0]+(?=[{CJK}])")
_NUMBER_GAP_BEFORE = re.compile(r"(?<=\d)[ \u00a0]+(?=[.,]\d)")
_NUMBER_GAP_AFTER = re.compile(r"(?<=\d[.,])[ \u00a0]+(?=\d)")
_PERCENT_GAP = re.compile(r"(?<=\d)[ \u00a0]+(?=[%％])")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")

# A paragraph that ends with one of these ends a sentence; one that does not was broken
# by a line or page end.
SENTENCE_END = ("。", "！", "？", "；", "：", "…", "!", "?", ";", ":")
_CLOSERS = ("”", "）", "」", "』", "’", ")")


def mend_spaces(line: str) -> str:
    """Remove spaces inside CJK runs and inside numbers (19, 910.75 → 19,910.75); keep the
    single spaces a reader expects between Chinese and Latin letters or digits."""
    line = _SPACES.sub(" ", line.replace("\u200b", "").replace("\ufeff", "")).strip()
    line = _CJK_GAP.sub("", line)
    line = _NUMBER_GAP_BEFORE.sub("", line)
    line = _NUMBER_GAP_AFTER.sub("", line)
    return _PERCENT_GAP.sub("", line)


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text.endswith(_CLOSERS):
        text = text[:-1]
        if text.endswith(SENTENCE_END):
            return True
    return text.endswith(SENTENCE_END)


def join_broken(left: str, right: str) -> str:
    """Join two pieces of one sentence; a space only between two Latin letters or digits."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def fold(text: str) -> str:
    """The form characters are compared in: full-width and half-width alike, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())
