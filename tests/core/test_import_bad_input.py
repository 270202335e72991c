"""Bad documents: each refused with one Chinese sentence, and nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanzhou_desktop.example import example_report
from nanzhou_desktop.importing import DocumentImportError, import_bytes, import_document, write_import
from nanzhou_desktop.importing.readers import MAX_DOCUMENT_BYTES, sniff
from nanzhou_desktop.narrative import plain_text
from tests.conftest import SEED

HAN = "\u4e00-\u9fff"


def image_only_pdf(path: Path) -> Path:
    """A scanned page: a picture and no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillGray(0.3)
    for row in range(20):
        c.rect(80, 760 - row * 30, 420, 14, stroke=0, fill=1)  # lines of "text" as shapes
    c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(100, 700, "1. Heading")
    c.save()
    reader = PdfReader(str(path))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="user-pass", owner_password="owner-pass")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def ole_file(path: Path) -> Path:
    """What Word writes for a password-protected .docx: an OLE compound file, not a zip."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    path.write_bytes(header + bytes(range(256)) * 64 + "EncryptionInfo".encode("utf-16-le"))
    return path


def _ole_bytes(stream: str) -> bytes:
    """An OLE compound file whose directory names ``stream`` (what .doc, .wps and .xls are)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return header + bytes(range(256)) * 64 + stream.encode("utf-16-le")


