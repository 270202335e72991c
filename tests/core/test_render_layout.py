"""GB/T 9704-2012 placement and the line-breaking rules, measured on the printed PDF of the
example and of a report ten times its size (text, tasks and indicators ×10): glyph boxes
from poppler, ink from a 600 dpi raster, letter spacing from the content stream.

- §7.5 the page number's 一字线 7 mm below the text block, on every sheet;
- §8 the annex table inside the text block turned a quarter turn, nothing outside the block;
- §7.3.4 the 附件说明 one empty line under the text, two characters in;
- §7.3.7 "附件" on the block's first line, the annex title on its third, in the title format;
- §7.3.5.1 the unit name centred over the 成文日期 (and what is done when it cannot be);
- 禁则: no number split from its unit, no orphan or widow, no lone last character, letter
  spacing within 5 %; every page's text is the report's text.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Report
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render.pdf import GRID, annex_title, render_pdf
from tests.core.pdf_pages import (
    BLOCK_BOTTOM,
    BLOCK_LEFT,
    BLOCK_RIGHT,
    BLOCK_TOP,
    CHAR,
    MM,
    PITCH,
    body_lines,
    char_spacings,
    number_unit_splits,
    orphans_and_widows,
    paragraph_ends,
    read_pages,
    squash,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                reason="poppler-utils 未安装")
DPI = 600
PX_PER_MM = DPI / 25.4


def ten_times(report: Report) -> Report:
    """Ten times the example: every section's text, the tasks and the indicators (the same
    一级/二级 groups, so each merged group is ten times as tall)."""
    big = copy.deepcopy(report)
    for sec in big.sections:
        if sec.body:
            sec.body = "\n".join([sec.body] * 10)
    big.tasks = [copy.deepcopy(t) for _ in range(10) for t in report.tasks]
    for k, t in enumerate(big.tasks):
        t.title = f"{t.title}（{k // len(report.tasks) + 1}）"
    indicators = []
    for ind in report.indicators:
        for k in range(10):
            copy_ = copy.deepcopy(ind)
            copy_.level3 = f"{ind.level3}（{k + 1}）"
            copy_.id = None
            indicators.append(copy_)
    big.indicators = indicators
    return big


@pytest.fixture(scope="module", params=["example", "ten_times"])
def printed(request, tmp_path_factory):
    report = example_report() if request.param == "example" else ten_times(example_report())
    out = tmp_path_factory.mktemp(request.param) / f"{request.param}.pdf"
    info = render_pdf(report, out)
    return report, info, read_pages(info.path), read_pages(info.path, turn=False)


def _raster(pdf: Path, page: int, tmp: Path, box_mm: tuple[float, float, float, float]):
    """Page ``page`` (1-based) at 600 dpi, cropped to (left, top, width, height) in mm, as a
    grey image (PIL)."""
    from PIL import Image

    x, y, w, h = (round(v * PX_PER_MM) for v in box_mm)
    stem = tmp / f"p{page}-{x}-{y}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-x", str(x), "-y", str(y),
                    "-W", str(w), "-H", str(h), "-singlefile", "-png", str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png")


def _dark_rows(img, min_run_mm: float) -> list[int]:
    """Rows with a horizontal run of dark pixels at least ``min_run_mm`` long."""
    grey = img.convert("L")
    w, h = grey.size
    data = grey.tobytes()
    run = re.compile(rb"[\x00-\x7f]{%d,}" % max(int(min_run_mm * PX_PER_MM), 1))
    return [y for y in range(h) if run.search(data, y * w, (y + 1) * w)]


# -- §7.5 page number -----------------------------------------------------------------------

def test_page_number_dash_7_mm_below_the_block(printed, tmp_path: Path):
    """The top of the 一字线's ink is 7 mm under the block's lower edge, odd and even pages,
    body and annex (measured on a 600 dpi raster)."""
    _, info, _, raw = printed
    pages = sorted({1, 2, len(raw) - 1, len(raw)})
    for n in pages:
        img = _raster(info.path, n, tmp_path, (28, 262, 156, 12))
        rows = _dark_rows(img, 3.0)  # the dashes are 4 mm long; digits are narrower
        assert rows, n
        top_mm = rows[0] / PX_PER_MM
        assert abs(top_mm - 7.0) <= 0.15, (n, top_mm)


# -- §8 the annex in the turned block ------------------------------------------------------------

def test_nothing_drawn_outside_the_block(printed, tmp_path: Path):
    """No ink in the left and right margins beside the block on any page (the annex's
    table used to run 20 mm from the sheet's edges)."""
    _, info, _, raw = printed
    for n in sorted({1, len(raw) // 2, *range(len(raw) - 3, len(raw) + 1)}):
        for box in ((0, 37, 27.5, 225), (184.5, 37, 25.5, 225)):
            img = _raster(info.path, n, tmp_path, box).convert("L")
            assert img.getextrema()[0] >= 128, (n, box)


def test_annex_fills_the_turned_block(printed):
    """Annex sheets are portrait; their text runs up the sheet inside the block (225 × 156 mm
    turned), the head of the table to the left, the page furniture as on any page."""
    report, info, pages, raw = printed
    sideways = [p for p in pages if p.turned]
    assert sideways and all(p.n > q.n for p in sideways for q in pages if q.portrait)
    for p in raw:
        assert p.h > p.w
    tol = 1 * MM
    for p in raw:
        if p.n not in {q.n for q in sideways}:
            continue
        up = [w for w in p.words if w.h > w.w and len(w.text) > 1]
        assert up, p.n
        for w in p.words:
            furniture = w.y0 > BLOCK_BOTTOM + 3 * MM or w.y1 < BLOCK_TOP - 3 * MM
            if furniture:
                continue
            assert BLOCK_LEFT - tol <= w.x0 and w.x1 <= BLOCK_RIGHT + tol, (p.n, w)
            assert BLOCK_TOP - tol <= w.y0 and w.y1 <= BLOCK_BOTTOM + tol, (p.n, w)
    # read upright, the text reads left to right along the block's 225 mm
    first = sideways[0]
    label = next(w for w in first.words if w.text == "附件")
    assert abs(label.x0 - 35 * MM) < 1 * MM  # the block's left edge on the turned sheet (297 − 262 mm)


def test_annex_label_on_line_one_and_title_on_line_three(printed):
    """§7.3.7: "附件" in 3号黑体 at the left of the block's first line; the annex's title centred
    on its third line in the title's format (2号), the same words as the 附件说明."""
    report, _, pages, _ = printed
    first = next(p for p in pages if p.turned)
    top = 28 * MM  # the block's top on the turned sheet (its left edge on the sheet)
    label = next(w for w in first.words if w.text == "附件")
    assert 15.5 <= label.h <= 16.5
    assert top <= label.y0 and label.y1 <= top + PITCH + 1
    title = [w for w in first.words if 21.5 <= w.h <= 22.5]
    assert "".join(w.text for w in title) == annex_title(report)
    mid_y = (title[0].y0 + title[0].y1) / 2
    assert top + 2 * PITCH <= mid_y <= top + 3 * PITCH, (mid_y - top) / PITCH
    centre = (min(w.x0 for w in title) + max(w.x1 for w in title)) / 2
    assert abs(centre - (35 + 112.5) * MM) < 1 * MM


# -- §7.3.4 附件说明 and §7.3.5.1 署名 -----------------------------------------------------------

def _signoff_rows(pages):
    last = [p for p in pages if p.portrait][-1]
    rows = last.rows()
    i = next(k for k, r in enumerate(rows) if "".join(w.text for w in r).startswith("附件："))
    return rows, i


def test_attachment_note_one_line_under_the_text(printed):
    report, _, pages, _ = printed
    rows, i = _signoff_rows(pages)
    note = rows[i]
    assert "".join(w.text for w in note) == f"附件：{annex_title(report)}"
    assert abs(note[0].x0 - (BLOCK_LEFT + 2 * CHAR)) < 1
    assert abs((note[0].y0 - rows[i - 1][0].y0) - 2 * PITCH) < 1  # one empty line between


def _centre(w) -> float:
    return (w.x0 + w.x1) / 2


@pytest.mark.parametrize("unit, date, short", [
    ("广州市海珠区人民政府南洲街道办事处", "2023-03-15", False),  # too long to centre at 右空四字
    ("广州市海珠区人民政府南洲街道办事处", "", False),  # the blank date to write by hand
    ("南洲街道办事处", "2023-03-15", True),
    ("广东省广州市海珠区人民政府南洲街道办事处综合保障和财务管理服务中心", "2023-03-15", False),  # over a line
])
def test_unit_name_centred_over_the_date(tmp_path: Path, unit: str, date: str, short: bool):
    """§7.3.5.1: the name centred over the date.  With the date four characters in (右空四字)
    when the name fits so; a name too long for that moves the date left until the name ends at
    the block's edge; a name longer than a line is set on two lines, each centred on the date.
    The seal's room: two empty lines between the 附件说明 and the name."""
    report = example_report()
    report.unit.full_name = unit
    report.signoff.issue_date = date
    pages = read_pages(render_pdf(report, tmp_path / "r.pdf").path)
    rows, i = _signoff_rows(pages)
    names = []
    k = i + 1  # rows with text: the empty lines are no rows
    while not "".join(w.text for w in rows[k]).endswith("日"):
        names.append(rows[k])
        k += 1
    date_row = rows[k]
    assert abs((names[0][0].y0 - rows[i][0].y0) - 3 * PITCH) < 1
    assert "".join(w.text for r in names for w in r) == unit
    assert len(names) == (2 if len(unit) > 28 else 1)
    date_left, date_right = date_row[0].x0, date_row[-1].x1
    if not date:  # "　　　　年　　月　　日": eleven characters, the first four blank
        date_left = date_right - 11 * CHAR
    for r in names:
        assert abs((r[0].x0 + r[-1].x1) / 2 - (date_left + date_right) / 2) < 0.5 * MM
        assert r[-1].x1 <= BLOCK_RIGHT + 0.5 and r[0].x0 >= BLOCK_LEFT - 0.5
    if short:
        assert abs((BLOCK_RIGHT - date_right) - 4 * CHAR) < 0.5 * MM
    else:
        assert BLOCK_RIGHT - date_right >= 4 * CHAR - 0.5 * MM
        assert abs(max(r[-1].x1 for r in names) - BLOCK_RIGHT) < 0.5 * MM or BLOCK_RIGHT - date_right < 4 * CHAR + 1
    note = rows[k + 1]
    assert "".join(w.text for w in note).startswith("（联系人：")


# -- 禁则 and fidelity ------------------------------------------------------------------------

def test_no_number_split_orphan_widow_or_lone_last_character(printed):
    """Across the whole report: 0 numbers split from their unit, 0 paragraphs leaving one
    line alone at a page's foot or head, 0 paragraphs ending on a line with one character."""
    _, _, pages, _ = printed
    lines = body_lines(pages)
    cut = next(i for i, ln in enumerate(lines) if ln.text.startswith("附件："))
    lines = lines[:cut]
    assert len(lines) > 250
    assert number_unit_splits(lines) == []
    assert orphans_and_widows(lines) == []
    lone = [lines[i].text for i in paragraph_ends(lines)
            if len(re.sub(r"[，。、；：？！）》”’（《“‘…—]", "", lines[i].text)) < 2 and len(lines[i].text) > 0]
    assert lone == []


def test_letter_spacing_within_five_percent(printed):
    """Every body line's letter spacing (its Tc operator) is the grid's within ±5 % of the
    character size; a line that needs more gets space after its punctuation instead."""
    _, info, pages, _ = printed
    seen = 0
    for i, p in enumerate(pages):
        if not p.portrait:
            continue
        for size, tc in char_spacings(info.path, i):
            if size == 16:
                seen += 1
                assert abs(tc - GRID.spacing) / 16 <= 0.05 + 1e-6, (p.n, tc)
    assert seen > 200


def test_every_page_holds_the_reports_text(printed):
    """After print, the body pages' text without page numbers, stamp and draft mark is the
    report's text, block by block, and nothing else but the sign-off."""
    report, _, pages, _ = printed
    body = squash("".join("".join(p.lines()) for p in pages if p.portrait))
    want = squash("".join(b.full_text for b in blocks(report)))
    assert body.startswith(want), next(
        (i, body[i - 10:i + 20], want[i - 10:i + 20]) for i in range(len(want)) if body[i] != want[i])
    rest = body[len(want):]
    assert rest.startswith(f"附件：{annex_title(report)}{squash(report.unit.full_name)}")
    assert rest.endswith("）")
