"""The example's PDF measured from the outside (poppler's pdftotext -bbox, pdffonts, qpdf,
zbarimg): text and order, geometry of the GB/T 9704 block, page numbers, fonts, 禁则,
the draft mark, the stamp, the sign-off and the QR code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render.pdf import PdfInfo, chinese_date, render_pdf
from nanzhou_desktop.render.stamp import qr_payload
from tests.core.pdf_pages import MM, Page, Word, read_pages, squash

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")

FORBIDDEN_START = "，。、；：？！）》”’"
FORBIDDEN_END = "（《“‘"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple:
    report = example_report()
    out = tmp_path_factory.mktemp("pdf") / "example.pdf"
    calls: list[tuple[int, int]] = []
    info = render_pdf(report, out, progress=lambda d, t: calls.append((d, t)))
    return report, info, read_pages(out), calls


def test_pdf_written_small_and_valid(rendered):
    report, info, pages, calls = rendered
    assert isinstance(info, PdfInfo)
    assert info.path.stat().st_size < 1_000_000
    assert info.pages == len(pages) >= 10
    assert info.missing_chars == set()
    assert set(info.fonts_used) >= {"title", "body", "heading1", "heading2", "page_number"}
    assert info.fingerprint == fingerprint(report)
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(info.path)], check=True, capture_output=True)
    assert calls and calls[-1][0] == calls[-1][1]


def test_every_paragraph_in_order(rendered):
    report, info, pages, _ = rendered
    text = squash("".join("".join(p.lines()) for p in pages if p.portrait))
    pos = 0
    for b in blocks(report):
        want = squash(b.full_text)
        at = text.find(want, pos)
        assert at >= 0, f"missing or out of order: {b.full_text[:40]}"
        pos = at + len(want)


def test_glyphs_inside_the_text_block(rendered):
    _, _, pages, _ = rendered
    left, right = 28 * MM, (28 + 156) * MM
    top, bottom = 37 * MM, (37 + 225) * MM
    tol = 1 * MM
    checked = 0
    for p in pages:
        if not p.portrait:
            continue
        for w in p.body():
            checked += 1
            assert w.x0 >= left - tol and w.x1 <= right + tol, (p.n, w)
            assert w.y0 >= top - tol and w.y1 <= bottom + tol, (p.n, w)
    assert checked > 250


def test_grid_22_lines_of_28_characters(rendered):
    _, _, pages, _ = rendered
    body_pages = [p for p in pages if p.portrait]
    counts = [len(p.lines()) for p in body_pages]
    assert max(counts) == 22
    # A page is short only by what the rules move on: a line for a paragraph's lone first or
    # last line (orphan, widow), a heading with the two lines it needs under it; the page
    # before the sign-off by the lines that go over with the seal.
    assert all(c >= 19 for c in counts[:-2]), counts
    full = [ln for p in body_pages for ln in p.lines() if re.fullmatch(r"[\u4e00-\u9fff，。、；：？！“”（）《》]+", ln)]
    lengths = [len(ln) for ln in full]
    # 28 on the grid; 27 or 29 where the 禁则 moved a character (letter spacing within 5 %).
    assert max(lengths) <= 29
    assert lengths.count(28) > len(lengths) / 2
    # A justified line runs from the left edge to the right edge of the block.
    cjk = re.compile(r"[\u4e00-\u9fff，。、；：？！“”（）《》]{27,29}")
    xs = [w for p in body_pages for w in p.body() if cjk.fullmatch(w.text)]
    assert xs and all(abs(w.x0 - 28 * MM) < 1 * MM and abs(w.x1 - 184 * MM) < 1 * MM for w in xs)


def test_no_line_starts_or_ends_with_forbidden_punctuation(rendered):
    _, _, pages, _ = rendered
    lines = [ln for p in pages for ln in p.lines()]
    assert len(lines) > 200
    bad_start = [ln for ln in lines if ln[0] in FORBIDDEN_START]
    bad_end = [ln for ln in lines if ln[-1] in FORBIDDEN_END]
    assert not bad_start and not bad_end, (bad_start, bad_end)


def test_page_numbers_odd_right_even_left(rendered):
    """On every sheet, annex included (§8: the same place as on the other pages): "— n —" in
    4号, odd pages one character in from the block's right edge, even pages from its left.
    (Its height is measured by its ink in tests/core/test_render_layout.py.)"""
    _, info, _, _ = rendered
    for p in read_pages(info.path, turn=False):
        assert p.portrait
        nums = [w for w in p.words if w.text == str(p.n) and 13.5 <= w.h <= 14.5 and w.w < w.h * 2]
        assert len(nums) == 1, (p.n, [w.text for w in p.words][-8:])
        num = nums[0]
        row = sorted((w for w in p.words if abs(w.y0 - num.y0) < 1), key=lambda w: w.x0)
        assert "".join(w.text for w in row) == f"—{p.n}—"
        assert 262 * MM < num.y0 < 262 * MM + 9 * MM, p.n
        if p.n % 2:
            assert abs(row[-1].x1 - (184 * MM - 14)) < 1 * MM, p.n
        else:
            assert abs(row[0].x0 - (28 * MM + 14)) < 1 * MM, p.n


def test_headings_never_last_on_a_page(rendered):
    report, _, pages, _ = rendered
    headings = {squash(b.full_text) for b in blocks(report) if b.kind == "heading"}
    body_pages = [p for p in pages if p.portrait]
    for p in body_pages[:-1]:
        assert squash(p.lines()[-1]) not in headings, (p.n, p.lines()[-1])


def test_stamp_and_draft_mark_on_every_page(rendered):
    report, info, pages, _ = rendered
    short = info.fingerprint[:12]
    for p in read_pages(info.path, turn=False):  # as on the sheet, annex pages too
        text = "".join(w.text for w in p.words)
        assert short in text and report.unit.full_name in text, p.n
        marks = [w for w in p.words if w.text == "草稿" and w.h > 17]
        assert marks and marks[0].y1 < 37 * MM, p.n  # in the top margin, never over the text


def test_final_report_has_no_draft_mark(tmp_path: Path):
    from nanzhou_desktop.content import fingerprint

    report = example_report()
    report.status, report.final_fingerprint = Status.FINAL, fingerprint(report)  # a true 定稿
    info = render_pdf(report, tmp_path / "final.pdf")
    assert not any(w.text == "草稿" for p in read_pages(info.path) for w in p.words)


def test_fonts_embedded(rendered):
    _, info, _, _ = rendered
    out = subprocess.run(["pdffonts", str(info.path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        if cols[0] == "Helvetica":
            continue  # reportlab always lists it; proved unused below
        assert cols[-5:-2] == ["yes", "yes", "yes"], row  # emb sub uni
    # Every font a content stream selects is embedded.
    import pypdf

    reader = pypdf.PdfReader(str(info.path))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        used = set(re.findall(rb"/(\S+) [\d.]+ Tf", page.get_contents().get_data()))
        for name in used:
            font = fonts["/" + name.decode()].get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font else font["/FontDescriptor"]
            assert "/FontFile2" in desc.get_object(), font["/BaseFont"]


def test_signoff_blank_lines_never_invented(rendered):
    report, _, pages, _ = rendered
    body_pages = [p for p in pages if p.portrait]
    last = body_pages[-1]
    lines = last.lines()
    unit_at = [i for i, ln in enumerate(lines) if ln == report.unit.full_name]
    assert unit_at, lines
    i = unit_at[-1]
    assert i >= 2  # the last lines of text share the page with the sign-off
    assert squash(lines[i + 1]) == "年月日"
    assert lines[i + 2].startswith("（联系人：") and lines[i + 2].endswith("）")
    all_text = "".join(w.text for p in pages for w in p.words)
    assert "单位负责人：" in all_text


def test_signoff_with_date_and_names(tmp_path: Path):
    report = example_report()
    report.signoff.issue_date = "2023-03-15"
    report.signoff.preparer = "李明"
    report.signoff.phone_office = "020-12345678"
    info = render_pdf(report, tmp_path / "dated.pdf")
    pages = read_pages(info.path)
    body = [p for p in pages if p.portrait][-1]
    lines = body.lines()
    i = lines.index(report.unit.full_name)
    assert lines[i + 1] == "2023年3月15日"
    assert lines[i + 2] == "（联系人：李明，联系电话：020-12345678）"
    unit = next(w for w in body.body() if w.text == report.unit.full_name)
    date = next(w for w in body.body() if w.text == "2023年3月15日")
    char = 156 * MM / 28
    # the name centred over the date; this long name ends at the block's edge, so the date
    # is further in than four characters (tests/core/test_render_layout.py has the rule)
    assert abs((unit.x0 + unit.x1) / 2 - (date.x0 + date.x1) / 2) < 0.5 * MM
    assert 184 * MM - date.x1 >= 4 * char - 0.5 * MM
    assert unit.x1 <= 184 * MM + 0.5
    assert chinese_date("2023-03-05") == "2023年3月5日" and chinese_date("") == ""


def test_missing_character_reported_not_dropped(tmp_path: Path):
    report = example_report()
    ghost = "\U000f0001"
    report.sections[0].body = f"南洲{ghost}街道"
    info = render_pdf(report, tmp_path / "ghost.pdf")
    assert info.missing_chars == {ghost}


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbarimg（Debian zbar-tools）未安装，无法解码二维码")
def test_qr_decodes_to_the_fingerprint(rendered, tmp_path: Path):
    report, info, pages, _ = rendered
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(info.pages), "-l", str(info.pages), str(info.path),
                    str(tmp_path / "last")], check=True)
    png = next(tmp_path.glob("last*.png"))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True).stdout.strip()
    assert out == qr_payload(report) == info.qr_payload
    assert out.endswith(f"指纹={fingerprint(report)}")


def test_direct_text_operators_same_as_reportlabs_text_object(tmp_path: Path, monkeypatch):
    """GridText.draw writes the text operators itself, fonts are subset by our own code and
    compressed on other threads; through reportlab's text object, subsetter and compression
    on one thread the PDF is byte for byte the same."""
    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTFontFace

    from nanzhou_desktop.render import fonts as fonts_mod
    from nanzhou_desktop.render.fonts import find_fonts
    from nanzhou_desktop.render.grid import GridText

    monkeypatch.setattr(rl_config, "invariant", 1)  # no dates or random ids in the file
    report = example_report()
    fast = render_pdf(report, tmp_path / "fast.pdf").path.read_bytes()
    monkeypatch.setattr(GridText, "draw", GridText.draw_textobject)
    cached = type(fonts_mod.register(find_fonts()["body"]).face)
    if cached is not TTFontFace:  # the cached face's subsetter and threaded compression
        monkeypatch.setattr(cached, "makeSubset", TTFontFace.makeSubset)
        monkeypatch.setattr(cached, "addSubsetObjects", TTFontFace.addSubsetObjects)
    slow = render_pdf(report, tmp_path / "slow.pdf").path.read_bytes()
    assert fast == slow


def test_qr_matrix_is_segnos():
    """The QR modules come from segno's encoder loaded on its own (no segno/__init__ and its
    writers' imports): the same matrix as segno.make, in a process where segno is not loaded."""
    code = (
        "import sys\n"
        "from nanzhou_desktop.render import stamp\n"
        "payloads = ['NZPJ1;单位=南洲街道办事处;年度=2022;修订=3;指纹=' + 'ab' * 32, 'x', '单位' * 40, '海珠区人民政府']\n"
        "ms = [[bytes(r) for r in stamp.qr_matrix(p)] for p in payloads]\n"
        "assert 'segno' not in sys.modules and 'urllib.request' not in sys.modules, sorted(sys.modules)\n"
        "import segno\n"
        "assert ms == [[bytes(r) for r in segno.make(p, error='m', micro=False, mask=0, encoding='utf-8').matrix] for p in payloads]\n"
        "print('same', len(ms[0]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("same"), r.stdout + r.stderr


def test_annex_holds_the_checked_scores(rendered):
    """The annex prints rules.check's scores and grade, the budget figures and each indicator."""
    from nanzhou_desktop.money import format_money, format_rate
    from nanzhou_desktop.render import table_data
    from nanzhou_desktop.rules import check

    report, _, pages, _ = rendered
    data = table_data.build(report, check(report))
    annex = squash("".join(w.text for p in pages if not p.portrait for w in p.words))
    total = report.budget_total_row
    for want in (format_money(total.budget_total), format_money(total.executed),
                 format_rate(data.budget[0].rate), table_data.score_text(data.total_score),
                 f"自评等级：{data.grade}", "单位负责人：", "财务负责人：", "填报人：", "联系电话：", "单位（盖章）"):
        assert squash(want) in annex, want
    for ind in data.indicators:
        assert squash(ind.level3) in annex, ind.level3
        assert table_data.score_text(ind.score) in annex


def _signature_cells(pages: list[Page]) -> dict[str, list[str]]:
    """The annex's signature row, cell by cell: each label and the lines of text under it."""
    labels = ("单位负责人：", "财务负责人：", "填报人：", "联系电话：", "填报日期：", "单位（盖章）")
    page = next(p for p in pages if not p.portrait and any(w.text == "填报日期：" for w in p.words))
    heads = [next(w for w in page.words if w.text == label) for label in labels]
    cells: dict[str, list[str]] = {}
    for i, head in enumerate(heads):
        right = heads[i + 1].x0 if i + 1 < len(heads) else head.x0 + 40 * MM
        rows: dict[int, list[Word]] = defaultdict(list)
        for w in page.words:
            if head.x0 - 1 <= w.x0 < right - 1 and head.y1 - 1 < w.y0 < head.y0 + 24 * MM:
                rows[round(w.y0)].append(w)
        cells[head.text] = ["".join(w.text for w in sorted(rows[y], key=lambda w: w.x0)) for y in sorted(rows)]
    return cells


def test_signature_row_keeps_the_date_on_one_line(rendered, tmp_path: Path):
    """The blank 填报日期 is one line to write on ("日" used to wrap onto a line of its own); a
    filled date, names and a phone number fit their cells too."""
    _, _, pages, _ = rendered
    cells = _signature_cells(pages)
    assert cells["填报日期："] == ["年月日"], cells
    assert all(v == [] for k, v in cells.items() if k != "填报日期："), cells

    report = example_report()
    s = report.signoff
    s.head, s.finance_head, s.preparer = "欧阳建国", "司马晓燕", "诸葛明"
    s.phone_office, s.fill_date = "020-84201234", "2023-12-31"
    cells = _signature_cells(read_pages(render_pdf(report, tmp_path / "signed.pdf").path))
    assert cells == {"单位负责人：": ["欧阳建国"], "财务负责人：": ["司马晓燕"], "填报人：": ["诸葛明"],
                     "联系电话：": ["020-84201234"], "填报日期：": ["2023年12月31日"], "单位（盖章）": []}, cells
