"""Template files: the schema, its validation (a Chinese message naming the file and the place),
a broken file leaving the others usable, numbering, and a report made from a template."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from nanzhou_desktop.model import SectionKind, Unit
from nanzhou_desktop.template import (
    DEFAULT_TEMPLATE,
    catalog,
    load_template,
    load_template_file,
    parse_template,
    renumber,
)
from nanzhou_desktop.template_data import (
    V2_TEMPLATE_DATA,
    TemplateError,
    format_number,
    v2_template,
)

BUILTIN = Path(__file__).resolve().parents[2] / "resources" / "templates"


def _gz() -> dict:
    return json.loads((BUILTIN / f"{DEFAULT_TEMPLATE}.json").read_text(encoding="utf-8"))


def _write(folder: Path, name: str, data: dict | str) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path


def _refused(data: dict, tmp_path: Path, name: str = "坏模板.json") -> str:
    with pytest.raises(TemplateError) as err:
        load_template_file(_write(tmp_path, name, data))
    return str(err.value)


# --------------------------------------------------------------------- the shipped templates
def test_every_shipped_template_reads_and_has_a_source() -> None:
    cat = catalog(extra_dirs=())
    assert cat.problems == []
    assert len(cat.templates) >= 1
    for t in cat.templates:
        assert t.data.sources, t.id
        assert all(s.title for s in t.data.sources), t.id
        assert t.path is not None and t.path.stem == t.id
        assert t.data.scheme.total == 100


def test_the_guangdong_cover_and_preface_are_those_of_its_published_sources() -> None:
    """The 广东 template's cover fields and 前言 follow two published 徐闻县 reports (kept in
    tests/data/realworld with their addresses): each source's page is named in the template, and
    each text has every cover label and a 前言 of the 根据……要求 kind before the body."""
    import re

    t = load_template("guangdong_county_2021")
    realworld = Path(__file__).resolve().parents[1] / "data" / "realworld"
    for name in ("guangdong_xuwen_qianshan_town_2024.txt", "guangdong_xuwen_highway_bureau_2024.txt"):
        text = (realworld / name).read_text(encoding="utf-8")
        url = re.match(r"来源：(\S+)", text).group(1)
        assert url in {s.url for s in t.data.sources}, name
        flat = text.replace("(", "（").replace(")", "）")
        for c in t.cover:
            assert f"{c.label}:" in flat or f"{c.label}：" in flat, (name, c.label)
        assert re.search(r"根据.{0,40}《[^》]+》.{0,60}要求", flat), name
    assert t.data.preface.enabled


def test_the_guangzhou_template_is_the_version_2_data() -> None:
    """What a version-2 file is upgraded with must be what the 广州 template gives a new report:
    a change to the template file is a new template version, not a change of old files."""
    t = load_template(DEFAULT_TEMPLATE)
    assert t.data == v2_template()
    assert [(s["key"], s["number"], s["heading"]) for s in t.sections][:3] == [
        ("1", "一、", "基本情况"), ("1.1", "（一）", "部门概况"), ("1.2", "（二）", "年度总体工作和重点工作任务")]


def test_new_report_copies_the_template() -> None:
    t = load_template(DEFAULT_TEMPLATE)
    r = t.new_report("0" * 32, Unit("某街道办事处"), 2023)
    assert r.template_id == DEFAULT_TEMPLATE and r.template is t.data
    assert [s.key for s in r.sections] == [s["key"] for s in t.sections]
    assert r.section_of_kind(SectionKind.BUDGET).key == "1.3"
    assert [b.label for b in r.budget] == ["年度资金总额", "其中：基本支出", "其中：项目支出"]


# --------------------------------------------------------------------- bad template files
def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    msg = _refused('{"format": 1,\n "id": "x_y"\n "name": "缺逗号"}', tmp_path)  # type: ignore[arg-type]
    assert "坏模板.json" in msg and "第 3 行" in msg and "缺少逗号" in msg


def test_duplicate_json_keys_are_refused_with_their_lines(tmp_path: Path) -> None:
    text = _write(tmp_path, "x.json", _gz()).read_text(encoding="utf-8")
    text = text.replace('"version": "1",', '"version": "1",\n  "version": "2",', 1)
    msg = _refused(text, tmp_path)  # type: ignore[arg-type]
    assert "“version”在同一组里出现了两次" in msg and "第 4 行、第 5 行" in msg


def test_unknown_section_kind_names_the_section(tmp_path: Path) -> None:
    data = _gz()
    data["outline"][1]["children"][0]["kind"] = "chart"
    msg = _refused(data, tmp_path)
    assert msg.startswith("模板“坏模板.json”中 outline[1]（章节 2）.children[0]（章节 2.1）.kind")
    assert "“chart”无效" in msg and "text、budget、projects、tasks" in msg


def test_duplicate_section_keys_are_refused(tmp_path: Path) -> None:
    data = _gz()
    data["outline"][2]["key"] = "1.2"
    msg = _refused(data, tmp_path)
    assert "outline[2]（章节 1.2）.key" in msg and "章节键“1.2”重复" in msg


@pytest.mark.parametrize(("change", "place", "words"), [
    (lambda d: d["scoring"]["budget"].update(points=20), "scoring", "合计应为 100 分，现为 110 分"),
    (lambda d: d["scoring"]["indicators"]["level1"][0].update(points=40), "scoring.indicators.level1",
     "合计 80 分，与绩效指标分值 90 分不等"),
    (lambda d: d["scoring"]["grades"].reverse(), "scoring.grades[1].min", "从高到低"),
    (lambda d: d["scoring"]["qualitative"][0].update(low=90, high=70), "scoring.qualitative[0]", "下限 90% 高于上限 70%"),
    (lambda d: d["scoring"]["grades"][-1].update(min=10), "scoring.grades[3]", "min 应为 0"),
    (lambda d: d["scoring"]["budget"].update(formula="curve"), "scoring.budget.formula", "“curve”无效"),
    (lambda d: d.update(colour="red"), "colour", "不认识的项目“colour”"),
    (lambda d: d["table"]["indicator_columns"].pop(7), "table.indicator_columns", "“分值”（points）一栏"),
    (lambda d: d["table"]["budget_rows"].pop(0), "table.budget_rows", "年度资金总额"),
    (lambda d: d["table"]["text_cells"].update({"9": "评价结论"}), "table.text_cells.9", "没有键为“9”的章节"),
    (lambda d: d["numbering"].append("A."), "numbering[5]", "“A.”无效"),
    (lambda d: d.update(id="Guangzhou"), "id", "小写英文字母开头"),
    (lambda d: d["cover"].append({"key": "年度", "label": "评价年度"}), "cover[0].key", "英文字母"),
    (lambda d: d["cover"].append({"key": "y", "label": "评价年度", "kind": "month"}), "cover[0].kind", "“month”无效"),
    (lambda d: d.update(format=2), "format", "应为 1"),
    # issue 16 F5: what Word and Excel cannot hold, or what makes a name read otherwise, is refused
    # where a template is read, as every other reader refuses it
    (lambda d: d["scoring"]["grades"][0].update(grade="优\uffff"), "scoring.grades[0].grade", "非字符（U+FFFF"),
    (lambda d: d["scoring"]["grades"][0].update(grade="\u202e优"), "scoring.grades[0].grade", "改变文字方向"),
    (lambda d: d["outline"][0].update(heading="基本\x07情况"), "outline[0]", "控制字符（U+0007"),
])
def test_each_problem_is_named_in_chinese_with_its_place(tmp_path: Path, change, place: str, words: str) -> None:
    data = _gz()
    change(data)
    msg = _refused(data, tmp_path)
    assert msg.startswith(f"模板“坏模板.json”中 {place}：") or msg.startswith("模板“坏模板.json”中 " + place), msg
    assert words in msg, msg


def test_a_broken_file_leaves_the_others_usable(tmp_path: Path) -> None:
    good = _gz()
    good["id"] = "my_district_2024"
    good["name"] = "本区2024年度格式"
    _write(tmp_path, "my_district_2024.json", good)
    bad = copy.deepcopy(good)
    bad["id"] = "broken_one"
    bad["scoring"]["budget"]["points"] = 15
    _write(tmp_path, "broken_one.json", bad)
    _write(tmp_path, "not_json.json", "这不是 JSON")
    dup = copy.deepcopy(good)
    _write(tmp_path, "z_same_id.json", dup)
    cat = catalog(extra_dirs=(tmp_path,))
    ids = [t.id for t in cat.templates]
    assert DEFAULT_TEMPLATE in ids and "my_district_2024" in ids and "broken_one" not in ids
    assert cat.get("my_district_2024").builtin is False
    assert len(cat.problems) == 3
    assert any("broken_one.json" in p and "合计应为 100 分" in p for p in cat.problems)
    assert any("not_json.json" in p and "不是有效的 JSON" in p for p in cat.problems)
    assert any("z_same_id.json" in p and "重复" in p for p in cat.problems)


def test_the_v2_data_parses_to_itself() -> None:
    from nanzhou_desktop.template_data import parse_report_template, template_to_data

    t = parse_report_template(copy.deepcopy(V2_TEMPLATE_DATA), "测试")
    assert json.loads(json.dumps(template_to_data(t))) == json.loads(json.dumps(V2_TEMPLATE_DATA))


# --------------------------------------------------------------------- numbering
@pytest.mark.parametrize(("style", "n", "text"), [
    ("一、", 1, "一、"), ("一、", 11, "十一、"), ("一、", 20, "二十、"), ("（一）", 4, "（四）"), ("1.", 7, "7."),
    ("1、", 2, "2、"), ("（1）", 12, "（12）"), ("①", 3, "③"), ("①", 21, "（21）"), ("(1)", 2, "(2)"),
])
def test_numbering_styles(style: str, n: int, text: str) -> None:
    assert format_number(style, n) == text


def test_renumber_follows_position_and_level() -> None:
    t = load_template(DEFAULT_TEMPLATE)
    sections = t.make_sections()
    assert renumber(sections, t.data) == []
    sections.insert(2, sections.pop(4))  # 1.4 moved up to stand second under 一、
    fixed = {s.key: want for s, want in renumber(sections, t.data)}
    assert fixed == {"1.4": "（二）", "1.2": "（三）", "1.3": "（四）"}
    for s in sections:
        s.number = fixed.get(s.key, s.number)
    assert renumber(sections, t.data) == []


def test_parse_template_accepts_data_without_a_file() -> None:
    t = parse_template(_gz(), "内存中")
    assert t.path is None and t.id == DEFAULT_TEMPLATE


def test_a_template_without_budget_projects_or_tasks_sections_checks_and_prints(tmp_path: Path) -> None:
    """A district's own outline with none of the sections the budget, project and task rules look
    at: those rules stay silent (no finding naming a section that is not there, no traceback),
    the figures in the text are still compared with the tables, and the report prints."""
    from decimal import Decimal as D

    from nanzhou_desktop.model import Direction, Indicator, SignOff
    from nanzhou_desktop.render.docx import write_docx
    from nanzhou_desktop.render.pdf import render_pdf
    from nanzhou_desktop.render.xlsx import write_xlsx
    from nanzhou_desktop.rules import check
    from nanzhou_desktop.rules.findings import Severity
    from nanzhou_desktop.store.reportfile import create_report_file, open_report_file

    data = _gz()
    data.update(id="bare_outline", name="某区自定提纲")
    data["outline"] = [{"key": "1", "heading": "总体情况"}, {"key": "2", "heading": "存在问题", "required": False}]
    data["table"]["text_cells"] = {}
    t = parse_template(data, "某区自定提纲.json")
    r = t.new_report("0" * 32, Unit("某区某局", "某局"), 2022)
    assert [s.kind for s in r.sections] == [SectionKind.TEXT, SectionKind.TEXT]
    r.section("1").body = "全年预算数 100.00 万元，执行数 95.00 万元，完成预算的 96.00%。"  # 96 is wrong: 95.00
    r.section("2").body = "无。"
    total = r.budget_total_row
    total.budget_total, total.executed = D("100.00"), D("95.00")
    for b in r.budget[1:]:
        b.budget_total, b.executed = D("50.00"), D("47.50")
    r.indicators = [Indicator("产出指标", "数量指标", "巡查次数", Direction.AT_LEAST, "100", "次", "100", D(50)),
                    Indicator("效益指标", "社会效益指标", "安全感", Direction.AT_LEAST, "90", "%", "95", D(30)),
                    Indicator("满意度指标", "服务对象满意度指标", "满意度", Direction.AT_LEAST, "90", "%", "95", D(10))]
    r.signoff = SignOff("张三", "李四", "王五", "020-12345678", "13800000000", "2023-03-10", "2023-03-15")
    path = create_report_file(tmp_path / "自定提纲.sqlite", r)
    with open_report_file(path) as rf:
        r = rf.report
        result = check(r)
    assert result.score.total == D("9.5") + 90
    present = {s.key for s in r.sections}
    for f in result.findings:
        assert f.where.table != "sections" or f.where.row is None or f.where.row in {s.id for s in r.sections}
        assert not (f.key.split("@")[-1].startswith("section:") and f.key.split(":")[-1] not in present), f.key
    errors = [f for f in result.findings if f.severity == Severity.ERROR]
    assert len(errors) == 1 and "96" in errors[0].message, [f.message for f in errors]
    info = render_pdf(r, tmp_path / "自定提纲.pdf")
    assert info.pages >= 2
    write_docx(r, tmp_path / "自定提纲.docx")
    write_xlsx(r, tmp_path / "自定提纲.xlsx")


def test_a_template_read_back_from_reports_is_parsed_once_and_shared_immutable() -> None:
    """A district reads the same embedded template from thousands of files: it is parsed once
    and the one object is shared, which is only safe while every part of it is immutable."""
    import dataclasses
    import typing

    import nanzhou_desktop.template_data as td

    text = td.embedded_json(load_template("mof_2020").data)
    first = td.from_embedded_json(text, "1", "甲.sqlite")
    assert td.from_embedded_json(text, "1", "乙.sqlite") is first
    assert td.from_embedded_json(text, "2", "乙.sqlite") is not first  # another version: its own
    # A refusal still names the file it came from, each time.
    bad = text.replace('"name":', '"nom":', 1)
    for name in ("丙.sqlite", "丁.sqlite"):
        with pytest.raises(td.TemplateError) as err:
            td.from_embedded_json(bad, "1", name)
        assert name in str(err.value)

    seen: set[type] = set()

    def walk(cls: type) -> None:
        if cls in seen or not dataclasses.is_dataclass(cls):
            return
        seen.add(cls)
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        for name, hint in typing.get_type_hints(cls, vars(td)).items():
            assert not any(m in str(hint) for m in ("list", "dict", "set[", "Mapping")), (cls, name, hint)
            for arg in typing.get_args(hint) or (hint,):
                for inner in typing.get_args(arg) or (arg,):
                    if isinstance(inner, type):
                        walk(inner)

    walk(td.ReportTemplate)
    assert td.Scheme in seen and td.TableSpec in seen
