"""reportlab's platypus, imported without its slow lines.

Importing ``reportlab.platypus`` compiles two regular expressions over most of the Basic
Multilingual Plane: paragraph.py's case-insensitive URI pattern (25-30 ms) and
textsplit.py's CJK-range pattern (4 ms), together a seventh of printing the example, for
patterns used only to validate link targets and by a wrapping helper we never call.
Before importing platypus we leave stand-ins for exactly those patterns in ``re``'s
compile cache; a stand-in compiles its real pattern the first time it is used, and is
taken out of the cache as soon as platypus is imported.  Everything else is reportlab as
shipped (it is pinned); tests/core/test_render_speedups.py checks that the stand-ins are in
place and match as the real patterns do.

It also imports ``reportlab.pdfbase.ttfonts`` (through platypus) without ``uharfbuzz``, which
ttfonts would import at once to offer text shaping (9–15 ms of every print).  reportlab shapes
only a paragraph whose style sets ``shaping`` or a ``draw*String(…, shaping=True)``, and we do
neither; uharfbuzz is installed for :mod:`.fontconvert`, which imports it as usual.  The test
compares the example's PDF, byte for byte, with one printed after a plain import.

The printing modules import platypus names from here.
"""

from __future__ import annotations

import re
import sys

# reportlab 5.1.0, platypus/paragraph.py: ``uri_pat = re.compile(URI_PATTERN, re.I)``
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(?:\\.(?:25[0-5]|"
    "2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9](?:[a-z\xa1-\uffff0-9-]{0,61}"
    "[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|"
    "xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)
# reportlab 5.1.0, lib/textsplit.py: ``rx = re.compile(CJK_PATTERN, re.UNICODE)``
CJK_PATTERN = "([\u2e80-\uffff])"
DEFERRED = ((URI_PATTERN, re.IGNORECASE), (CJK_PATTERN, re.UNICODE))


def _caches() -> list[dict]:
    """The dicts re.compile looks in first: _cache (3.11), _cache2 (3.12+)."""
    return [c for c in (getattr(re, "_cache2", None), getattr(re, "_cache", None)) if isinstance(c, dict)]


class DeferredPattern:
    """Behaves as the compiled pattern; compiles it on first use."""

    def __init__(self, pattern: str, flags: re.RegexFlag) -> None:
        self.pattern = pattern
        self._flags = flags
        self._key = (str, pattern, flags.value)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            for cache in _caches():  # used while still standing in: make way for the real one
                if cache.get(self._key) is self:
                    del cache[self._key]
            self._compiled = re.compile(self.pattern, self._flags)
        return getattr(self._compiled, name)


def _import_platypus() -> None:
    if "reportlab.platypus" in sys.modules:
        return
    caches = _caches()
    stand_ins = [DeferredPattern(pattern, flags) for pattern, flags in DEFERRED]
    for cache in caches:
        for s in stand_ins:
            cache[s._key] = s
    # None in sys.modules makes ``import uharfbuzz`` fail, so ttfonts sets it to None.
    hide_harfbuzz = "reportlab.pdfbase.ttfonts" not in sys.modules and "uharfbuzz" not in sys.modules
    if hide_harfbuzz:
        sys.modules["uharfbuzz"] = None  # type: ignore[assignment]
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        if hide_harfbuzz and "uharfbuzz" in sys.modules and sys.modules["uharfbuzz"] is None:
            del sys.modules["uharfbuzz"]
        for cache in caches:
            for s in stand_ins:
                if cache.get(s._key) is s:
                    del cache[s._key]


_import_platypus()

from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

__all__ = ["BaseDocTemplate", "CondPageBreak", "Flowable", "Frame", "KeepTogether", "NextPageTemplate", "PageBreak",
           "PageTemplate", "Paragraph", "Spacer", "Table", "TableStyle"]
