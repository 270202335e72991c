"""Make the .docx and .pdf renderings of some corpus documents (run from the repository root:
``.venv/bin/python tests/data/realworld/render.py``).  The renderings are committed beside the
.txt files; this is how they were made.

Each is the .txt's text laid out as its office's Word file or PDF most likely was: Word
paragraphs, the forms as Word tables (a form one cell a line on the web page is a table in
Word), and a PDF set in A4 with 公文-style page numbers ("— 1 —") and a running header, so the
readers of Word tables, PDF lines and PDF page furniture are exercised on real text.  Nothing
of the text is changed; what the web page flattened into cells is put back into rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent.parent))


def text_of(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").split("\n")[1:]
    return [line.strip() for line in lines if line.strip()]


def docx_with_rows(out: Path, blocks: list[object]) -> None:
    """``blocks``: a str is a paragraph, a list of lists is a table (rows of cells)."""
    import docx

    d = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            d.add_paragraph(block)
        else:
            rows = block
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                if len(row) < width:  # the row's last cell spans the rest, as the form draws it
                    table.cell(r, len(row) - 1).merge(table.cell(r, width - 1))
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    d.core_properties.author = "render.py"
    d.save(out)


def xinkai() -> None:
    """岳阳县新开镇: the cover, then the form of 一、 as a two-column-pair table."""
    t = text_of("hunan_yueyang_xinkai_town_2021.txt")
    i = t.index("一、部门(单位)基本概况")
    j = t.index("二、部门(单位)收支情况")
    cover, form, tail = t[:i + 1], t[i + 1:j], t[j:]
    rows = [[form[0], form[1], form[2], form[3]], [form[4], form[5], form[6], form[7]], [form[8], form[9]],
            [form[10] + form[11], form[12] + "\n" + form[13]], [form[14], form[15]]]
    docx_with_rows(HERE / "hunan_yueyang_xinkai_town_2021.docx",
                   [*cover, rows, tail[0], tail[1], [tail[2:]]])


def guantang() -> None:
    """衡山县贯塘乡: 附件二's 自评表 as a Word table (附件一 kept as paragraphs)."""
    t = text_of("hunan_hengshan_guantang_township_2023.txt")
    k = t.index("附件二")
    head = t[:k]
    body = t[k:]
    rows = [[body[2], body[3]],
            [body[4] + body[5], body[6], body[7], body[8], body[9], body[10], body[11]],
            [body[12], body[13], body[14], body[15], body[16], body[17], body[18]],
            [body[19], body[20]], [body[21], body[22]], [body[23], body[24]], [body[25]], [body[26]],
            [body[27], body[28], body[29]], [body[30]]]
    docx_with_rows(HERE / "hunan_hengshan_guantang_township_2023.docx", [*head, body[0], body[1], rows])


def qingshen() -> None:
    """青神县发改局's 项目支出绩效自评表: the copied cells back into the form's rows."""
    raw = (HERE / "sichuan_qingshen_ndrc_project_table_2023.txt").read_text(encoding="utf-8").split("\n")[1:]
    cells = [line.rstrip().removesuffix("|").strip() for line in raw if line.strip()]

    def take(n: int) -> list[str]:
        out = cells[:n]
        del cells[:n]
        return out

    take(6)  # 报表编号 and five empty cells: the form's code stays a paragraph above it
    title = take(1)[0]
    rows = [take(2), take(2), take(2), take(1), take(1), take(2), take(2), take(1), take(1), take(1),
            take(1), take(7), take(8), take(7), take(7), take(7), take(7), take(1), take(10), take(10),
            take(10), take(4), take(2), take(2), take(2), take(3)]
    docx_with_rows(HERE / "sichuan_qingshen_ndrc_project_table_2023.docx", ["报表编号:510000_0013zp", title, rows])


def pdf_of(name: str, header: str = "") -> None:
    """The text set in A4: the title centred in 20 pt (18 characters a line), then 15 pt, 28
    characters a line, the first line of a paragraph indented two characters (drawn as two
    ideographic spaces, as some programs do), headings flush left; "— n —" under each page and,
    when ``header`` is given, a running header on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from nanzhou_desktop.importing.outline import parse_heading
    from nanzhou_desktop.render.fonts import find_fonts, register

    face = find_fonts()["body"]
    register(face)
    width, height = A4
    size, per_line, left, top, bottom = 15, 28, 80, height - 100, 90
    c = canvas.Canvas(str(HERE / name.replace(".txt", ".pdf")), pagesize=A4)
    page, y = 1, top

    def running_header() -> None:
        if header:
            c.setFont(face.rl_name, 10)
            c.drawCentredString(width / 2, height - 60, header)

    def new_page() -> None:
        nonlocal page, y
        c.setFont(face.rl_name, 10)
        c.drawCentredString(width / 2, 50, f"— {page} —")
        c.showPage()
        page += 1
        y = top
        running_header()

    running_header()
    paras = text_of(name)
    title_at = next(i for i, p in enumerate(paras) if "报告" in p or "评价年度" in p)
    for para in paras[:title_at + 1]:
        if "报告" not in para:
            c.setFont(face.rl_name, 15)
            c.drawCentredString(width / 2, y, para)
            y -= size * 1.8
            continue
        c.setFont(face.rl_name, 20)
        for k in range(0, len(para), 18):
            c.drawCentredString(width / 2, y, para[k:k + 18])
            y -= 20 * 1.6
    for para in paras[title_at + 1:]:
        heading = parse_heading(para) is not None and len(para) <= 40
        first = "" if heading else "\u3000\u3000"
        text = first + para
        while text:
            chunk, text = text[:per_line], text[per_line:]
            if y < bottom:
                new_page()
            c.setFont(face.rl_name, size)
            c.drawString(left, y, chunk)
            y -= size * 1.8
    c.setFont(face.rl_name, 10)
    c.drawCentredString(width / 2, 50, f"— {page} —")
    c.showPage()
    c.save()


if __name__ == "__main__":
    xinkai()
    guantang()
    qingshen()
    pdf_of("yunnan_wuding_tianxin_township_2022.txt", "田心乡人民政府")
    pdf_of("guangdong_zhanjiang_aiguo_street_2021.txt")
    pdf_of("hunan_yiyang_heshan_urban_bureau_2019.txt")
