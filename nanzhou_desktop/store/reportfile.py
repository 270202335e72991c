"""Open, create and edit a report file.

Every edit is one transaction: the value is parsed (a refused value raises
:class:`EditError` and writes nothing), written, audited and committed before the
in-memory :class:`~nanzhou_desktop.model.Report` changes.  The file uses a rollback journal
with ``synchronous=FULL``, so when no edit is in flight the main file alone is the whole
report: safe to copy or email, nothing left in side files.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from nanzhou_desktop import __version__
from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.limits import ROWS_MAX, TABLE_LABELS, WORKING_FILE_BYTES, file_name_problem, stored_decimal
from nanzhou_desktop.model import (
    BudgetKind,
    BudgetRow,
    CoverField,
    Direction,
    Explanation,
    Indicator,
    Project,
    Report,
    Section,
    SectionKind,
    SignOff,
    Status,
    Task,
    TaskItem,
    Unit,
)
from nanzhou_desktop.money import canonical
from nanzhou_desktop.oscompat import fsync_dir, fsync_file, path_too_long
from nanzhou_desktop.store.atomic import clean_stale_temps, discard, temp_beside
from nanzhou_desktop.store.errors import EditError, ReportFileError, SaveError, os_reason
from nanzhou_desktop.store.fields import (
    FIELDS,
    check_indicator_value,
    clean_line,
    clean_text,
    parse_cover_value,
    report_problem,
    to_db,
)
from nanzhou_desktop.store.header import read_header
from nanzhou_desktop.store.lock import FileInUse, ReportLock
from nanzhou_desktop.store.schema import SCHEMA_VERSION, apply_migrations, expected_schema, read_schema
from nanzhou_desktop.template_data import TemplateError, embedded_json, from_embedded_json

ROW_TABLES = ("sections", "tasks", "task_items", "budget_rows", "projects", "indicators", "cover_fields")
AUDIT_SPAN = 200  # longer text values are audited as the changed span only



def _uuid4_str() -> str:
    # uuid is imported on use: it loads platform and _uuid, which opening a file never needs.
    import uuid

    return str(uuid.uuid4())


def finalise_audit_reason(revision: int, fp: str) -> str:
    """What the 定稿 entry of the audit records: the revision and the fingerprint it fixed, so
    that a receiver can match the entry to the file (see ``district.safe_open.finalisation``)."""
    return f"修订号 {revision}，内容指纹 {fp}"


FINALISE_AUDIT = re.compile(r"修订号 (\d{1,19})，内容指纹 ([0-9a-f]{64})")


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing an edit for
        return "未知用户"


@dataclass
class OpenNotice:
    """What the user should be told after opening (restored after a crash, migrated, read-only)."""

    read_only_reason: str = ""
    restored: str = ""
    migrated_backup: Path | None = None


def _parse_dec(value: Any) -> Decimal | None:
    """A stored decimal; anything else (text, NaN, 1e400, a million digits) means the file was
    damaged or crafted.  The shape is checked before ``Decimal`` sees the text; the bounds of
    each column are checked with the whole report (:func:`~nanzhou_desktop.store.fields.report_problem`)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _Unreadable(f"数值列中出现了非文本值（{type(value).__name__}）")
    d = stored_decimal(value)
    if d is None:
        raise _Unreadable(f"数值“{value[:40]}”不是有效的数字")
    return d


class _Unreadable(ValueError):
    """A stored value of the wrong shape; ``str(err)`` is a Chinese phrase."""


def _attr_get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _attr_set(obj: Any, path: str, value: Any) -> None:
    *head, last = path.split(".")
    for part in head:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def _audit_values(old: Any, new: Any) -> tuple[str | None, str | None, str]:
    """Long texts are audited as the changed span, so typing in a long section does not
    grow the file by the whole text at every commit."""
    o = "" if old is None else str(old)
    n = "" if new is None else str(new)
    if len(o) <= AUDIT_SPAN and len(n) <= AUDIT_SPAN:
        return (None if old is None else o), (None if new is None else n), ""
    start = 0
    while start < min(len(o), len(n)) and o[start] == n[start]:
        start += 1
    end = 0
    while end < min(len(o), len(n)) - start and o[-1 - end] == n[-1 - end]:
        end += 1
    return o[start:len(o) - end], n[start:len(n) - end], f"@{start}"


