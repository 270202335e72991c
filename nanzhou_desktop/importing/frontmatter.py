"""What comes before the first heading: the 附件 mark, the title (over one to three lines), a
unit line above it, the cover block (评价年度 / 评价单位（公章） / 部门名称 / 预算编码 /
报告日期 / 填报日期 …) and the opening paragraph (前言); and from them, the unit and the year.

Every rule here follows a form seen in the published reports of tests/data/realworld (named
in the comments) or the conventions of the genre (docs/glossary.md).  Where the unit or year
was found is kept (``unit_from``/``year_from``) so the preview and the CLI can say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nanzhou_desktop.importing.mending import Paragraph
from nanzhou_desktop.importing.text import ends_sentence, fold

_ATTACHMENT = re.compile(r"^附\s*[件表]\s*[0-9一二三四五六七八九十]*\s*[:：]?\s*")
_TITLE_WORDS = ("报告", "自评表", "评价表", "评分表")
_YEAR = re.compile(r"(20\d{2})\s*年")
_YEAR_PAREN = re.compile(r"^[（(]\s*(20\d{2})\s*年度?\s*[）)]$")
# A unit's name ends so (街道办事处, 镇人民政府, 乡, 局, 中心, 委员会, 政协 …).
UNIT_SUFFIX = ("办事处", "人民政府", "政府", "街道", "局", "委员会", "委", "中心", "办公室", "管理处", "所", "院", "站",
               "镇", "乡", "政协", "馆", "队", "处", "办", "会", "社")
_REGION_ONLY = re.compile(r"^.{1,6}?[省市县区州]$")
# The words of the genre's titles around the unit's name.
_DOC_WORDS = re.compile(
    r"(?:本级)?(?:部门|单位)?(?:整体)?(?:项目)?支出(?:及项目支出)?(?:绩效)?(?:评价)?(?:自评|自我评价)?"
    r"(?:情况)?(?:报告|表|情况)|(?:部门|单位)?(?:整体)?(?:绩效)?(?:评价)?自评报告|绩效(?:评价)?(?:自评)?报告")
_YEAR_WORDS = re.compile(r"[（(]?\s*20\d{2}\s*年度?\s*[）)]?")
_CONTACT_IN_TITLE = re.compile(r"^[（(].*[）)]$")
_COVER = re.compile(r"^\s*([^:：。，,]{1,14}?)\s*[:：]\s*(.*?)\s*$")
# Cover labels, folded (full-/half-width alike, spaces out), and what they say.
_UNIT_LABELS = ("评价单位(公章)", "评价单位", "部门(单位)名称", "部门名称", "单位名称", "预算部门、单位名称",
                "预算单位名称", "填报单位(盖章)", "填报单位", "实施单位(盖章)", "实施单位", "主管部门")
_YEAR_LABELS = ("评价年度", "年度", "所属年度")
_DATE_LABELS = ("填报日期", "报告日期", "评价日期")
# "现将2024年度徐闻县前山镇人民政府整体支出绩效自评情况报告如下" (前山镇, 徐闻县地方公路局, 茂名市发改局,
# 爱国街道); "湛江市霞山区爱国街道办事处及时布置自评" (爱国街道).
_PREFACE_UNIT = (
    re.compile(r"现将\s*(?:20\d{2}\s*年度?)?\s*(.{2,40}?)(?:[（(][^）)]*[）)])?\s*(?:部门|单位)?\s*(?:整体|项目)"),
    re.compile(r"[，,]\s*(.{2,40}?(?:办事处|人民政府|局|中心|委员会))\s*(?:及时|积极|认真)"),
)
# The year a preface reports on: "现将2024年度…", "对2019年度本单位整体支出进行了绩效自评",
# "对2021年专项工作经费…" (赫山区城管执法局, 编办); a notice's own year ("开展2022年市级…的通知")
# is not it.
_PREFACE_YEAR = (re.compile(r"现将\s*(20\d{2})\s*年"), re.compile(r"对\s*(20\d{2})\s*年"))


@dataclass
class CoverEntry:
    label: str  # as written, colon removed ("评价单位（公章）")
    value: str
    index: int  # the paragraph it came from


@dataclass
class FrontMatter:
    title: str = ""
    unit: str = ""
    unit_from: str = ""  # where the unit was found, said to the user
    year: int | None = None
    year_from: str = ""
    cover: list[CoverEntry] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)  # paragraph index → 附件 | title | unit | cover | preface | other

    def indices(self, role: str) -> list[int]:
        return sorted(i for i, r in self.roles.items() if r == role)


def _label_key(label: str) -> str:
    return fold(label).replace("（", "(").replace("）", ")")


def _is_title_line(text: str) -> bool:
    t = fold(text)
    if ends_sentence(t) or "根据" in t or len(t) > 80 or _COVER.match(t) and not t.startswith("附件"):
        return False
    # "…自评报告", or a form's title: "2023年度部门整体支出绩效自评表", "…评价基础数据表",
    # "部门预算项目支出绩效自评表(2023年度)" (衡山县贯塘乡, 青神县发改局).
    return any(w in t for w in _TITLE_WORDS) or bool(re.search(r"绩效.{0,12}表(?:[（(]20\d{2}年度?[）)])?$", t))


is_title_line = _is_title_line


def is_attachment_mark(text: str) -> bool:
    """"附件3", "附件二", "附表1：" alone on a line."""
    return bool(_ATTACHMENT.match(text)) and not _ATTACHMENT.sub("", text).strip()


def is_cover_line(text: str) -> bool:
    """A cover's "label: value" line with a label a cover has (评价年度, 部门(单位)名称 …)."""
    m = _COVER.match(text)
    if not m or ends_sentence(text):
        return False
    key = _label_key(m.group(1))
    return any(key.startswith(_label_key(k)) for k in (*_UNIT_LABELS, *_YEAR_LABELS, *_DATE_LABELS, *_OTHER_LABELS))


