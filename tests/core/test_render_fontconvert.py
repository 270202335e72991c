"""The free 仿宋 and bold 宋 (Fandol, OpenType CFF) converted to TrueType: the outlines are
the ones fontTools' own converter draws, reportlab embeds the result, the faces are chosen
for body and title where the office fonts are absent, a character they lack prints in the
nearest face of the same style and is reported, and a broken font is a Chinese error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nanzhou_desktop.render import fontconvert
from nanzhou_desktop.render.fonts import (
    FontError,
    _index,
    find_fonts,
    font_dirs,
    font_for,
    has_glyf,
    prepare,
    register,
    substitution_note,
)

FANDOL = _index(font_dirs()).get("fandolfang-regular.otf")
needs_fandol = pytest.mark.skipif(FANDOL is None, reason="Fandol 字体（texlive-lang-chinese）未安装：运行 make venv 安装")


def _reference_glyph(font, name: str):
    """fontTools' converter (cu2qu pen, reversed contours, TrueType glyph pen)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    font.getGlyphSet()[name].draw(Cu2QuPen(pen, fontconvert.MAX_ERR, reverse_direction=True))
    return pen.glyph()


@needs_fandol
def test_outlines_equal_fonttools_converter(tmp_path: Path):
    """Every 97th glyph of FandolFang, and the ones of 南洲街道: the same points, on-curve
    flags and contours as fontTools' own CFF → TrueType pens produce."""
    from fontTools.ttLib import TTFont

    body = find_fonts()["body"]
    if body.source == FANDOL:  # the conversion every print uses (made once per machine)
        prepare(find_fonts())
        out = body.path
    else:
        out = fontconvert.convert(FANDOL, tmp_path / "fang.ttf")
    assert has_glyf(out)
    src, ttf = TTFont(str(FANDOL)), TTFont(str(out))
    order, ttf_order = src.getGlyphOrder(), ttf.getGlyphOrder()
    assert len(order) == len(ttf_order) == ttf["maxp"].numGlyphs
    cmap = src.getBestCmap()
    wanted = {order.index(cmap[ord(c)]) for c in "南洲街道，。2022年度"} | set(range(0, len(order), 97))
    for gid in sorted(wanted):
        want = _reference_glyph(src, order[gid])
        got = ttf["glyf"][ttf_order[gid]]
        assert got.numberOfContours == want.numberOfContours, gid
        if want.numberOfContours:
            assert list(got.coordinates) == list(want.coordinates), gid
            assert [f & 1 for f in got.flags] == [f & 1 for f in want.flags], gid
            assert got.endPtsOfContours == want.endPtsOfContours, gid
    # metrics and the character map are the source's
    # (glyph names are not kept: compared by glyph index)
    assert [ttf["hmtx"][n] for n in ttf_order] == [src["hmtx"][n] for n in order]
    gid, ttf_gid = {n: i for i, n in enumerate(order)}, {n: i for i, n in enumerate(ttf_order)}
    assert {c: ttf_gid[n] for c, n in ttf.getBestCmap().items()} == {c: gid[n] for c, n in cmap.items()}
    assert ttf["head"].unitsPerEm == src["head"].unitsPerEm


@needs_fandol
def test_free_fangsong_and_bold_song_chosen_and_embedded(tmp_path: Path):
    """Without office fonts the body is FandolFang and the title FandolSong Bold; both embed."""
    fonts = find_fonts()
    if fonts["body"].office:
        pytest.skip("本机装有办公字体仿宋，正文不用替代字体")
    assert fonts["body"].family == "FandolFang" and fonts["body"].source == FANDOL
    assert fonts["title"].family == "FandolSong Bold"
    prepare(fonts)
    for role in ("body", "title"):
        face = fonts[role]
        assert face.path.is_file() and has_glyf(face.path)
        assert face.path.parent.name == "ttf"  # in the per-user cache, not beside the source
        tt = register(face)
        assert tt.face.charToGlyph.get(ord("南")) and tt.face.charWidths.get(ord("南")) == 1000
    assert "FandolFang" in " ".join(fonts.describe()) and str(FANDOL) in " ".join(fonts.describe())