class ReportFile:
    """An open report file and the report it holds.  Use :func:`open_report_file`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool,
                 lock: ReportLock | None, who: str) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self._lock = lock
        self.who = who
        self.notice = OpenNotice()
        self._integrity: tuple[tuple[Any, ...], bool] | None = None
        self.report = self._load()

    # ------------------------------------------------------------------ loading
    def _load(self) -> Report:
        r = self.conn.execute("SELECT * FROM report WHERE id = 1").fetchone()
        if r is None:
            raise ReportFileError(f"文件“{self.path.name}”中没有报告内容")
        report = Report(
            uuid=r["uuid"], year=r["fiscal_year"], title=r["title"], template_id=r["template_id"],
            unit=Unit(r["unit_full_name"], r["unit_short_name"], r["unit_code"], r["district"]),
            signoff=SignOff(r["head"], r["finance_head"], r["preparer"], r["phone_office"],
                            r["phone_mobile"], r["fill_date"], r["issue_date"]),
            status=Status(r["status"]), revision=r["revision"], final_fingerprint=r["final_fingerprint"],
            preface=r["preface"],
            template=from_embedded_json(r["template_data"], r["template_version"], self.path.name),
        )
        def q(sql: str) -> list[sqlite3.Row]:
            # Never more rows than a report may have (+1 to see that there are more): a crafted
            # file with 100,000 budget rows is refused without building them all.
            table = sql.split(" FROM ", 1)[1].split()[0]
            rows = self.conn.execute(f"{sql} LIMIT {ROWS_MAX[table] + 1}").fetchall()
            if len(rows) > ROWS_MAX[table]:
                raise ReportFileError(f"文件“{self.path.name}”的{TABLE_LABELS[table]}超过 {ROWS_MAX[table]:,} 行，"
                                      "不是正常的报告文件，无法打开")
            return rows

        report.sections = [
            Section(key=s["key"], level=s["level"], number=s["number"], heading=s["heading"], body=s["body"],
                    kind=SectionKind(s["kind"]), required=bool(s["required"]), id=s["id"])
            for s in q("SELECT * FROM sections ORDER BY position, id")
        ]
        items: dict[int, list[TaskItem]] = {}
        for i in q("SELECT * FROM task_items ORDER BY position, id"):
            items.setdefault(i["task_id"], []).append(TaskItem(i["title"], i["body"], id=i["id"]))
        report.tasks = [Task(t["title"], t["body"], items.get(t["id"], []), id=t["id"])
                        for t in q("SELECT * FROM tasks ORDER BY position, id")]
        report.budget = [
            BudgetRow(BudgetKind(b["kind"]), b["label"], _parse_dec(b["budget_initial"]),
                      _parse_dec(b["budget_total"]), _parse_dec(b["executed"]), b["reason"],
                      _parse_dec(b["prior_budget_total"]), _parse_dec(b["prior_executed"]), id=b["id"])
            for b in q("SELECT * FROM budget_rows ORDER BY position, id")
        ]
        report.projects = [
            Project(p["name"], _parse_dec(p["budget_total"]), _parse_dec(p["executed"]), p["reason"],
                    _parse_dec(p["prior_budget_total"]), _parse_dec(p["prior_executed"]), id=p["id"])
            for p in q("SELECT * FROM projects ORDER BY position, id")
        ]
        report.indicators = [
            Indicator(i["level1"], i["level2"], i["level3"], Direction(i["direction"]), i["target"], i["unit"],
                      i["actual"], _parse_dec(i["points"]), i["reason"], bool(i["not_applicable"]),
                      _parse_dec(i["qual_share"]), i["note"], i["prior_actual"], id=i["id"],
                      target_initial=i["target_initial"], score=_parse_dec(i["score"]))
            for i in q("SELECT * FROM indicators ORDER BY position, id")
        ]
        report.cover = [CoverField(c["key"], c["label"], c["kind"], bool(c["required"]), c["value"], id=c["id"])
                        for c in q("SELECT * FROM cover_fields ORDER BY position, id")]
        report.explanations = {
            e["finding_key"]: Explanation(e["finding_key"], e["text"], e["author"], e["at"])
            for e in q("SELECT * FROM explanations")
        }
        return report

    def changed_after_final(self) -> bool:
        """Is this a 已定稿/已导出 report changed after 定稿 (its content no longer has the
        recorded fingerprint)?  Computed once per state of the report (issue 16 F11)."""
        r = self.report
        key = (r.status, r.revision, r.final_fingerprint)
        if self._integrity is None or self._integrity[0] != key:
            from nanzhou_desktop.rules.integrity import changed_after_final

            self._integrity = (key, changed_after_final(r))
        return self._integrity[1]

    # ------------------------------------------------------------------ writing
    def _check_writable(self) -> None:
        if self.read_only:
            raise EditError(f"文件以只读方式打开（{self.notice.read_only_reason or '只读'}），不能修改")

    def _check_editable(self) -> None:
        self._check_writable()
        if self.report.status != Status.DRAFT:
            raise EditError(f"报告{self.report.status}，不能修改；如需修改请先“解除定稿”")

    def _transaction(self) -> Any:
        return _Transaction(self)

    def _audit(self, action: str, target: str, old: Any = None, new: Any = None, reason: str = "") -> None:
        o, n, at = _audit_values(old, new)
        self.conn.execute(
            "INSERT INTO audit (at, who, action, target, old_value, new_value, reason) VALUES (?,?,?,?,?,?,?)",
            (now_iso(), self.who, action + at, target, o, n, reason),
        )

    def _check_room(self, table: str) -> None:
        """Refuse a row past ``limits.ROWS_MAX`` (no reader would accept the file after)."""
        rows = (sum(len(t.items) for t in self.report.tasks) if table == "task_items"
                else len(self.report.rows(table)))
        if rows >= ROWS_MAX[table]:
            raise EditError(f"{TABLE_LABELS[table]}已有 {rows:,} 行，达到上限 {ROWS_MAX[table]:,} 行，不能再添加")

    def _find(self, table: str, row_id: int | None) -> Any:
        r = self.report
        if table == "report":
            return r
        for obj in r.rows(table):
            if obj.id == row_id:
                return obj
        raise EditError(f"要修改的行已不存在（{table} #{row_id}）")

    def set_field(self, table: str, row_id: int | None, column: str, value: Any, *, reason: str = "") -> Any:
        """Parse ``value`` for ``table.column``, commit it and return the stored model value.

        Raises :class:`EditError` (bad value, locked) or :class:`SaveError` (disk full,
        read-only) with a Chinese message; in both cases nothing changes.
        """
        self._check_editable()
        try:
            spec = FIELDS[table][column]
        except KeyError as exc:
            raise EditError(f"不能修改的字段：{table}.{column}") from exc
        obj = self._find(table, row_id)
        new = spec.read(value)
        if table == "budget_rows" and column == "label":
            if obj.kind == BudgetKind.TOTAL and new != obj.label:
                raise EditError("“年度资金总额”是自评表规定的行名，不能修改")
            if not new.strip():
                raise EditError("预算执行情况的项目名称不能为空（不需要这一行请删除）")
        if table == "indicators" and column in ("target", "actual", "target_initial"):
            new = check_indicator_value(obj.direction, new, spec.label,
                                        self.report.template.scheme.qualitative_values)
        if table == "cover_fields":
            new = parse_cover_value(obj.kind, value, obj.label)
        old = _attr_get(obj, spec.attr)
        if old == new:
            return new
        # The title names the unit ("2022年度广州市…南洲街道办事处部门整体支出绩效自评报告"): renaming
        # the unit renames it there too, or the copy made for another street prints the old name.
        title = self.report.title
        new_title = (title.replace(old, new) if table == "report" and column == "unit_full_name"
                     and old and new and old in title else None)
        with self._transaction():
            if table == "report":
                self.conn.execute(f"UPDATE report SET {column} = ? WHERE id = 1", (to_db(spec, new),))
            else:
                self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (to_db(spec, new), row_id))
            self._audit("edit", f"{table}.{column}" + ("" if row_id is None else f"#{row_id}"),
                        canonical(old) if not isinstance(old, str) and old is not None else old,
                        to_db(spec, new) if new is not None else None, reason)
            if new_title is not None:
                self.conn.execute("UPDATE report SET title = ? WHERE id = 1", (new_title,))
                self._audit("edit", "report.title", title, new_title, "随单位全称修改")
        _attr_set(obj, spec.attr, new)
        if new_title is not None:
            self.report.title = new_title
        return new

    # -- rows -----------------------------------------------------------------------
    def _next_position(self, table: str, where: str = "", params: tuple[Any, ...] = ()) -> int:
        row = self.conn.execute(f"SELECT coalesce(max(position), -1) + 1 FROM {table} {where}", params).fetchone()
        return int(row[0])

    def add_budget_row(self, kind: BudgetKind, label: str) -> BudgetRow:
        self._check_editable()
        self._check_room("budget_rows")
        row = BudgetRow(kind, clean_line(label, "项目名称"))
        with self._transaction():
            row.id = self._insert("budget_rows", {"kind": str(kind), "label": row.label,
                                                  "position": self._next_position("budget_rows")})
            self._audit("add", f"budget_rows#{row.id}", None, row.label)
        self.report.budget.append(row)
        return row

    def add_project(self, name: str = "") -> Project:
        self._check_editable()
        self._check_room("projects")
        p = Project(clean_line(name, "项目名称"))
        with self._transaction():
            p.id = self._insert("projects", {"name": p.name, "position": self._next_position("projects")})
            self._audit("add", f"projects#{p.id}", None, p.name)
        self.report.projects.append(p)
        return p

    def add_indicator(self, level1: str = "", level2: str = "", level3: str = "",
                      direction: Direction = Direction.AT_LEAST) -> Indicator:
        self._check_editable()
        self._check_room("indicators")
        level1, level2, level3 = (clean_line(v, label) for v, label in
                                  ((level1, "一级指标"), (level2, "二级指标"), (level3, "三级指标")))
        ind = Indicator(level1, level2, level3, direction)
        with self._transaction():
            ind.id = self._insert("indicators", {
                "level1": level1, "level2": level2, "level3": level3, "direction": str(direction),
                "position": self._next_position("indicators")})
            self._audit("add", f"indicators#{ind.id}", None, level3)
        self.report.indicators.append(ind)
        return ind

    def add_task(self, title: str = "", index: int | None = None) -> Task:
        self._check_editable()
        self._check_room("tasks")
        task = Task(clean_line(title, "工作任务标题"))
        with self._transaction():
            task.id = self._insert("tasks", {"title": task.title, "position": self._next_position("tasks")})
            self._audit("add", f"tasks#{task.id}", None, task.title)
            tasks = list(self.report.tasks)
            tasks.insert(len(tasks) if index is None else index, task)
            self._renumber("tasks", tasks)
        self.report.tasks[:] = tasks  # the model follows only a committed change
        return task

    def add_task_item(self, task_id: int, title: str = "", index: int | None = None) -> TaskItem:
        self._check_editable()
        task = self._find("tasks", task_id)
        self._check_room("task_items")
        item = TaskItem(clean_line(title, "小项标题"))
        with self._transaction():
            item.id = self._insert("task_items", {"task_id": task_id, "title": item.title, "position": 0})
            self._audit("add", f"task_items#{item.id}", None, item.title)
            items = list(task.items)
            items.insert(len(items) if index is None else index, item)
            self._renumber("task_items", items)
        task.items[:] = items  # the model follows only a committed change
        return item

    def add_section(self, parent_key: str, number: str, heading: str, body: str = "") -> Section:
        """Add a sub-section under ``parent_key`` (e.g. 四's （一）围绕“一个核心”)."""
        self._check_editable()
        self._check_room("sections")
        siblings = self.report.children(parent_key)
        idx = 1 + max((int(s.key.rsplit(".", 1)[1]) for s in siblings), default=0)
        parent = self.report.section(parent_key)
        if parent is None:
            raise EditError(f"找不到上级章节 {parent_key}")
        sec = Section(key=f"{parent_key}.{idx}", level=parent.level + 1, number=number,
                      heading=clean_line(heading, "标题"), body=clean_text(body, "正文"), required=False)
        # Place it after the parent's last descendant.
        descendants = [s for s in self.report.sections if s.key == parent_key or s.key.startswith(parent_key + ".")]
        at = self.report.sections.index(descendants[-1]) + 1
        with self._transaction():
            sec.id = self._insert("sections", {
                "key": sec.key, "position": 0, "level": sec.level, "number": sec.number,
                "heading": sec.heading, "body": sec.body, "kind": str(sec.kind), "required": 0})
            self._audit("add", f"sections#{sec.id}", None, sec.heading)
            self.report.sections.insert(at, sec)
            self._renumber("sections", self.report.sections)
        return sec

    def delete_row(self, table: str, row_id: int) -> None:
        self._check_editable()
        obj = self._find(table, row_id)
        if table == "sections" and obj.required:
            raise EditError(f"“{obj.number}{obj.heading}”是报告提纲规定的章节，不能删除")
        if table == "budget_rows" and obj.kind == BudgetKind.TOTAL:
            raise EditError("“年度资金总额”是预算执行情况的必有行（执行率和预算执行得分由它计算），不能删除；"
                            "数字不对请直接改正")
        owner = self._owner_list(table, row_id)
        with self._transaction():
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
            if table == "tasks":
                self.conn.execute("DELETE FROM task_items WHERE task_id = ?", (row_id,))
            label = getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "level3", None) \
                or getattr(obj, "label", None) or getattr(obj, "heading", "")
            self._audit("delete", f"{table}#{row_id}", label, None)
        owner.remove(obj)  # the model follows only a committed change

    def restore_row(self, table: str, obj: Any, index: int, parent_id: int | None = None) -> None:
        """Put back a deleted row (a task with its 小项) under its old id at ``index`` among its
        siblings: what 撤销 of a deletion does, so later edits of that row undo as before."""
        self._check_editable()
        if table == "sections" or obj.id is None:
            raise EditError("这一行不能恢复")
        seq: list[Any] = self._find("tasks", parent_id).items if table == "task_items" else self.report.rows(table)
        if any(o.id == obj.id for o in seq):
            raise EditError("要恢复的行已经存在")
        index = max(0, min(index, len(seq)))
        new_order = [*seq[:index], obj, *seq[index:]]
        with self._transaction():
            _insert_row(self.conn, table, obj, index, parent_id=parent_id, row_id=obj.id)
            if table == "tasks":
                for ipos, item in enumerate(obj.items):
                    _insert_row(self.conn, "task_items", item, ipos, parent_id=obj.id, row_id=item.id)
            self._renumber(table, new_order)
            label = getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "level3", None) \
                or getattr(obj, "label", "")
            self._audit("restore", f"{table}#{obj.id}", None, label)
        seq[:] = new_order  # the model follows only a committed change

    def move_row(self, table: str, row_id: int, delta: int) -> None:
        """Move a row up (-1) or down (+1) among its siblings; numbering follows position."""
        self._check_editable()
        seq = self._owner_list(table, row_id)
        obj = self._find(table, row_id)
        i = seq.index(obj)
        j = i + delta
        if not 0 <= j < len(seq) or j == i:
            return
        if table == "budget_rows" and BudgetKind.TOTAL in (obj.kind, seq[j].kind):
            # The 其中 rows are parts of the total: printed and read under it.
            raise EditError("“年度资金总额”固定在预算执行情况的第一行，“其中”各行排在它下面")
        new_order = list(seq)
        new_order.insert(j, new_order.pop(i))
        with self._transaction():
            self._renumber(table, new_order)
            self._audit("move", f"{table}#{row_id}", str(i + 1), str(j + 1))
        seq[:] = new_order  # the model follows only a committed change

    def _owner_list(self, table: str, row_id: int) -> list[Any]:
        r = self.report
        if table == "task_items":
            for t in r.tasks:
                if any(i.id == row_id for i in t.items):
                    return t.items
            raise EditError(f"要修改的小项已不存在（#{row_id}）")
        return r.rows(table)

    def _renumber(self, table: str, seq: list[Any]) -> None:
        self.conn.executemany(f"UPDATE {table} SET position = ? WHERE id = ?",
                              [(pos, obj.id) for pos, obj in enumerate(seq)])

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(values.values()))
        return int(cur.lastrowid or 0)

    # -- explanations, finalising ------------------------------------------------
    def explain(self, finding_key: str, text: str) -> Explanation:
        """Store an 出错说明 for a 警告.  The rules decide which findings may be explained."""
        self._check_editable()
        text = clean_text(text, "出错说明").strip()
        if not text:
            raise EditError("出错说明不能为空，请写明原因")
        old = self.report.explanations.get(finding_key)
        exp = Explanation(finding_key, text, self.who, now_iso())
        with self._transaction():
            self.conn.execute("INSERT OR REPLACE INTO explanations (finding_key, text, author, at) VALUES (?,?,?,?)",
                              (exp.finding_key, exp.text, exp.author, exp.at))
            self._audit("explain", finding_key, old.text if old else None, text)
        self.report.explanations[finding_key] = exp
        return exp

    def remove_explanation(self, finding_key: str) -> None:
        self._check_editable()
        old = self.report.explanations.get(finding_key)
        if old is None:
            return
        with self._transaction():
            self.conn.execute("DELETE FROM explanations WHERE finding_key = ?", (finding_key,))
            self._audit("unexplain", finding_key, old.text, None)
        del self.report.explanations[finding_key]

    def rekey_explanations(self, moves: dict[str, str]) -> None:
        """Store existing 出错说明 under new finding keys (``old key → new key``), as when the row
        they are about was renamed; text, author and time stay.  One transaction, audited."""
        self._check_editable()
        moves = {a: b for a, b in moves.items() if a in self.report.explanations and a != b}
        if not moves:
            return
        taken = set(self.report.explanations) - set(moves)
        if taken & set(moves.values()):
            raise EditError("出错说明的编号与已有的出错说明重复，未作改动")
        with self._transaction():
            for a, b in moves.items():
                self.conn.execute("UPDATE explanations SET finding_key = ? WHERE finding_key = ?", (b, a))
                self._audit("rekey", "explanations", a, b)
        exps = self.report.explanations
        moved = {b: replace(exps.pop(a), finding_key=b) for a, b in moves.items()}
        exps.update(moved)

    def set_status(self, status: Status, *, reason: str = "", action: str = "status") -> None:
        """Change 状态.  Callers (finalise / unlock / export) check the conditions first."""
        self._check_writable()
        r = self.report
        old_status = r.status
        revision = r.revision
        fp = r.final_fingerprint
        if status == Status.FINAL and old_status == Status.DRAFT:
            fp = fingerprint(r)
            reason = reason or finalise_audit_reason(revision, fp)
        if status == Status.DRAFT and old_status != Status.DRAFT:
            revision += 1
            fp = ""
        with self._transaction():
            self.conn.execute("UPDATE report SET status = ?, revision = ?, final_fingerprint = ? WHERE id = 1",
                              (str(status), revision, fp))
            self._audit(action, "report.status", str(old_status), str(status), reason)
        r.status, r.revision, r.final_fingerprint = status, revision, fp

    def record_export(self, file_name: str, sha256: str) -> None:
        self._check_writable()
        with self._transaction():
            self.conn.execute("INSERT INTO exports (at, file_name, sha256, revision) VALUES (?,?,?,?)",
                              (now_iso(), file_name, sha256, self.report.revision))
            self._audit("export", "report", None, file_name)

    def record_audit(self, entries: list[tuple[str, str, Any, Any, str]]) -> None:
        """Write audit-only entries ``(action, target, old, new, reason)`` in one transaction
        (e.g. what an import filled from the text, and its later confirmation)."""
        self._check_writable()
        with self._transaction():
            for action, target, old, new, reason in entries:
                self._audit(action, target, old, new, reason)

    def exports(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM exports ORDER BY id")]

    def audit_log(self, limit: int = 1000) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))]

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        if self.conn is None:
            return
        try:
            if not self.read_only:
                try:
                    with self._transaction():
                        self._audit("close", "report")
                except SaveError:
                    pass  # nothing to lose: every edit was already committed
        finally:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
            if self._lock:
                self._lock.release()

    def __enter__(self) -> ReportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT; an I/O error becomes a :class:`SaveError` and rolls back."""

    def __init__(self, rf: ReportFile) -> None:
        self.rf = rf

    def __enter__(self) -> None:
        try:
            self.rf.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _save_error(self.rf.path, exc) from exc

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        conn = self.rf.conn
        if exc_type is None:
            try:
                conn.execute("COMMIT")
                return
            except sqlite3.Error as err:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _save_error(self.rf.path, err) from err
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise _save_error(self.rf.path, exc) from exc


_SQLITE_REASONS = (
    ("malformed", "数据库映像损坏"), ("not a database", "不是数据库文件"), ("disk i/o", "磁盘读写错误"),
    ("encrypted", "文件已加密"), ("no such table", "缺少数据表"), ("no such column", "缺少数据列"),
    ("unable to open", "无法打开文件"), ("locked", "文件被占用"), ("readonly", "文件只读"),
)


def sqlite_reason(exc: BaseException) -> str:
    """SQLite's English error as a short Chinese reason (the English kept for support staff)."""
    text = str(exc)
    for needle, reason in _SQLITE_REASONS:
        if needle in text.lower():
            return f"{reason}；SQLite：{text}"
    return f"SQLite 错误：{text}"