def _unit_like(text: str) -> bool:
    t = fold(text)
    return (2 <= len(t) <= 40 and t.endswith(UNIT_SUFFIX) and not _YEAR.search(t)
            and not any(w in t for w in ("报告", "支出", "绩效", "情况")) and not _REGION_ONLY.match(t))


def unit_from_title(title: str) -> str:
    """The unit a title names: 附件N, the year and the genre's words taken away
    ("附件3田心乡部门整体支出绩效自评报告(2022年度)" → "田心乡"); "" for a region alone
    ("岳阳县2021年度部门整体支出绩效评价自评报告" names 岳阳县, not the unit)."""
    t = _ATTACHMENT.sub("", fold(title))
    parts = [p for p in _YEAR_WORDS.split(t) if p]
    for part in parts:
        name = _DOC_WORDS.sub("", part).strip()
        name = re.sub(r"(?:部门|单位|整体|本级)+$", "", name)
        if len(name) >= 2 and not _REGION_ONLY.match(name) and not name.startswith(("部门", "单位")):
            return name
    return ""


def _year_of(text: str) -> int | None:
    for m in _YEAR.finditer(fold(text)):
        y = int(m.group(1))
        if 2000 <= y <= 2100:
            return y
    m = re.search(r"(20\d{2})", fold(text))
    if m and 2000 <= int(m.group(1)) <= 2100:
        return int(m.group(1))
    return None


