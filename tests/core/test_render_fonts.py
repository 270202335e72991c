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


def test_cached_metrics_equal_a_fresh_parse(tmp_path: Path, monkeypatch):
    """The on-disk metrics cache rebuilds exactly what reportlab parses (reportlab is pinned)."""
    from nanzhou_desktop.render import fonts as fonts_mod

    monkeypatch.setenv("NANZHOU_CACHE_DIR", str(tmp_path))
    face = find_fonts()["heading1"]  # a TTC member: the harder case
    path = str(face.path)
    fresh = fonts_mod._load(path, face.subfont, "t-fresh", False)
    first = fonts_mod._cached_face(path, face.subfont)  # parses and writes the cache
    assert list((tmp_path / "fonts").glob("*.marshal"))
    again = fonts_mod._cached_face(path, face.subfont)  # read back from the cache
    for f in (first, again):
        a, b = vars(f), vars(fresh.face)
        assert set(a) == set(b)
        for key in a:
            if key == "_ttf_data":
                assert a[key][:] == b[key], key  # a memory map of the same bytes
            elif key != "_pdfScale":
                assert a[key] == b[key], key
        assert f._pdfScale(2048) == fresh.face._pdfScale(2048)
        assert f.name.ustr == fresh.face.name.ustr
    cached_font = fonts_mod._load(path, face.subfont, "t-cached", True)
    assert set(vars(cached_font)) == set(vars(fresh))
    # A corrupt cache file is ignored, not fatal.
    for p in (tmp_path / "fonts").glob("*.marshal"):
        p.write_bytes(b"garbage")
    assert vars(fonts_mod._cached_face(path, face.subfont))["charToGlyph"] == fresh.face.charToGlyph