def _save_error(path: Path, exc: BaseException) -> SaveError:
    msg = str(exc).lower()
    if "full" in msg:
        return SaveError(f"磁盘空间不足，刚才的修改没有保存到“{path.name}”；已保存的内容不受影响，腾出空间后会继续保存")
    if "readonly" in msg or "read-only" in msg:
        return SaveError(f"文件“{path.name}”是只读的，修改无法保存")
    if "locked" in msg or "busy" in msg:
        return SaveError(f"文件“{path.name}”正被其他程序使用，修改暂未保存，请稍后再试")
    return SaveError(f"保存到“{path.name}”时出错：{sqlite_reason(exc)}")


# ---------------------------------------------------------------------- opening
def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=2.0, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _set_write_pragmas(conn: sqlite3.Connection) -> None:
    # Rollback journal + full sync: after each COMMIT the main file alone holds the report.
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")


def _backup_before_migration(path: Path, version: int) -> Path:
    backup = path.with_name(f"{path.stem}.v{version}-备份{path.suffix}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.stem}.v{version}-备份{n}{path.suffix}")
    shutil.copy2(path, backup)
    return backup


IN_USE = "文件正在被另一个窗口或程序编辑"


def _journal_left(path: Path) -> bool:
    """Is there a non-empty rollback journal beside ``path`` now?  One ``stat``: another
    window's save creates and deletes the journal at any moment, so "exists, then stat" could
    see it and then not find it (a FileNotFoundError in front of the user)."""
    try:
        return os.stat(str(path) + "-journal").st_size > 0
    except OSError:
        return False