def read_front(paras: list[Paragraph], stop: int, name: str, body_start: int | None = None) -> FrontMatter:
    """Read ``paras[:stop]`` (everything before the first heading) and, where the front says
    nothing, the form cells and text after it."""
    fm = FrontMatter()
    roles = fm.roles
    front = [(i, p) for i, p in enumerate(paras[:stop])]
    # 1. 附件 marks ("附件3", "附件二"), and a mark glued to the title ("附件3田心乡…").
    for i, p in front:
        if not p.table and is_attachment_mark(p.text):
            roles[i] = "附件"
    # 2. The title: the first line with the genre's words, and the lines that continue it.
    title_idx: list[int] = []
    for i, p in front:
        if i in roles or (p.table and len(p.cells) != 1):
            continue
        if _is_title_line(p.text):
            title_idx = [i]
            break
    if title_idx:
        first = title_idx[0]
        j = first - 1
        # A title broken over lines: "岳阳县2021年度部门整体支出" / "绩效评价自评报告".
        while j >= 0 and j not in roles and not paras[j].table and _continues_title(paras[j].text):
            title_idx.insert(0, j)
            j -= 1
        # A unit line above the title (益阳市赫山区城市管理和综合执法局 / 2019年部门整体支出绩效评价报告).
        if j >= 0 and j not in roles and not paras[j].table and _unit_like(paras[j].text):
            roles[j] = "unit"
        k = title_idx[-1] + 1
        while k < stop and not paras[k].table and (
                _YEAR_PAREN.match(fold(paras[k].text)) or (_continues_title(paras[k].text) and
                                                          not _is_title_line(paras[title_idx[-1]].text))):
            title_idx.append(k)  # "（2022年度）" on the line after the title (田心乡)
            k += 1
        for i in title_idx:
            roles[i] = "title"
        fm.title = "".join(paras[i].text for i in title_idx)
    # 3. The cover block: "label: value" lines before the first heading.
    for i, p in front:
        if i in roles:
            continue
        cells = p.cells if p.table else ()
        if cells:
            _cover_from_cells(fm, i, cells)
            continue
        m = _COVER.match(p.text)
        if m and not ends_sentence(p.text) and len(m.group(1)) <= 14 and _is_cover_label(m.group(1)):
            fm.cover.append(CoverEntry(m.group(1).strip(), m.group(2).strip(), i))
            roles[i] = "cover"
    # 4. The opening paragraph (前言): prose before the first heading.
    for i, p in front:
        if i in roles or p.table:
            continue
        if _is_prose(p.text):
            roles[i] = "preface"
        else:
            roles[i] = "other"
    _identity(fm, paras, name, body_start if body_start is not None else stop)
    return fm


def _continues_title(text: str) -> bool:
    t = fold(text)
    return (0 < len(t) <= 40 and not ends_sentence(t) and not _COVER.match(t) and not _unit_like(t)
            and any(w in t for w in ("年度", "部门", "整体", "支出", "绩效", "评价", "自评", "报告")))


def _is_cover_label(label: str) -> bool:
    key = _label_key(label)
    return (any(key.startswith(_label_key(k)) for k in (*_UNIT_LABELS, *_YEAR_LABELS, *_DATE_LABELS))
            or key in {_label_key(k) for k in _OTHER_LABELS}
            or bool(re.fullmatch(r"[\u4e00-\u9fff()]{2,12}", key)))


_OTHER_LABELS = ("预算编码", "评价方式", "评价机构", "项目名称", "项目编号", "联系人", "联系电话", "联络电话", "评价类型",
                 "报表编号")


def _is_prose(text: str) -> bool:
    return len(text) >= 20 and bool(re.search(r"[，,。；;]", text))


def _cover_from_cells(fm: FrontMatter, index: int, cells: tuple[str, ...]) -> None:
    """A cover laid out as a Word table: label cell, value cell, …"""
    found = False
    for a, b in zip(cells, cells[1:], strict=False):
        if a and _is_cover_label(a.rstrip(":：")) and b and not _is_cover_label(b.rstrip(":：")):
            fm.cover.append(CoverEntry(a.rstrip(":：").strip(), b.strip(), index))
            found = True
    if found:
        fm.roles[index] = "cover"


