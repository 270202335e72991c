"""Fonts: the choice per role, TrueType-only, office fonts preferred, and coverage of every
character the example prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.narrative import plain_text
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.fonts import ROLES, FontError, covers, find_fonts, font_for, has_glyf, missing
from nanzhou_desktop.rules import check


def test_every_role_has_an_embeddable_font():
    fonts = find_fonts()
    for role in ROLES:
        face = fonts[role]
        assert face.path.is_file()
        assert has_glyf(face.path, face.subfont), face
        assert face.family
    assert len(fonts.describe()) == len(ROLES)
    assert all("：" in line for line in fonts.describe())


def test_cff_and_garbage_are_refused(tmp_path: Path):
    otf = tmp_path / "x.otf"
    otf.write_bytes(b"OTTO" + b"\x00" * 200)
    assert not has_glyf(otf)
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    assert not has_glyf(junk)
    assert not has_glyf(tmp_path / "absent.ttf")


def test_office_font_preferred_when_present(tmp_path: Path):
    """A file named like the Windows 仿宋 wins over the free fallback for the body."""
    free = find_fonts()["body"]
    shutil.copy(free.path, tmp_path / "SIMFANG.TTF")
    fonts = find_fonts(dirs=[tmp_path, Path("/usr/share/fonts")])
    assert fonts["body"].family == "FangSong"
    assert fonts["body"].office
    assert fonts["body"].path.parent == tmp_path
    assert not fonts["heading1"].office  # no 黑体 in that folder: the free one


def test_no_font_at_all_is_a_chinese_error(tmp_path: Path):
    with pytest.raises(FontError) as err:
        find_fonts(dirs=[tmp_path])
    assert "字体" in str(err.value)


def _printed_text(report) -> dict[str, str]:
    """What each role prints for the example: body text, headings, the table and sign-off."""
    text = plain_text(report)
    t = table_data.build(report, check(report))
    cells = [t.unit, "部门整体支出绩效自评表预算执行情况年初预算数全年预算数（A）全年执行数（B）执行率（B/A）分值得分偏差原因"
             "重点项目一级指标二级指标三级指标指标性质年度指标值度量单位实际完成值偏差原因分析及改进措施总分自评等级："
             "单位负责人财务负责人填报人联系电话填报日期单位（盖章）：联系人，＿—年月日附件金额单位：万元名称不适用"
             "报告核对码：扫描可得单位、年度、修订号与内容指纹，与报送的报告文件核对。（SHA-256）0123456789abcdef%.,"]
    for row in t.budget + t.projects:
        cells += [row.label, row.reason]
    for ind in t.indicators:
        cells += [ind.level1, ind.level2, ind.level3, ind.direction, ind.target, ind.unit, ind.actual, ind.reason]
    headings1 = "".join(s.number + s.heading for s in report.sections if s.level == 1) + "草稿"
    headings2 = "".join(s.number + s.heading for s in report.sections if s.level == 2)
    return {"body": text + "".join(cells), "heading1": headings1, "heading2": headings2,
            "title": report.display_title, "page_number": "— 0123456789"}


def test_every_character_of_the_example_is_covered():
    fonts = find_fonts()
    report = example_report()
    gaps = {role: missing(fonts, role, text) for role, text in _printed_text(report).items()}
    assert all(not g for g in gaps.values()), gaps


def test_role_font_itself_covers_headings_and_title():
    """Headings and title come from their own face, not a fallback (a 黑体 heading in 宋 would look wrong)."""
    fonts = find_fonts()
    texts = _printed_text(example_report())
    for role in ("heading1", "heading2", "title", "page_number"):
        lacking = {c for c in texts[role] if not c.isspace() and not covers(fonts[role], c)}
        assert not lacking, (role, lacking)


def test_a_character_no_font_has_is_reported():
    fonts = find_fonts()
    ghost = "\U000f0001"  # supplementary private use: in no font
    assert font_for(fonts, "body", ghost) is None
    assert missing(fonts, "body", f"南洲{ghost}") == {ghost}


def _same_typed(a, b) -> bool:
    """Equal values of the same types (500 and 500.0 would print differently)."""
    if isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_typed(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(b, dict):
        return len(a) == len(b) and all(k in a and _same_typed(a[k], v) for k, v in b.items())
    return type(a) is type(b) and a == b


def test_cached_metrics_equal_a_fresh_parse(tmp_path: Path, monkeypatch):
    """The on-disk metrics cache rebuilds exactly what reportlab parses (reportlab is pinned):
    every table, value for value and type for type, through the interface reportlab uses."""
    from nanzhou_desktop.render import fonts as fonts_mod

    monkeypatch.setenv("NANZHOU_CACHE_DIR", str(tmp_path))
    fonts = find_fonts()
    # A TTC member (the harder case), a font with 1000 units per em (int widths), the body.
    for face in {fonts["heading1"], fonts["heading2"], fonts["body"]}:
        path = str(face.path)
        fresh = fonts_mod._load(path, face.subfont, f"t-fresh-{face.rl_name}", False)
        first = fonts_mod._cached_face(path, face.subfont)  # parses and writes the cache
        assert list((tmp_path / "fonts").glob("*.nzfont"))
        again = fonts_mod._cached_face(path, face.subfont)  # read back from the cache
        assert type(again).__name__ == "CachedFace"
        b = dict(vars(fresh.face))  # before makeSubset below moves its read position
        for f in (first, again):
            for key in b:
                value = getattr(f, key)
                if key == "_ttf_data":
                    assert value[:] == b[key], key  # a memory map of the same bytes
                elif key != "_pdfScale":
                    assert _same_typed(value, b[key]), key
            assert f._pdfScale(2048) == fresh.face._pdfScale(2048)
            assert f.name.ustr == fresh.face.name.ustr
            assert f.get_table("glyf")[100:400] == fresh.face.get_table("glyf")[100:400]
            assert f.get_table("head") == fresh.face.get_table("head")
            codes = [*list(b["charToGlyph"])[:50], 0x10FFFF, -1, 0x4E2D]
            assert [f.charToGlyph.get(c) for c in codes] == [fresh.face.charToGlyph.get(c) for c in codes]
            assert [c in f.charWidths for c in codes] == [c in fresh.face.charWidths for c in codes]
            assert f.hmetrics[-1] == fresh.face.hmetrics[-1] and f.hmetrics[2:5] == fresh.face.hmetrics[2:5]
            assert f.makeSubset([0x20, 0x4E2D, 0x5E74, 0xFF0C]) == fresh.face.makeSubset([0x20, 0x4E2D, 0x5E74, 0xFF0C])
        cached_font = fonts_mod._load(path, face.subfont, f"t-cached-{face.rl_name}", True)
        assert set(vars(cached_font)) == set(vars(fresh))
    # Subsets with composite glyphs (accented Latin in DejaVu Sans), CJK and missing codes:
    # the cached face's own subsetter writes the same font file as reportlab's.
    latin = next(f for f in fonts.fallbacks if f.family == "DejaVu Sans")
    for face in (latin, fonts["body"], fonts["heading2"]):
        fresh = fonts_mod._load(str(face.path), face.subfont, f"t-fresh-{face.rl_name}", False).face
        cached = fonts_mod._cached_face(str(face.path), face.subfont)
        cached = fonts_mod._cached_face(str(face.path), face.subfont)
        assert type(cached).__name__ == "CachedFace"
        for subset in ([0, 32, *map(ord, "éàüÅǺǻḉṏ%—“”")], list(range(32, 288)), [0, *map(ord, "南洲街道办事处，。")],
                       [0x10FFFF, 0xE000, 65]):
            assert cached.makeSubset(subset) == fresh.makeSubset(subset), (face, subset[:5])
    # The first write (reportlab adds characters when shaping) makes the table a plain dict.
    again.charToGlyph[0xF0000] = 7
    assert again.charToGlyph[0xF0000] == 7 and len(again.charToGlyph) == len(b["charToGlyph"]) + 1
    # A damaged glyph-to-character table (read only when shaping) is parsed again.
    face = fonts["heading1"]
    fresh = fonts_mod._load(str(face.path), face.subfont, f"t-fresh-{face.rl_name}", False).face
    cache = fonts_mod._cache_file(str(face.path), face.subfont)
    data = cache.read_bytes()
    cache.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    damaged = fonts_mod._cached_face(str(face.path), face.subfont)
    assert type(damaged).__name__ == "CachedFace" and damaged.glyphToChar == fresh.glyphToChar
    # A corrupt, flipped or truncated cache file is ignored, not fatal.
    files = [fonts_mod._cache_file(str(f.path), f.subfont) for f in (fonts["heading1"], fonts["heading2"], fonts["body"])]
    files[0].write_bytes(b"garbage")
    data = files[1].read_bytes()
    at = len(fonts_mod._MAGIC) + 4 + int.from_bytes(data[len(fonts_mod._MAGIC):len(fonts_mod._MAGIC) + 4], "little") + 16
    files[1].write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])  # inside the character table
    files[2].write_bytes(files[2].read_bytes()[:-100])
    for face in {fonts["heading1"], fonts["heading2"], fonts["body"]}:
        fresh = fonts_mod._load(str(face.path), face.subfont, f"t-fresh-{face.rl_name}", False)
        again = fonts_mod._cached_face(str(face.path), face.subfont)
        assert type(again).__name__ == "TTFontFace"
        assert again.charToGlyph == fresh.face.charToGlyph