def _crash_journal(path: Path) -> bool:
    """Is a journal beside ``path`` left by a crash (not another editor's save in progress)?

    Only a holder of the report lock writes to the file, so the journal is looked at while
    holding the lock: a journal seen then was left by a process that died mid-save.  Seen
    without the lock it may be a save that is finished a moment later (issue 16 F9/F10)."""
    probe = ReportLock(path)
    try:
        probe.acquire()
    except FileInUse:
        return False  # another window or process is editing: its journal is its save in progress
    except OSError:  # cannot even make the side file (read-only folder): nobody edits it there
        return _journal_left(path)
    try:
        return _journal_left(path)
    finally:
        probe.release()


def open_report_file(path: str | Path, *, read_only: bool = False, who: str | None = None) -> ReportFile:
    """Open a report file for editing (or read-only).

    Raises :class:`ReportFileError` with one Chinese sentence naming the file and what is
    wrong; the file is left untouched.  Another window or process holding the file, or a
    file without write permission, opens read-only with ``notice.read_only_reason`` set.
    """
    path = Path(path)
    if too_long := path_too_long(path):
        raise ReportFileError(too_long)
    header = read_header(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportFileError(f"无法读取文件“{path.name}”：{os_reason(exc)}") from exc
    if size > WORKING_FILE_BYTES:
        raise ReportFileError(f"文件“{path.name}”过大（{size / 1048576:,.0f} MB，上限 {WORKING_FILE_BYTES // 1048576} MB），"
                              "不是正常的报告文件，无法打开")
    reason = ""
    lock: ReportLock | None = None
    if not read_only:
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            read_only, reason = True, "文件或所在文件夹是只读的"
        else:
            lock = ReportLock(path)
            try:
                lock.acquire()
            except FileInUse:
                lock, read_only, reason = None, True, IN_USE
    elif read_only:
        reason = "按要求以只读方式打开"
    # A journal beside the file while another window or process holds it is that one's save in
    # progress, not a crash: SQLite waits for the save (busy timeout) and reads what it saved.
    # So the journal only counts as a crash's when seen under the lock (ours, or a probe's).
    if lock is not None:
        crashed_with_journal = _journal_left(path)
    elif reason == IN_USE:
        crashed_with_journal = False
    else:  # probed only when a journal is there: a probe makes a writer opening meanwhile read-only
        crashed_with_journal = _journal_left(path) and _crash_journal(path)
    if read_only and crashed_with_journal:
        raise ReportFileError(f"文件“{path.name}”上次没有正常关闭，需要可写打开一次才能恢复；请检查文件是否只读")
    backup: Path | None = None
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path, read_only=read_only)
        # Validate before anything can write to the file (even a journal-mode pragma).
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ReportFileError(f"文件“{path.name}”已损坏（{check}），无法打开；请使用备份或向报送单位索取新文件")
        if read_schema(conn) != expected_schema(header.user_version):
            raise ReportFileError(
                f"文件“{path.name}”的结构与报告文件格式（第 {header.user_version} 版）不符，可能已被其他程序改动，无法打开")
        if not read_only:
            _set_write_pragmas(conn)
        if header.user_version < SCHEMA_VERSION:
            if read_only:
                raise ReportFileError(
                    f"文件“{path.name}”是旧版本格式（第 {header.user_version} 版），需要可写打开才能升级")
            backup = _backup_before_migration(path, header.user_version)
            apply_migrations(conn)
        rf = ReportFile(path, conn, read_only=read_only, lock=lock, who=who or current_user())
        # The limits every entry point keeps (issue 16 F1/F3): a file holding what the window
        # would refuse to type was made or changed by something else, and is not read further.
        if problem := report_problem(rf.report):
            raise ReportFileError(f"文件“{path.name}”中{problem}；这不是本程序会写出的内容，文件可能被其他程序改动过，无法打开")
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if lock:
            lock.release()
        if isinstance(exc, ReportFileError):
            raise
        if isinstance(exc, TemplateError):
            raise ReportFileError(f"文件“{path.name}”中保存的报告模板数据无效（{exc}），无法打开") from exc
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            raise ReportFileError(f"文件“{path.name}”正被另一个窗口或程序保存，暂时无法读取，请稍后再试") from exc
        if isinstance(exc, sqlite3.DatabaseError):
            raise ReportFileError(f"文件“{path.name}”已损坏或不是报告文件（{sqlite_reason(exc)}），无法打开") from exc
        if isinstance(exc, _Unreadable):
            raise ReportFileError(f"文件“{path.name}”中的{exc}，文件可能被其他程序改动过，无法打开") from exc
        if isinstance(exc, (ValueError, KeyError, TypeError, ArithmeticError, IndexError, UnicodeError)):
            raise ReportFileError(f"文件“{path.name}”中的内容无效（{type(exc).__name__}：{exc}），无法打开") from exc
        raise
    rf.notice.read_only_reason = reason
    rf.notice.migrated_backup = backup
    if not read_only:
        rf.notice.restored = _restore_notice(rf, crashed_with_journal)
        with rf._transaction():
            rf._audit("open", "report", None, __version__)
    return rf


