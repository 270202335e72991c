"""Importing real published reports (tests/data/realworld, see its README): every document's
sentences kept, its unit and year found, its budget and indicators read where it has them, and
no error after the import that is not true of the document.

These are the measures of issue 14; ``bench/bench_import.py`` prints the same figures.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.importing import import_bytes
from nanzhou_desktop.importing.coverage import coverage, pieces
from nanzhou_desktop.model import Report
from nanzhou_desktop.rules import Severity, check

CORPUS = Path(__file__).resolve().parent.parent / "data" / "realworld"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
COVERAGE_MIN = 0.98


def document_text(entry: dict) -> str:
    """The document as published: the file without its first line (the source and date)."""
    return (CORPUS / entry["file"]).read_text(encoding="utf-8").split("\n", 1)[1]


def imported(entry: dict):
    return import_bytes(document_text(entry).encode("utf-8"), entry["name"])


# Errors that are true of a document the corpus holds the opening pages of: what it does not
# state (its sign-off, an indicator table, a budget, a unit or year it never names).  Anything
# else after an import is an error the import made.
def true_of_document(finding, entry: dict, report: Report, doc_keys: set[str]) -> bool:
    key = finding.where.section_key
    if key and key not in doc_keys:
        return False  # a section the document does not have
    rule = finding.rule
    if rule == "completeness.signoff":
        return True
    if rule == "completeness.unit":
        return entry["unit"] is None
    if rule == "completeness.year":
        return entry["year"] is None
    if rule == "completeness.indicators":
        return entry["indicators"] is None
    if rule == "completeness.indicator":  # a value the form leaves blank (青神县发改局's 完成值)
        return True
    if rule == "completeness.section":  # a part of the document with no text (an excerpt cut there)
        sec = report.section(key)
        return sec is not None and not any(s.body.strip() for s in report.subtree(key))
    if rule == "completeness.budget":
        row = next((b for b in report.budget if b.id == finding.where.row or b.label in finding.message), None)
        return entry["budget"] is None or (row is not None and getattr(row, finding.where.column, None) is None)
    return False


IDS = [e["file"].removesuffix(".txt") for e in MANIFEST]


def test_the_corpus_is_as_the_issue_asks():
    """At least 12 real reports, from several provinces, streets, towns and departments,
    narrative and table-only, 2019–2024 (one 2018 report published in 2019)."""
    assert len(MANIFEST) >= 12
    assert len({e["province"] for e in MANIFEST}) >= 4
    assert {e["kind"] for e in MANIFEST} == {"street", "town", "department"}
    assert any("table" in e["form"] for e in MANIFEST) and any(e["form"] == "narrative" for e in MANIFEST)
    for e in MANIFEST:
        first = (CORPUS / e["file"]).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("来源：http") and "取得：20" in first, e["file"]


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_every_sentence_is_kept(entry):
    result = imported(entry)
    cov = coverage(document_text(entry), result.report)
    assert cov.share >= COVERAGE_MIN, (cov.share, cov.missing)
    assert not result.not_placed, [b.text for b in result.not_placed]
    assert result.lost_characters() == {}


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_unit_and_year_are_found(entry):
    r = imported(entry).report
    if entry["unit"] is None:
        assert r.unit.full_name == ""  # the document names none: no guess, an error to fill in
    else:
        assert r.unit.full_name in entry["unit"]
    assert r.year == (entry["year"] or 0)


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_budget_and_indicators_are_read_where_the_document_has_them(entry):
    r = imported(entry).report
    total = r.budget_total_row
    if entry["budget"] is None:
        assert (total.budget_total, total.executed) == (None, None)
    else:
        want = entry["budget"]
        assert (total.budget_initial, total.budget_total, total.executed) == (
            Decimal(want["initial"]), Decimal(want["total"]), Decimal(want["executed"]))
    assert len(r.indicators) == (entry["indicators"] or 0)


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_no_error_the_document_did_not_make(entry):
    result = imported(entry)
    doc_keys = {s.key for s in result.outline if s.in_document}
    errors = [f for f in check(result.report).findings if f.severity == Severity.ERROR]
    false = [f"{f.rule}: {f.message}" for f in errors if not true_of_document(f, entry, result.report, doc_keys)]
    assert false == []
    assert all(s.in_document for s in result.outline)  # no template section added unasked


def test_the_coverage_measure_can_fail():
    """Not vacuous: a sentence dropped from the report shows up as missing."""
    entry = next(e for e in MANIFEST if e["file"].startswith("guangdong_zhanjiang"))
    result = imported(entry)
    sec = next(s for s in result.report.sections if "主要职责" in s.body)
    sec.body = sec.body.replace("主要职责:办事处主要职责是:贯彻执行党和国家各", "")
    cov = coverage(document_text(entry), result.report)
    assert cov.share < 1 and any("主要职责" in m or "贯彻执行党和国家各" in m for m in cov.missing)
    assert pieces("一、基本情况\n根据《通知》要求，现将情况报告如下：") == ["根据《通知》要求,现将情况报告如下"]


# ---------------------------------------------------------------------- the patterns, one by one
def by_file(prefix: str):
    entry = next(e for e in MANIFEST if e["file"].startswith(prefix))
    return entry, imported(entry)


def test_form_cells_keep_their_values_and_their_separation():
    """岳阳县新开镇 and 岳阳市城市管理监督指挥中心 publish their forms one cell a line: the
    numbers under 人员编制 / 实有人数 are values, never page numbers."""
    for prefix, pairs in (("hunan_yueyang_xinkai", ("人员编制：128", "实有人数：185", "联系人：张颖慧")),
                          ("hunan_yueyang_city_center", ("人员编制：21", "实有人数：21", "联络电话：8690022"))):
        _entry, result = by_file(prefix)
        body = result.report.sections[0].body.split("\n")
        for pair in pairs:
            assert pair in body, (prefix, body[:6])
        assert not result.drops


def test_title_split_over_lines_and_unit_in_the_cover():
    _e, r = by_file("hunan_yueyang_xinkai")
    assert r.title == "岳阳县2021年度部门整体支出绩效评价自评报告"
    assert (r.unit.full_name, r.unit_from, r.year, r.year_from) == ("岳阳县新开镇政府", "封面“部门(单位)名称”", 2021, "标题")
    _e, r = by_file("hunan_yueyang_city_center")
    assert r.title == "岳阳市2018年度部门整体支出绩效评价自评报告" and r.year == 2018  # not 2019, the 报告日期
    assert ("预算编码", "906017") in r.cover_entries and ("", "岳阳市财政局(制)") in r.cover_entries


def test_unit_line_above_the_title_and_the_opening_paragraph():
    _e, r = by_file("hunan_yiyang_heshan")
    assert (r.unit.full_name, r.unit_from) == ("益阳市赫山区城市管理和综合执法局", "标题上方的单位名称")
    assert r.report.preface.startswith("根据《益阳市赫山区人民政府关于全面推进预算绩效管理的实施意见》")
    assert r.report.template.preface.enabled  # the report prints its 前言


def test_attachment_mark_and_year_in_brackets():
    _e, r = by_file("yunnan_wuding_tianxin")
    assert (r.unit.full_name, r.year) == ("田心乡", 2022)
    assert [b.text for b in r.blocks if b.role == "mark"] == ["附件3"]
    assert r.title == "田心乡部门整体支出绩效自评报告(2022年度)"


def test_headings_ending_in_a_full_stop_are_headings():
    """"(一)概况。" (田心乡), "(一)部门整体支出概况。" (南县政协), "(一)单位机构设置、部门职能情况。…"
    (爱国街道, 前山镇): sub-sections, not body text."""
    for prefix, heading in (("yunnan_wuding_tianxin", "概况"), ("hunan_nanxian", "部门整体支出概况"),
                            ("guangdong_zhanjiang_aiguo", "单位机构设置、部门职能情况"),
                            ("guangdong_xuwen_qianshan", "单位机构设置、部门职能情况")):
        _e, r = by_file(prefix)
        assert heading in [s.heading for s in r.report.sections if s.level == 2], prefix


def test_the_documents_own_numbering_is_kept():
    _e, r = by_file("guangdong_xuwen_highway")  # its 一、 is the opening paragraph: parts start at 二、
    assert [s.number for s in r.report.sections if s.level == 1] == ["二、"]
    assert r.report.preface.startswith("一、根据县财政局")
    _e, r = by_file("guangdong_xuwen_qianshan")  # 一、 published as a list item "1."
    assert [(s.number, s.heading) for s in r.report.sections][:2] == [("1.", "单位基本情况"),
                                                                        ("（一）", "单位机构设置、部门职能情况")]
    assert r.report.template.numbering[:2] == ("1.", "（一）")


def test_cover_block_of_the_guangdong_form():
    _e, r = by_file("guangdong_xuwen_qianshan")
    assert (r.unit.full_name, r.year, r.year_from) == ("徐闻县前山镇人民政府", 2024, "封面“评价年度”")
    assert r.template_id == "guangdong_county_2021"  # its cover is the 广东 county form's
    assert [(c.label, c.value) for c in r.report.cover] == [
        ("评价年度", "2024"), ("评价单位（公章）", "徐闻县前山镇人民政府"), ("填报日期", "202511")]
    _e, r = by_file("guangdong_xuwen_highway")
    assert (r.unit.full_name, r.year) == ("徐闻县地方公路局", 2024) and r.title == ""


def test_flattened_text_is_re_lined_at_its_headings():
    _e, r = by_file("guangdong_maoming")
    assert r.title == "2021 年茂名市发展和改革局整体支出绩效自评报告"  # the space a reader expects stays
    assert [s.heading for s in r.report.sections] == [
        "部门基本情况", "部门职能", "设置机构及人员情况", "年度总体工作和重点工作任务", "部门整体支出绩效目标"]
    assert r.report.preface.startswith("根据《关于开展 2022 年市级财政资金绩效自评工作的通知》")
    _e, r = by_file("county_bianban")
    assert [s.heading for s in r.report.sections] == ["项目基本情况", "项目概况", "项目绩效目标", "绩效评价工作开展情况"]
    assert r.report.sections[-1].body.startswith("为加强专项资金的管理和监督")
    _e, r = by_file("hunan_changsha_dongjing")
    assert ("部门(单位)名称", "长沙市雨花区洞井街道办事处") in r.cover_entries
    assert ("报告日期", "2022年4月6日") in r.cover_entries


def test_a_table_only_document_imports_its_table():
    _e, r = by_file("hunan_hengshan_guantang")
    assert (r.unit.full_name, r.unit_from) == ("衡山县贯塘乡人民政府", "表格“预算部门、单位名称”")
    assert [s.heading for s in r.report.sections] == ["2023年度部门整体支出绩效评价基础数据表",
                                                      "2023年度部门整体支出绩效自评表"]
    assert r.report.sections[1].number == "附件二"
    _e, r = by_file("sichuan_qingshen")
    ind = [(i.level1, i.level2, i.level3, str(i.direction), i.target, i.unit, i.actual, i.points)
           for i in r.report.indicators]
    assert ind == [("产出指标", "数量指标", "发放(缴纳)覆盖率", "=", "100", "%", "", Decimal(60)),
                   ("效益指标", "社会效益指标", "足额保障率(参保率)", "=", "100", "%", "", Decimal(30))]
    assert [(b.label, b.budget_total) for b in r.report.budget] == [
        ("年度资金总额", Decimal("251.89")), ("其中：财政资金", Decimal("251.89")),
        ("其中：财政专户管理资金", Decimal("0.00")), ("其中：单位资金", Decimal("0.00"))]


def test_the_file_name_is_the_last_resort_for_unit_and_year():
    entry = next(e for e in MANIFEST if e["file"].startswith("hunan_nanxian"))
    text = document_text(entry).encode("utf-8")
    r = import_bytes(text, "南县政协2021年度部门整体支出绩效评价报告.docx.txt")
    assert (r.unit.full_name, r.unit_from) == ("南县政协", "文件名")
    r = import_bytes(text, "报告.txt")
    assert r.unit.full_name == "" and r.year == 2021 and "正文" in r.year_from and "推测" in r.year_from


# ---------------------------------------------------------------------- renderings (.docx, .pdf)
RENDERINGS = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".docx", ".pdf"))


def test_the_renderings_are_there():
    """Made by tests/data/realworld/render.py: Word tables for the forms and 自评表s, PDFs with
    page numbers (and a running header)."""
    assert {Path(n).suffix for n in RENDERINGS} == {".docx", ".pdf"} and len(RENDERINGS) >= 5


@pytest.mark.parametrize("name", RENDERINGS)
def test_a_rendering_imports_like_its_text(name):
    from nanzhou_desktop.importing import import_document

    entry = next(e for e in MANIFEST if e["file"] == Path(name).stem + ".txt")
    result = import_document(CORPUS / name)
    r = result.report
    cov = coverage(document_text(entry), r)
    assert cov.share >= COVERAGE_MIN, (cov.share, cov.missing)
    assert not result.not_placed and result.lost_characters() == {}
    assert (r.unit.full_name in (entry["unit"] or [""]), r.year) == (True, entry["year"])
    if entry["budget"]:
        assert (r.budget_total_row.budget_total, r.budget_total_row.executed) == (
            Decimal(entry["budget"]["total"]), Decimal(entry["budget"]["executed"]))
    assert len(r.indicators) == (entry["indicators"] or 0)
    doc_keys = {s.key for s in result.outline if s.in_document}
    errors = [f for f in check(r).findings if f.severity == Severity.ERROR]
    assert [f.rule for f in errors if not true_of_document(f, entry, r, doc_keys)] == []
    if name.endswith(".pdf"):
        assert {d.reason for d in result.drops} >= {"页码"}


def test_a_word_form_keeps_label_and_value_together():
    from nanzhou_desktop.importing import import_document

    r = import_document(CORPUS / "hunan_yueyang_xinkai_town_2021.docx").report
    assert r.sections[0].body.split("\n")[:2] == ["联系人：张颖慧\u3000联络电话：0730-7802036",
                                                  "人员编制：128\u3000实有人数：185"]