# ---------------------------------------------------------------------- identity
def _identity(fm: FrontMatter, paras: list[Paragraph], name: str, body_start: int) -> None:
    preface = "\n".join(paras[i].text for i in fm.indices("preface"))
    # Unit: a cover field that names it, then a unit line above the title, then the preface's
    # fuller name when it ends with the title's, then the title, then a form's cell, then the
    # file's name.
    by_label = {_label_key(e.label): e for e in fm.cover if e.value}
    for label in _UNIT_LABELS:
        entry = by_label.get(_label_key(label))
        if entry is not None and len(fold(entry.value)) >= 2:
            fm.unit, fm.unit_from = _clean_unit(entry.value), f"封面“{entry.label}”"
            break
    if not fm.unit and fm.indices("unit"):
        fm.unit, fm.unit_from = fold(paras[fm.indices("unit")[0]].text), "标题上方的单位名称"
    titled = unit_from_title(fm.title) if fm.title else ""
    if not fm.unit:
        fuller = _unit_in_preface(preface)
        if fuller and (not titled or fuller.endswith(titled) or titled in fuller):
            fm.unit, fm.unit_from = fuller, "前言"
        elif titled:
            fm.unit, fm.unit_from = titled, "标题"
        elif fuller:
            fm.unit, fm.unit_from = fuller, "前言"
    if not fm.unit:
        cell = _unit_in_cells(paras)
        if cell:
            fm.unit, fm.unit_from = cell
    if not fm.unit:
        from_name = unit_from_title(Path(name).stem) if name else ""
        if from_name and any(from_name.endswith(s) for s in UNIT_SUFFIX):
            fm.unit, fm.unit_from = from_name, "文件名"
    # Year: the title (with its "（2022年度）"), the cover's 评价年度, the preface, a form's
    # title, the file name, and last the first year the text states.
    year = _year_of(fm.title) if fm.title else None
    if year:
        fm.year, fm.year_from = year, "标题"
        return
    for label in _YEAR_LABELS:
        entry = by_label.get(_label_key(label))
        if entry is not None and _year_of(entry.value + "年"):
            fm.year, fm.year_from = _year_of(entry.value + "年"), f"封面“{entry.label}”"
            return
    for pattern in _PREFACE_YEAR:
        m = pattern.search(fold(preface))
        if m:
            fm.year, fm.year_from = int(m.group(1)), "前言"
            return
    for p in paras:
        if p.table or not p.text:
            continue
        if _is_title_line(p.text) and _year_of(p.text):
            fm.year, fm.year_from = _year_of(p.text), f"表题“{p.text[:30]}”"
            return
    year = _year_of(Path(name).stem) if name else None
    if year:
        fm.year, fm.year_from = year, "文件名"
        return
    for p in paras[body_start:body_start + 12]:
        year = None if p.table else _year_of(p.text)
        if year:
            fm.year, fm.year_from = year, f"正文“{p.text[:20]}”（推测）"
            return


def _clean_unit(value: str) -> str:
    return re.sub(r"[（(]\s*(?:公章|盖章)\s*[）)]", "", fold(value)).strip(" _＿")


def _unit_in_preface(preface: str) -> str:
    text = fold(preface)
    for pattern in _PREFACE_UNIT:
        m = pattern.search(text)
        if m:
            unit = re.sub(r"[（(][^）)]*[）)]", "", m.group(1)).strip()
            unit = re.sub(r"^(?:20\d{2}年度?)", "", unit)
            if _unit_like(unit):
                return unit
    return ""


def _unit_in_cells(paras: list[Paragraph]) -> tuple[str, str] | None:
    """A form's unit cell anywhere in the document: "预算部门、单位名称" then the name on the
    next line (衡山县贯塘乡's 自评表), "实施单位 (盖章)" then the name (青神县发改局's)."""
    wanted = [_label_key(k) for k in _UNIT_LABELS]
    best: tuple[int, str, str] | None = None
    for p in paras:  # a Word table's row: the label cell, then the value cell
        if not p.table or len(p.cells) < 2:
            continue
        for label, value in zip(p.cells, p.cells[1:], strict=False):
            key = _label_key(label.rstrip(":："))
            if key in wanted and _unit_like(_clean_unit(value)):
                rank = wanted.index(key)
                if best is None or rank < best[0]:
                    best = (rank, _clean_unit(value), f"表格“{label.rstrip(':：').strip()}”")
    for i, p in enumerate(paras[:-1]):
        key = _label_key(p.text.rstrip(":："))
        label_key = key.split(":")[0] if ":" in key else key
        if label_key not in wanted:
            continue
        rank = wanted.index(label_key)
        value = key.split(":", 1)[1] if ":" in key else fold(paras[i + 1].text)
        if best is not None and best[0] <= rank:
            continue
        value = _clean_unit(value)
        if _unit_like(value) and (best is None or rank < best[0]):
            best = (rank, value, f"表格“{p.text.rstrip(':：').strip()}”")
    return (best[1], best[2]) if best else None