def _restore_notice(rf: ReportFile, had_journal: bool) -> str:
    """After an unclean exit the last audit entry is not a close: say what was kept."""
    last = rf.conn.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    clean = last is None or last["action"] in ("close", "create")
    if clean and not had_journal:
        return ""
    if had_journal:
        return "上次保存时被中断，未完成的那一处修改已撤回，此前保存的内容完整无缺。"
    edits = rf.conn.execute(
        "SELECT count(*), max(at) FROM audit WHERE action NOT IN ('open', 'close') AND "
        "id > coalesce((SELECT max(id) FROM audit WHERE action = 'open'), 0)"
    ).fetchone()
    if edits[0] == 0:
        return "上次程序没有正常退出；文件完整，没有丢失已保存的内容。"
    return (f"上次程序没有正常退出；已恢复截至 {_local_time(edits[1])} 保存的全部内容（该次共 {edits[0]} 处修改），"
            "没有丢失已保存的修改。")


def _local_time(iso: str) -> str:
    """An audit time (ISO, with zone) as people read it, in this computer's time zone:
    2026年11月26日 17:06:04."""
    try:
        t = dt.datetime.fromisoformat(iso).astimezone()
    except (TypeError, ValueError):
        return str(iso)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M:%S}"


def _row_values(table: str, obj: Any) -> dict[str, Any]:
    """The stored columns of one row of ``table`` (position and parent aside), from the model."""
    if table == "sections":
        return {"key": obj.key, "level": obj.level, "number": obj.number, "heading": obj.heading,
                "body": obj.body, "kind": str(obj.kind), "required": int(obj.required)}
    if table in ("tasks", "task_items"):
        return {"title": obj.title, "body": obj.body}
    if table == "budget_rows":
        return {"kind": str(obj.kind), "label": obj.label, "budget_initial": canonical(obj.budget_initial),
                "budget_total": canonical(obj.budget_total), "executed": canonical(obj.executed),
                "reason": obj.reason, "prior_budget_total": canonical(obj.prior_budget_total),
                "prior_executed": canonical(obj.prior_executed)}
    if table == "projects":
        return {"name": obj.name, "budget_total": canonical(obj.budget_total), "executed": canonical(obj.executed),
                "reason": obj.reason, "prior_budget_total": canonical(obj.prior_budget_total),
                "prior_executed": canonical(obj.prior_executed)}
    if table == "indicators":
        return {"level1": obj.level1, "level2": obj.level2, "level3": obj.level3, "direction": str(obj.direction),
                "target": obj.target, "unit": obj.unit, "actual": obj.actual, "points": canonical(obj.points),
                "reason": obj.reason, "not_applicable": int(obj.not_applicable),
                "qual_share": canonical(obj.qual_share), "note": obj.note, "prior_actual": obj.prior_actual,
                "target_initial": obj.target_initial, "score": canonical(obj.score)}
    if table == "cover_fields":
        return {"key": obj.key, "label": obj.label, "kind": obj.kind, "required": int(obj.required),
                "value": obj.value}
    raise ValueError(table)


