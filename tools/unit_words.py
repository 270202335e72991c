"""Which words follow numbers in real reports: the evidence for the line breaker's unit list
(``nanzhou_desktop.render.linebreak.UNITS``), which keeps a number and its unit on one line.

    python tools/unit_words.py [FILE …]

With no files it reads the report texts kept in the repository (the 2022 南洲 report and the
published reports under tests/data).  For every Arabic number followed by Chinese text it
counts the first one to four characters, and prints each word with how often it follows a
number and whether the breaker keeps it with the number.  A word that follows numbers often
and is not kept is a unit to add to ``UNITS`` (or, when it is not a unit, to
``NOT_UNITS`` below, with the reason).  tests/core/test_render_linebreak.py runs the same
count and fails on such a word.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Characters that follow numbers in the reports but are not units: the number is a name or
# a code, or the word after it begins a new phrase ("12345热线", "2022年度…" is covered by 年).
NOT_UNITS = {
    "热": "12345热线: a hotline's name",
    "和": "a conjunction after a list of numbers",
    "至": "a range: 1至3月",
    "及": "a conjunction",
    "的": "a particle",
    "、": "a list",
}
_NUMBER_THEN_TEXT = re.compile(r"(?<![A-Za-z0-9.,])\d[\d,]*(?:\.\d+)?%?\s?([\u4e00-\u9fff㎡㎞㎏℃‰]+)")


def corpus_files() -> list[Path]:
    """The report texts kept in the repository."""
    data = ROOT / "tests" / "data"
    return sorted(p for p in data.rglob("*.txt") if p.is_file())


def followers(texts: list[str]) -> Counter:
    """The first character after each number (with 万/亿/余/多 and the rest of a longer unit
    when the unit list has it)."""
    from nanzhou_desktop.render.linebreak import _UNIT_RE

    found: Counter = Counter()
    for text in texts:
        for m in _NUMBER_THEN_TEXT.finditer(text):
            after = m.group(1)
            unit = _UNIT_RE.match(after)
            found[unit.group(0) if unit else after[:1]] += 1
    return found


def uncovered(found: Counter, at_least: int = 2) -> dict[str, int]:
    """Words following numbers at least ``at_least`` times that are neither units nor known
    non-units."""
    from nanzhou_desktop.render.linebreak import _UNIT_RE

    return {w: n for w, n in found.items()
            if n >= at_least and not _UNIT_RE.fullmatch(w) and w[:1] not in NOT_UNITS}


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or corpus_files()
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    found = followers(texts)
    from nanzhou_desktop.render.linebreak import _UNIT_RE

    print(f"{len(files)} 个文件，数字后的词：")
    for word, n in found.most_common():
        kept = "保持在数字后" if _UNIT_RE.fullmatch(word) else ("不是单位：" + NOT_UNITS[word[:1]]
                                                               if word[:1] in NOT_UNITS else "——未列入")
        print(f"{n:5d}  {word}\t{kept}")
    missing = uncovered(found)
    if missing:
        print("未列入单位表、出现两次以上：", "、".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