def many_pages_pdf(path: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.drawString(100, 700, f"page {n + 1}")
        c.showPage()
    c.save()
    return path


def _cases(tmp: Path) -> list[tuple[Path, str]]:
    empty = tmp / "空白.txt"
    empty.write_bytes(b"")
    blank = tmp / "空格.txt"
    blank.write_text(" \n\n\t\n", encoding="utf-8")
    docx_empty = tmp / "空白.docx"
    import docx

    docx.Document().save(docx_empty)
    doc97 = tmp / "旧版.doc"
    doc97.write_bytes(_ole_bytes("WordDocument"))
    wps = tmp / "报告.wps"
    wps.write_bytes(_ole_bytes("WordDocument"))
    long_pdf = many_pages_pdf(tmp / "决算公开.pdf", 200)
    huge = tmp / "太大.txt"
    with open(huge, "wb") as fh:
        fh.write(SEED.read_bytes())
        fh.write(b"\n" + "这是一段很长的文字。".encode() * (20 * 1024 * 1024 // 30))
    png = tmp / "照片.docx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000)
    xlsx = tmp / "自评表.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    xlsx.write_bytes(buf.getvalue())
    broken = tmp / "损坏.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    binary = tmp / "程序.txt"
    binary.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 500)
    return [
        (empty, "是空的"),
        (blank, "是空的"),
        (docx_empty, "没有文字"),
        (image_only_pdf(tmp / "扫描件.pdf"), "没有文字层"),
        (encrypted_pdf(tmp / "加密.pdf"), "设置了打开密码"),
        (ole_file(tmp / "加密.docx"), "设置了打开密码"),
        (doc97, "另存为”Word 文档（.docx）"),
        (wps, "WPS 文字格式（.wps）"),
        (long_pdf, "超过导入上限 100 页"),
        (huge, "超过导入上限"),
        (png, "是图片"),
        (xlsx, "是 Excel 表格"),
        (broken, "已损坏"),
        (binary, "无法识别文件"),
        (tmp / "不存在.docx", "找不到文件"),
    ]


def test_each_bad_document_gets_a_chinese_sentence_and_nothing_is_written(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for path, phrase in _cases(docs):
        with pytest.raises(DocumentImportError) as info:
            result = import_document(path)
            write_import(result, out_dir / "r.sqlite")
        message = str(info.value)
        assert phrase in message, (path.name, message)
        assert path.name in message, message
        assert "Traceback" not in message and any("\u4e00" <= c <= "\u9fff" for c in message)
    assert list(out_dir.iterdir()) == []


def test_the_size_limit_is_checked_before_reading(tmp_path: Path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.seek(MAX_DOCUMENT_BYTES + 1)
        fh.write(b"\n")
    with pytest.raises(DocumentImportError, match="MB"):
        import_document(big)


def test_unknown_year_or_unit_is_written_and_reported_not_refused(tmp_path: Path):
    """Issue 14: an import is never refused for want of a unit or year; the report is made and
    the missing field is an error of the checks, filled in later (the year is an editable field)."""
    from nanzhou_desktop.rules import check
    from nanzhou_desktop.store.reportfile import open_report_file

    text = "一、基本情况\n（一）部门概况\n本单位负责辖区管理。\n"
    result = import_bytes(text.encode(), "无标题.txt")
    assert result.missing_identity() == ["单位全称", "年度"]
    assert "年度：未识别" in "\n".join(result.summary_lines())
    path = write_import(result, tmp_path / "r.sqlite")
    with open_report_file(path) as rf:
        rules = {f.rule for f in check(rf.report).findings}
        assert {"completeness.year", "completeness.unit"} <= rules
        rf.set_field("report", None, "fiscal_year", "2023年")
        rf.set_field("report", None, "unit_full_name", "某某街道办事处")
        assert rf.report.year == 2023
        rules = {f.rule for f in check(rf.report).findings}
        assert not {"completeness.year", "completeness.unit"} & rules


def test_gbk_text_and_windows_line_ends_are_read():
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    result = import_bytes(text.encode("gb18030"), "gbk.txt")
    assert result.report.year == 2022 and len(result.report.tasks) == 7


@pytest.mark.parametrize(("head", "kind"), [
    (b"%PDF-1.7\n", "pdf"), (b"PK\x03\x04rest", "zip"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x89PNG\r\n", "image"), ("一、基本情况".encode(), "txt"), (b"   \n", "empty"), (b"\x7fELF\x00\x00", "binary"),
])
def test_sniff(head, kind):
    assert sniff(head) == kind


def test_write_import_audits_each_figure_from_the_text(tmp_path: Path):
    from nanzhou_desktop.store.reportfile import open_report_file

    result = import_document(SEED)
    path = write_import(result, tmp_path / "imported.sqlite")
    with open_report_file(path, read_only=True) as rf:
        log = rf.audit_log()
        figures = [e for e in log if e["action"] == "import-figure"]
        assert len(figures) == len(result.unconfirmed) == 4
        total_id = rf.report.budget_total_row.id
        assert any(e["target"] == f"budget_rows.budget_total#{total_id}" and e["new_value"] == "19910.75"
                   and e["reason"].startswith("来自正文，待确认") for e in figures)
        assert [e for e in log if e["action"] == "import"][0]["new_value"].startswith("nanzhou_2022_report.txt")
        assert rf.report.budget_total_row.budget_total == example_report().budget_total_row.budget_total
    refs = result.figure_refs()
    assert all(ref.row is not None for _f, ref in refs)


# ---------------------------------------------------------------------- no input makes a traceback

_PIECES = st.sampled_from(["一、基本情况", "（一）部门概况", "(2) 标题。正文", "1. 任务", "全年预算数 12.5 万元，执行数 3 万元",
                           "完成预算的 99%", "附件", "— 3 —", "\f", "\n", "2023年3月15日", "某某项目预算数 1 万元，执行数 2 万元",
                           "。", "（", "”", " ", "\t", "十一、其他"])


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40)
                      .map(lambda xs: "".join(xs).encode("utf-8", "surrogatepass"))))
def test_any_input_gives_a_result_or_a_chinese_sentence(data: bytes):
    try:
        result = import_bytes(data, "随机.txt")
    except DocumentImportError as exc:
        assert any("\u4e00" <= c <= "\u9fff" for c in str(exc))
        return
    assert result.lost_characters() == {}
    result.summary_lines()


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=0, max_size=300))
def test_damaged_word_and_pdf_bytes_are_refused_in_chinese(data: bytes):
    for head in (b"PK\x03\x04", b"%PDF-1.7\n"):
        try:
            import_bytes(head + data, "损坏")
        except DocumentImportError as exc:
            assert any("\u4e00" <= c <= "\u9fff" for c in str(exc))