def _insert_row(conn: sqlite3.Connection, table: str, obj: Any, position: int, *,
                parent_id: int | None = None, row_id: int | None = None) -> int:
    """Insert one model row (with its own id when ``row_id`` is given, as a restore does)."""
    values = _row_values(table, obj)
    values["position"] = position
    if table == "task_items":
        values["task_id"] = parent_id
    if row_id is not None:
        values = {"id": row_id, **values}
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(values.values()))
    return int(cur.lastrowid or 0)


def _write_report(conn: sqlite3.Connection, report: Report) -> None:
    """Insert the whole report into a freshly migrated, empty file (one transaction)."""
    r, s = report, report.signoff
    conn.execute(
        "INSERT INTO report (id, uuid, fiscal_year, title, template_id, unit_full_name, unit_short_name, unit_code,"
        " district, head, finance_head, preparer, phone_office, phone_mobile, fill_date, issue_date, status,"
        " revision, final_fingerprint, app_version, created_at, template_version, template_data, preface)"
        " VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (r.uuid, r.year, r.title, r.template_id, r.unit.full_name, r.unit.short_name, r.unit.code, r.unit.district,
         s.head, s.finance_head, s.preparer, s.phone_office, s.phone_mobile, s.fill_date, s.issue_date,
         str(r.status), r.revision, r.final_fingerprint, __version__, now_iso(), r.template.version,
         embedded_json(r.template), r.preface),
    )
    for pos, sec in enumerate(r.sections):
        sec.id = _insert_row(conn, "sections", sec, pos)
    for pos, task in enumerate(r.tasks):
        task.id = _insert_row(conn, "tasks", task, pos)
        for ipos, item in enumerate(task.items):
            item.id = _insert_row(conn, "task_items", item, ipos, parent_id=task.id)
    for pos, b in enumerate(r.budget):
        b.id = _insert_row(conn, "budget_rows", b, pos)
    for pos, p in enumerate(r.projects):
        p.id = _insert_row(conn, "projects", p, pos)
    for pos, i in enumerate(r.indicators):
        i.id = _insert_row(conn, "indicators", i, pos)
    for pos, c in enumerate(r.cover):
        c.id = _insert_row(conn, "cover_fields", c, pos)
    for e in r.explanations.values():
        conn.execute("INSERT INTO explanations (finding_key, text, author, at) VALUES (?,?,?,?)",
                     (e.finding_key, e.text, e.author, e.at))
    conn.execute("INSERT INTO audit (at, who, action, target, old_value, new_value, reason) VALUES (?,?,?,?,?,?,?)",
                 (now_iso(), current_user(), "create", "report", None, r.display_title, ""))


