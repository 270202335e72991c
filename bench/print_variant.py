"""`nanzhou-desktop print …` with parts of the print path swapped for reportlab's own, for the
paired measurements of bench_print.py (each variant in its own process, as a user runs it):

    python bench/print_variant.py VARIANT[,VARIANT…] print REPORT -o OUT.pdf

- ``as-is``: the program as shipped;
- ``no-accel``: without reportlab's C accelerator (rl-accel): its pure-Python functions;
- ``rl-ttfont``: reportlab's own TTFont for every font (parsed at every print, reportlab's
  subsetter and font writer): no font cache, no subsetter of ours;
- ``rl-subset``: our font cache, with reportlab's own subsetter and font writer;
- ``rl-maker``: our font cache and subsetter, with reportlab's own font writer (checksums);
- ``no-deflate``: the embedded fonts compressed by reportlab as the file is written, not on
  threads of their own as soon as they are made.
"""

from __future__ import annotations

import sys


def apply(variants: list[str]) -> None:
    if "no-accel" in variants:
        sys.modules["_rl_accel"] = None  # type: ignore[assignment] - makes `import _rl_accel` fail
    if not {"rl-ttfont", "rl-subset", "rl-maker", "no-deflate"} & set(variants):
        return
    from reportlab.pdfbase.ttfonts import TTFontFace, TTFontFile, TTFontMaker

    from nanzhou_desktop.render import fonts

    if "rl-ttfont" in variants:
        fonts._cached_face = lambda path, subfont: TTFontFace(path, validate=0, subfontIndex=subfont)
    if "rl-subset" in variants or "no-deflate" in variants:
        face_class = fonts._face_class()
        if "rl-subset" in variants:
            face_class.makeSubset = TTFontFile.makeSubset
        if "no-deflate" in variants:
            del face_class.addSubsetObjects  # reportlab's stream, compressed when the PDF is written
        fonts._CachedFace = face_class
    if "rl-maker" in variants:
        fonts._FontMaker = TTFontMaker


if __name__ == "__main__":
    wanted = sys.argv.pop(1).split(",")
    apply(wanted)
    from nanzhou_desktop.cli import main

    sys.argv[0] = "nanzhou-desktop"
    sys.exit(main())
