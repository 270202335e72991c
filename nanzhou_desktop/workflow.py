"""定稿 / 解除定稿 / 出错说明: the operations that move a report through its states.

The window, the CLI and the tests call these; they consult the rules and then write through
the report file (which audits every change).

- :func:`finalise` (定稿) refuses while any 错误 stands or any 警告 is unexplained;
- :func:`unlock` (解除定稿) needs a reason, raises the 修订号 and is audited;
- :func:`explain` (出错说明) stores a written explanation for a 警告 — never for a 错误
  (it must be corrected) nor for a 提示 (nothing to explain).
"""

from __future__ import annotations

from nanzhou_desktop.limits import REVISION_MAX
from nanzhou_desktop.model import Explanation, Report, SectionKind, Status
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity
from nanzhou_desktop.rules.settings import Settings
from nanzhou_desktop.store.errors import EditError
from nanzhou_desktop.store.reportfile import ReportFile

MAX_LISTED = 20  # blocking findings spelled out in the refusal; the rest are counted


class FinaliseRefused(EditError):
    """定稿被拒绝: ``findings`` are the blocking findings; ``str(err)`` lists them in Chinese."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = len(findings) - errors
        parts = ([f"{errors} 个错误需要改正"] if errors else []) + (
            [f"{warnings} 个警告需要填写出错说明"] if warnings else [])
        head = f"不能定稿：还有 {'、'.join(parts)}。"
        lines = [f"{i}. [{f.severity}] {f.message}（编号 {f.key}）" for i, f in enumerate(findings[:MAX_LISTED], 1)]
        if len(findings) > MAX_LISTED:
            lines.append(f"……另有 {len(findings) - MAX_LISTED} 项未列出")
        super().__init__("\n".join([head, *lines]))

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The same as ``findings`` (named like :attr:`CheckResult.blocking`)."""
        return self.findings


class ExplainRefused(EditError):
    """出错说明被拒绝 (unknown key, a 错误 or a 提示)."""


def finalise(rf: ReportFile, settings: Settings | None = None) -> CheckResult:
    """定稿: check the report; refuse with every blocking finding, else record 已定稿 and the fingerprint."""
    report = rf.report
    if report.status != Status.DRAFT:
        raise EditError(f"报告当前状态为“{report.status}”，只有草稿可以定稿")
    result = check(report, settings)
    if result.blocking:
        raise FinaliseRefused(result.blocking)
    rf.set_status(Status.FINAL, action="finalise")
    return result


def unlock(rf: ReportFile, reason: str) -> None:
    """解除定稿: back to 草稿 with a new 修订号; the reason is required and kept in the audit."""
    reason = (reason or "").strip()
    if not reason:
        raise EditError("解除定稿必须写明原因（例如：区财政局退回修改）")
    if rf.report.status == Status.DRAFT:
        raise EditError("报告尚未定稿，无需解除")
    if rf.report.revision >= REVISION_MAX:  # the next 修订号 would be one no reader accepts
        raise EditError(f"修订号已达上限 {REVISION_MAX:,}，不能再解除定稿；请用“下一年度”或“另存为”开始新的报告")
    rf.set_status(Status.DRAFT, reason=reason, action="unlock")


def explain(rf: ReportFile, key: str, text: str, settings: Settings | None = None) -> Explanation:
    """出错说明: store ``text`` for the 警告 whose key is ``key``; the figure itself is unchanged."""
    key = (key or "").strip()
    finding = check(rf.report, settings).by_key(key)
    if finding is None:
        raise ExplainRefused(f"当前的检查结果中没有编号为“{key}”的问题；请先运行检查，复制问题编号后再填写说明")
    if finding.severity == Severity.ERROR:
        raise ExplainRefused(f"“{finding.message}”是错误，必须改正后才能定稿，不能用出错说明代替")
    if finding.severity == Severity.INFO:
        raise ExplainRefused(f"“{finding.message}”只是提示，不影响定稿，无需填写出错说明")
    return rf.explain(key, text)


def unexplain(rf: ReportFile, key: str) -> None:
    """Withdraw an 出错说明 (the 警告 then blocks 定稿 again)."""
    if key not in rf.report.explanations:
        raise ExplainRefused(f"编号为“{key}”的问题没有出错说明")
    rf.remove_explanation(key)


# -- renamed rows: their 出错说明 follow ------------------------------------------------------------
# Finding keys name rows by what the user calls them (rule@indicator:政务服务事项办结率, …@project:…,
# …@sections:2.2/任务/小项/…), so that an explanation survives moves and file → dump → file.  When
# the name itself is edited, the explanations about that row move to the new name with it.
def renamed_keys(report: Report, table: str, row: int | None, column: str, old: str, new: str) -> dict[str, str]:
    """``old key → new key`` for the explanations about row ``row`` of ``table`` whose
    ``column`` changed from ``old`` to ``new`` (empty when that column names nothing in a key)."""
    old, new = (old or "").strip(), (new or "").strip()
    if not old or not new or old == new:
        return {}
    out: dict[str, str] = {}
    if (table, column) in (("indicators", "level3"), ("projects", "name")):
        a = ("indicator:" if table == "indicators" else "project:") + old
        b = ("indicator:" if table == "indicators" else "project:") + new
        for key in report.explanations:
            rule, _, target = key.partition("@")
            if target == a or target.startswith((a + "/", a + "#")):
                out[key] = f"{rule}@{b}{target[len(a):]}"
        return out
    if (table, column) not in (("tasks", "title"), ("task_items", "title")):
        return {}
    # …@sections:2.2/任务标题/小项标题/…: the task is segment 1, the sub-item segment 2 (keyed
    # without its closing full stop) under that same task.
    task_title = None
    if table == "task_items":
        from nanzhou_desktop.rules.narrative import item_key_title

        old, new = item_key_title(old), item_key_title(new)
        task_title = next((t.title.strip() for t in report.tasks if any(i.id == row for i in t.items)), None)
        if task_title is None:
            return {}
    seg = 1 if table == "tasks" else 2
    sections = {s.key for s in report.sections if s.kind == SectionKind.TASKS}
    for key in report.explanations:
        rule, _, target = key.partition("@")
        path, hash_, number = target.partition("#")
        parts = path.split("/")
        if (len(parts) > seg and parts[0].startswith("sections:") and parts[0][9:] in sections
                and parts[seg] == old and (task_title is None or parts[1] == task_title)):
            parts[seg] = new
            out[key] = f"{rule}@{'/'.join(parts)}{hash_}{number}"
    return out


def follow_rename(rf: ReportFile, table: str, row: int | None, column: str, old: str, new: str) -> int:
    """Move the explanations about a renamed row to its new name; returns how many moved."""
    moves = renamed_keys(rf.report, table, row, column, old, new)
    if moves:
        rf.rekey_explanations(moves)
    return len(moves)