AuditEntries = list[tuple[str, str, Any, Any, str]]  # (action, target, old, new, reason)


def create_report_file(path: str | Path, report: Report, *, overwrite: bool = False,
                       audit: Callable[[], AuditEntries] | None = None) -> Path:
    """Write ``report`` to a new report file at ``path``.

    The whole file is made under a hidden temporary name in the same folder, then renamed: a
    half-written file never stands under the final name, and a kill leaves only the temporary
    file (removed at a later write into the folder).  ``audit`` gives entries written in the same
    transaction as the report (called once the rows have their ids), so that, say, an import's
    own audit is in the file from the moment it exists."""
    path = Path(path)
    if too_long := path_too_long(path):
        raise ReportFileError(too_long)
    if path.is_dir():
        raise ReportFileError(f"“{path}”是文件夹，请给出报告文件的名称")
    if path.exists() and not overwrite:
        raise ReportFileError(f"文件“{path.name}”已存在；请换一个文件名，或先删除原文件")
    if path.exists():
        # Whatever the caller asked, a 已定稿/已导出 report or one being edited is never
        # replaced; the caller backs up anything else first (store.replace.prepare_replace).
        from nanzhou_desktop.store.replace import check_replaceable

        check_replaceable(path)
    if not path.parent.exists():
        raise ReportFileError(f"文件夹“{path.parent}”不存在")
    if problem := file_name_problem(path.name):
        raise ReportFileError(f"无法创建“{path.name[:60]}”：{problem}")
    if problem := report_problem(report):
        raise ReportFileError(f"无法创建“{path.name}”：报告内容中{problem}；没有写入任何文件")
    clean_stale_temps(path.parent)
    tmp = temp_beside(path)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            apply_migrations(conn)
            conn.execute("BEGIN")
            _write_report(conn, report)
            if audit is not None:
                who, at = current_user(), now_iso()
                conn.executemany(
                    "INSERT INTO audit (at, who, action, target, old_value, new_value, reason) VALUES (?,?,?,?,?,?,?)",
                    [(at, who, action, target, old, new, reason) for action, target, old, new, reason in audit()])
            conn.execute("COMMIT")
        finally:
            conn.close()
        fsync_file(tmp)
        tmp.replace(path)
        fsync_dir(path.parent)
    except sqlite3.Error as exc:
        discard(tmp)
        discard(Path(str(tmp) + "-journal"))
        raise _create_error(path, exc) from exc
    except OSError as exc:
        discard(tmp)
        discard(Path(str(tmp) + "-journal"))
        raise ReportFileError(f"无法写入文件“{path.name}”：{os_reason(exc)}") from exc
    return path