@needs_fandol
def test_a_character_fandol_lacks_prints_in_another_fangsong_and_is_reported(tmp_path: Path):
    """滘 is not in Fandol: it prints in the next 仿宋 (cwTeX 仿宋体) where installed, not in a
    楷 or 黑 face, and the render lists it as a substitution."""
    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.render.pdf import render_pdf

    fonts = find_fonts()
    if fonts["body"].office:
        pytest.skip("本机装有办公字体仿宋")
    face = font_for(fonts, "body", "滘")
    assert face is not None and face != fonts["body"]
    if any(f.family == "cwTeX 仿宋体" for f in fonts.style["body"]):
        assert face.family == "cwTeX 仿宋体"
    report = example_report()
    assert "滘" in report.sections[0].body or any("滘" in s.body for s in report.sections)
    info = render_pdf(report, tmp_path / "r.pdf")
    assert info.substituted.get("滘") == ("body", face.family)
    # Nothing else is substituted: every other character printed in its role's face.
    assert set(info.substituted) == {"滘"}, info.substituted
    note = substitution_note(info.substituted)
    assert "滘" in note and face.family in note and note.startswith("有 1 个字")


@needs_fandol
def test_print_command_lists_the_substitution(tmp_path: Path):
    from nanzhou_desktop.example import write_example

    if find_fonts()["body"].office:
        pytest.skip("本机装有办公字体仿宋")
    db = write_example(tmp_path / "r.sqlite")
    r = subprocess.run([sys.executable, "-m", "nanzhou_desktop", "print", str(db), "-o", str(tmp_path / "r.pdf")],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert "提示：有 1 个字所选字体中没有" in r.stderr and "“滘”" in r.stderr


def test_a_broken_cff_font_is_a_chinese_error(tmp_path: Path):
    bad = tmp_path / "FandolFang-Regular.otf"
    bad.write_bytes(b"OTTO" + b"\x00" * 400)
    with pytest.raises(fontconvert.ConversionError) as err:
        fontconvert.convert(bad, tmp_path / "out.ttf")
    assert "无法转换字体" in str(err.value)
    assert not list(tmp_path.glob("*.ttf")) and not list(tmp_path.glob(".*tmp"))
    # chosen as the body's face (it says OTTO), the render says so in Chinese
    fonts = find_fonts(dirs=[tmp_path, Path("/usr/share/fonts")])
    assert fonts["body"].source == bad
    with pytest.raises(FontError) as err:
        prepare(fonts)
    assert "无法转换字体" in str(err.value)


@needs_fandol
def test_conversion_is_cached_per_source(tmp_path: Path):
    """The converted file is keyed by the source's path, size and time: found again without
    converting, and a changed source gets a new one."""
    copy = tmp_path / "fonts" / "FandolFang-Regular.otf"
    copy.parent.mkdir()
    shutil.copy(FANDOL, copy)
    folder = tmp_path / "cache"
    first = fontconvert.converted_path(copy, folder)
    assert first is not None and not first.exists() and first.parent == folder
    assert first == fontconvert.converted_path(copy, folder)
    copy.touch()
    import os

    os.utime(copy, ns=(1, 1))
    assert fontconvert.converted_path(copy, folder) != first


@needs_fandol
def test_two_fonts_converted_side_by_side(tmp_path: Path):
    """convert_all converts the first font in a child process and the second here (two small
    CFF fonts of the same family: Fandol's braille faces); a failure in the child is raised
    here with its reason."""
    from fontTools.ttLib import TTFont

    pairs = [(FANDOL.with_name(f"FandolBraille-{s}.otf"), tmp_path / f"{s}.ttf") for s in ("Regular", "Display")]
    fontconvert.convert_all(pairs)
    for src, out in pairs:
        assert has_glyf(out)
        assert len(TTFont(str(out)).getBestCmap()) == len(TTFont(str(src)).getBestCmap())
    bad = tmp_path / "bad.otf"
    bad.write_bytes(b"OTTO" + bytes(100))
    with pytest.raises(fontconvert.ConversionError):
        fontconvert.convert_all([(bad, tmp_path / "x.ttf"), pairs[0]])
