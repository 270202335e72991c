"""Readers for the documents an office already has: text extracted from a PDF (.txt),
Word (.docx) and text-layer PDF.  Each returns :class:`RawDocument`: lines in reading
order, with the page they came from and whether the source itself says a paragraph ends
there (Word paragraphs do; a line of extracted text does not).

The kind of a file is decided by its content, never by its extension alone, so a Word file
renamed to .pdf still reads, and a picture renamed to .docx gets a clear message.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nanzhou_desktop import limits
from nanzhou_desktop.importing.errors import DocumentImportError
from nanzhou_desktop.store.errors import os_reason

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # a report is ~100 KB of text; Word files with photos stay far below
# A 部门整体支出绩效自评报告 runs 5–40 pages with its 自评表; a document of more than this many is
# another one (a 决算公开 with all its tables, a year's collected reports) and is refused with a
# word on what to import instead, before any of it is read.
MAX_PAGES = 100
MAX_TEXT_CHARS = 300_000  # ≈ 200 pages of text, for documents that do not say how many pages they have
KIND_NAMES = {"txt": "文本文件", "docx": "Word 文档（.docx）", "pdf": "PDF 文件"}


@dataclass
class RawLine:
    """One line of the source.  ``hard_break``: the source says a paragraph ends here;
    ``starts_paragraph``: the source says one starts here (an indented PDF line);
    ``table``: the line is a row of a table (Word), not running text."""

    text: str
    page: int = 0
    hard_break: bool = False
    starts_paragraph: bool = False
    table: bool = False
    edge: bool = False  # first or last line of its page (where page numbers stand)
    page_width: float = 0.0  # a PDF page's width: an annex in landscape never continues a paragraph
    group: int = -1  # for a table row: which table of the document it belongs to


@dataclass
class RawDocument:
    kind: str  # txt | docx | pdf
    lines: list[RawLine]
    paged: bool = False  # page boundaries are known (PDF, or form feeds in text)
    notes: list[str] = field(default_factory=list)  # said to the user (e.g. extension ≠ content)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def sniff(head: bytes) -> str:
    """What the bytes are: txt | docx | pdf | ole | zip | image | binary | empty."""
    if not head.strip():
        return "empty"
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # an encrypted .docx, or an old .doc / .xls
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "txt"


def read_document(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> RawDocument:
    """Read ``path`` into lines.  Raises :class:`DocumentImportError` for anything that is not
    a readable report document (empty, too large, image-only PDF, encrypted Word, …)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentImportError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise DocumentImportError(f"无法读取文件“{path.name}”：{os_reason(exc)}") from None
    if path.is_dir():
        raise DocumentImportError(f"“{path.name}”是文件夹，请选择一份报告文档")
    if size > max_bytes:
        raise DocumentImportError(
            f"文件“{path.name}”有 {size / 1024 / 1024:.1f} MB，超过导入上限 {max_bytes // 1024 // 1024} MB；"
            "报告正文通常不到 1 MB，请确认选对了文件，或删去其中的图片后再导入")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentImportError(f"无法读取文件“{path.name}”：{os_reason(exc)}") from None
    return read_bytes(data, path.name)