def _create_error(path: Path, exc: sqlite3.Error) -> ReportFileError:
    """Why a new file could not be made, in the user's words (SQLite says "unable to open
    database file" for a read-only folder, and "database or disk is full")."""
    low = str(exc).lower()
    if "full" in low:
        return SaveError(f"磁盘空间不足，未能创建“{path.name}”；没有留下不完整的文件")
    if "readonly" in low or "read-only" in low or "unable to open" in low or "permission" in low:
        return SaveError(f"无法在文件夹“{path.parent}”中写入（文件夹只读或没有写入权限），未能创建“{path.name}”")
    return _save_error(path, exc)


def new_report(unit: Unit, year: int, template: Any | None = None) -> Report:
    """A blank report for ``unit`` × ``year`` from ``template`` (the default: the 广州 street
    template): its outline, cover fields, budget rows and preset indicators, and a copy of its
    numbering, 自评表 and 评分办法, so the file is complete without the template."""
    from nanzhou_desktop.template import default_template

    tpl = template or default_template()
    return tpl.new_report(_uuid4_str(), unit, year)


def iter_rows(rf: ReportFile, table: str) -> Iterator[dict[str, Any]]:
    """Plain rows of a table, for tools and tests."""
    if table not in ROW_TABLES + ("report", "audit", "explanations", "exports"):
        raise ValueError(table)
    for row in rf.conn.execute(f"SELECT * FROM {table}"):
        yield dict(row)