def test_unconfirmed_imports_are_settled_by_an_edit_or_a_confirmation(tmp_path: Path):
    from nanzhou_desktop.importing.pending import confirm_import, unconfirmed_imports
    from nanzhou_desktop.store.errors import EditError
    from nanzhou_desktop.store.reportfile import open_report_file

    path = write_import(import_document(SEED), tmp_path / "r.sqlite")
    with open_report_file(path) as rf:
        pending = unconfirmed_imports(rf)
        assert [(p.ref.table, p.ref.column, p.value) for p in pending] == [
            ("budget_rows", "budget_total", "19910.75"), ("budget_rows", "executed", "19738.24"),
            ("projects", "budget_total", "1802.25"), ("projects", "executed", "1802.25")]
        total = rf.report.budget_total_row
        rf.set_field("budget_rows", total.id, "executed", "19738.25")
        confirm_import(rf, pending[0].ref)
        assert [(p.ref.table, p.ref.column) for p in unconfirmed_imports(rf)] == [
            ("projects", "budget_total"), ("projects", "executed")]
        rf.delete_row("projects", rf.report.projects[0].id)
        assert unconfirmed_imports(rf) == []
    with open_report_file(path, read_only=True) as ro, pytest.raises(EditError):
        confirm_import(ro, pending[2].ref)


# ------------------------------------------------------------- invisible characters are taken out

def test_control_characters_are_taken_out_said_and_the_report_is_written(tmp_path: Path):
    """A control character, a non-character or a direction control in a document (a Word field's
    leftovers, a glyph a PDF maps to no text) stands for nothing a reader sees: the import keeps
    the text around it, says how many it took out, and writes the report (a report file cannot
    hold them, so keeping them would refuse the whole document)."""
    from nanzhou_desktop.store.reportfile import open_report_file

    text = SEED.read_text(encoding="utf-8")
    head, sep, rest = text.partition("一、")
    assert sep
    dirty = (head.replace("南洲", "南\x07洲", 1) + sep + rest.replace("。", "。\x1b", 3)
             .replace("，", "\ufdd0，", 1).replace("，", "，\u202e", 1))
    result = import_bytes(dirty.encode("utf-8"), "报告.txt")
    assert any("6 个不可见的控制字符" in n and "U+0007" in n and "U+202E" in n for n in result.notes)
    assert any("6 个不可见的控制字符" in line for line in result.summary_lines())
    assert result.lost_characters() == {}
    assert result.report.unit.full_name == import_bytes(text.encode("utf-8"), "报告.txt").report.unit.full_name
    path = write_import(result, tmp_path / "r.sqlite")
    with open_report_file(path, read_only=True) as rf:
        stored = plain_text(rf.report)
        assert plain_text(import_bytes(text.encode("utf-8"), "报告.txt").report) == stored
        assert rf.report.year == 2022


def test_a_word_manual_line_break_in_copied_text_is_a_line_break():
    """Word's manual line break (Shift+Enter) is a vertical tab in its plain text."""
    result = import_bytes("一、基本情况\x0b（一）部门概况\x0b本单位负责辖区管理。\n".encode(), "报告.txt")
    assert not result.notes
    assert [(s.number, s.heading) for s in result.report.sections] == [("一、", "基本情况"), ("（一）", "部门概况")]
    assert result.report.sections[1].body == "本单位负责辖区管理。"


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(st.one_of(_PIECES, st.sampled_from(["\x00", "\x07", "\x1f", "\x85", "\ufffe", "\U0010ffff",
                                                           "\ufdd0", "\u202e", "\u2066"])), max_size=40))
def test_a_document_with_invisible_characters_is_written(pieces: list[str]):
    import tempfile

    try:
        result = import_bytes(("某某街道办事处2023年度部门整体支出绩效自评报告\n" + "".join(pieces)).encode(), "随机.txt")
    except DocumentImportError:
        return  # a NUL may make the bytes a binary file: refused in Chinese (tested above)
    with tempfile.TemporaryDirectory() as folder:
        write_import(result, Path(folder) / "r.sqlite")