def read_bytes(data: bytes, name: str = "文档") -> RawDocument:
    kind = sniff(data[:8192])
    ext = Path(name).suffix.lower().lstrip(".")
    if kind == "empty":
        raise DocumentImportError(f"文件“{name}”是空的，没有可导入的内容")
    if kind == "ole":
        raise DocumentImportError(_ole_message(data, name, ext))
    if kind == "image":
        raise DocumentImportError(f"文件“{name}”是图片，不是报告文档；请导入 Word、PDF 或文本文件")
    if kind == "binary":
        raise DocumentImportError(f"无法识别文件“{name}”的格式；请导入 Word（.docx）、PDF 或文本（.txt）文件")
    if kind == "zip":
        kind = "docx"
    reader = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf}[kind]
    doc = reader(data, name)
    if ext and ext != kind and not (kind == "txt" and ext in ("text", "md")):
        doc.notes.append(f"文件扩展名是 .{ext}，但内容是{KIND_NAMES[kind]}，已按内容读取")
    _strip_invisible(doc)
    if not any(line.text.strip() for line in doc.lines):
        if kind == "pdf":
            raise DocumentImportError(
                f"PDF 文件“{name}”是扫描件或图片，没有文字层，无法读取文字；请导入 Word 原稿，"
                "或在 WPS / Word 中用“PDF 转 Word”（文字识别）转成 .docx 后再导入")
        raise DocumentImportError(f"文件“{name}”中没有文字，没有可导入的内容")
    chars = sum(len(line.text) for line in doc.lines)
    pages = max((line.page for line in doc.lines), default=0) + 1
    if chars > MAX_TEXT_CHARS or (doc.paged and pages > MAX_PAGES):
        raise _too_long(name, pages if doc.paged else chars // 1500)
    return doc


def _strip_invisible(doc: RawDocument) -> None:
    """Take out of every line the characters no report file keeps (C0/C1 controls but tab,
    non-characters, lone surrogates: limits.strip_xml_invalid) and the bidirectional controls,
    and say so in the notes.  They stand for no text (a Word field's leftovers, a PDF's glyph
    without a Unicode value, a copy from another program), and a report holding one could not
    be written: the import keeps the text around them rather than refusing the document."""
    seen: dict[str, int] = {}
    for line in doc.lines:
        text = line.text
        cleaned = "".join(ch for ch in limits.strip_xml_invalid(text) if ch not in limits.BIDI_CONTROLS)
        if cleaned != text:
            for ch in text:
                if ch in limits.BIDI_CONTROLS or not limits.strip_xml_invalid(ch):
                    seen[ch] = seen.get(ch, 0) + 1
            line.text = cleaned
    if seen:
        total = sum(seen.values())
        names = "、".join(limits.char_name(ch) for ch in sorted(seen)[:5]) + ("等" if len(seen) > 5 else "")
        doc.notes.append(f"文档中有 {total} 个不可见的控制字符（{names}），它们不代表任何文字，报告文件也不能保存，已删去，其余文字照常导入")


def _too_long(name: str, pages: int) -> DocumentImportError:
    return DocumentImportError(
        f"文件“{name}”约有 {pages} 页，超过导入上限 {MAX_PAGES} 页；部门整体支出绩效自评报告连同自评表一般不超过 "
        "40 页，请确认选对了文件，或把报告正文和自评表另存为一个文件后再导入")


def _ole_message(data: bytes, name: str, ext: str) -> str:
    """What an OLE compound file is, by the names of its streams (stored in UTF-16)."""
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return (f"文件“{name}”设置了打开密码，无法读取；请在 Word 或 WPS 中输入密码打开，取消密码"
                "（Word：“文件 → 信息 → 保护文档 → 用密码进行加密”，清空后保存；WPS：“文件 → 文档加密”）后再导入")
    if ext == "wps":
        return (f"文件“{name}”是 WPS 文字格式（.wps），无法直接读取；请在 WPS 中打开，"
                "“另存为”Word 文档（.docx）后再导入")
    if has("Workbook") or has("Book"):
        return f"文件“{name}”是旧版 Excel 表格（.xls），不是报告文档；请导入报告的 Word 或 PDF 文件"
    if has("WordDocument"):
        return (f"文件“{name}”是旧版 Word 97-2003 格式（.doc），无法直接读取；请在 Word 或 WPS 中打开，"
                "“另存为”Word 文档（.docx）后再导入")
    return (f"文件“{name}”是旧版 Office 格式或已加密，无法读取；请在 Word 或 WPS 中打开，"
            "“另存为”Word 文档（.docx）后再导入")


# ---------------------------------------------------------------------------- text
def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentImportError(f"文件“{name}”不是 UTF-8 或 GBK 编码的文本，无法读取")


def _read_txt(data: bytes, name: str) -> RawDocument:
    # \v is Word's manual line break (Shift+Enter) in text copied out of it
    text = _decode(data, name).replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    pages = text.split("\f")  # pdftotext marks page ends with a form feed
    lines = [RawLine(line, page=p) for p, page in enumerate(pages) for line in page.split("\n")]
    return RawDocument("txt", lines, paged=len(pages) > 1)


# ---------------------------------------------------------------------------- docx
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str) -> RawDocument:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise DocumentImportError(f"文件“{name}”已损坏（不是完整的 Word 文档），无法读取") from None
    if "docProps/app.xml" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            app = z.read("docProps/app.xml")[:20000]
        m = re.search(rb"<(?:\w+:)?Pages>\s*(\d+)\s*<", app)
        if m and int(m.group(1)) > MAX_PAGES:
            raise _too_long(name, int(m.group(1)))
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise DocumentImportError(f"文件“{name}”是 Excel 表格，不是报告文档；请导入报告的 Word 或 PDF 文件")
        raise DocumentImportError(f"文件“{name}”是压缩包而不是 Word 文档，无法读取")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentImportError(f"文件“{name}”已损坏，无法作为 Word 文档读取（{exc}）") from None
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds on damaged files
        raise DocumentImportError(f"文件“{name}”已损坏，无法作为 Word 文档读取（{type(exc).__name__}）") from None
    lines: list[RawLine] = []
    page = 0
    tables = 0
    # Walk the body in order so tables stay where they stand between paragraphs.
    for child in document.element.body.iterchildren():
        if child.tag == _W + "p":
            text = _paragraph_text(child)
            if child.findall(f".//{_W}br[@{_W}type='page']") or child.findall(f".//{_W}lastRenderedPageBreak"):
                page += 1
            for part in text.split("\n"):
                lines.append(RawLine(part, page=page, hard_break=True, starts_paragraph=True))
        elif child.tag == _W + "tbl":
            tables += 1
            for row in child.iter(_W + "tr"):
                cells = []
                for cell in row.iter(_W + "tc"):
                    cells.append("".join(_paragraph_text(p) for p in cell.iter(_W + "p")))
                if any(c.strip() for c in cells):
                    lines.append(RawLine("\t".join(cells), page=page, hard_break=True,
                                         starts_paragraph=True, table=True, group=tables))
    return RawDocument("docx", lines, paged=False)


def _paragraph_text(p: object) -> str:
    out: list[str] = []
    for node in p.iter():  # type: ignore[attr-defined]
        tag = node.tag
        if tag == _W + "t":
            out.append(node.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag == _W + "br" and node.get(_W + "type") not in ("page", "column"):
            out.append("\n")
    return "".join(out)


# ---------------------------------------------------------------------------- pdf
# PDFs are read with pdfium (pypdfium2): text runs with their boxes, and the paths drawn on the
# page, from which ruled tables are rebuilt cell by cell (see :mod:`pdftables`).
_PDF_INDENT = 1.2  # a line starting this many character widths right of the margin opens a paragraph


def _read_pdf(data: bytes, name: str) -> RawDocument:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentImportError(
                f"PDF 文件“{name}”设置了打开密码，无法读取；请在 PDF 阅读器中输入密码后“另存为”一份不加密的 PDF，"
                "或导入报告的 Word 原稿") from None
        raise DocumentImportError(f"PDF 文件“{name}”已损坏，无法读取（{exc}）") from None
    lines: list[RawLine] = []
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise _too_long(name, pages)
        tables = 0
        for number in range(pages):
            try:
                page = pdf[number]
                try:
                    page_lines, tables = _pdf_page_lines(page, number, tables)
                finally:
                    page.close()
            except pdfium.PdfiumError as exc:  # one damaged page must not hide the others' reason
                raise DocumentImportError(f"PDF 文件“{name}”第 {number + 1} 页无法读取（{exc}）") from None
            lines.extend(page_lines)
    finally:
        pdf.close()
    return RawDocument("pdf", lines, paged=True)


def _pdf_page_lines(page: object, number: int, tables: int) -> tuple[list[RawLine], int]:
    """Lines of one page in reading order: runs with the same baseline form a line; a line that
    starts right of the page's text margin (the two-character first-line indent of 公文 body text,
    or a centred title) opens a new paragraph; a ruled table comes as its rows of cells.  A block
    turned by 90° (a 自评表 in landscape on a portrait sheet) is read turned back, between the
    page's upright lines above and below it."""
    from nanzhou_desktop.importing.pdftables import (
        has_turned_text,
        page_runs,
        page_segments,
        turn_segments,
        turned_runs,
    )

    width = float(page.get_width())  # type: ignore[attr-defined]
    segs = page_segments(page)
    if not has_turned_text(page):
        runs = page_runs(page)
        items = _layout(runs, segs)
    else:
        by_turn = turned_runs(page)
        upright = by_turn.pop(0, [])
        items = []
        for turn, runs in by_turn.items():
            block = _layout(runs, turn_segments(segs, turn))
            items.append((float("-inf"), ("block", block)))
        # Upright lines (草稿, page number, footer) around the turned block: the upper half's first.
        up = _layout(upright, [])
        middle = float(page.get_height()) / 2  # type: ignore[attr-defined]
        items = [it for it in up if it[0] >= middle] + items + [it for it in up if it[0] < middle]
        flat: list[tuple[float, object]] = []
        for y, item in items:
            if isinstance(item, tuple) and item[0] == "block":
                flat.extend(item[1])
            else:
                flat.append((y, item))
        items = flat
    return _lines(items, number, tables, width)


def _layout(runs: list, segs: list) -> list[tuple[float, object]]:
    """(top y, line runs | table rows) in reading order for the runs of one frame."""
    from nanzhou_desktop.importing.pdftables import grids, group_lines

    if not runs:
        return []
    found = grids(segs)
    items: list[tuple[float, object]] = []
    free = [run for run in runs if not any(g.contains(run) for g in found)]
    for g in found:
        rows = g.rows([r for r in runs if g.contains(r)])
        if any(any(c for c in row) for row in rows):
            items.append((g.box[3], rows))
    for row in group_lines(free):
        items.append((max(r.y1 for r in row), row))
    items.sort(key=lambda item: -item[0])
    return items


def _lines(items: list[tuple[float, object]], number: int, tables: int, width: float) -> tuple[list[RawLine], int]:
    from nanzhou_desktop.importing.pdftables import line_text

    text_lines = [item for item in items if not isinstance(item[1][0], list)]
    margin = min((min(r.x0 for r in row) for _y, row in text_lines), default=0.0)
    out: list[RawLine] = []
    edge_rows = {id(row) for _y, row in text_lines[:2] + text_lines[-2:]}
    for _y, item in items:
        if isinstance(item[0], list):  # a table: its rows
            tables += 1
            for cells in item:
                if any(c.strip() for c in cells):
                    out.append(RawLine("\t".join(cells), page=number, hard_break=True, starts_paragraph=True,
                                       table=True, group=1000 + tables, page_width=width))
            continue
        row = sorted(item, key=lambda r: r.x0)
        text = line_text(row)
        if not text.strip():
            continue
        size = max(r.size for r in row)
        # Indented by position, or by ideographic spaces some programs draw as characters.
        indented = row[0].x0 - margin >= _PDF_INDENT * size or text.startswith(("\u3000", "  "))
        out.append(RawLine(text.rstrip(), page=number, starts_paragraph=indented, page_width=width,
                           edge=id(item) in edge_rows))
    return out, tables
