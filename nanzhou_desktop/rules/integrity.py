"""定稿后被改动: a 已定稿 or 已导出 report whose content no longer has the fingerprint recorded at
定稿 (issue 16 F11).

The app cannot change a final report, so such a file was changed by something else (sqlite3,
a hex editor, a crafted copy).  Every reader that opens a final file checks this once — the
office reader (:meth:`ReportFile.changed_after_final`), the district loader (which refuses
the file) — and every command says it: ``check`` and the window show the error below, ``print``
refuses, ``show`` and ``verify`` warn, 导出上报 refuses.

It is not one of the rules :func:`~nanzhou_desktop.rules.check` runs on every keystroke: the
fingerprint costs about as much as a whole warm check, and a report being typed is a draft.
"""

from __future__ import annotations

from dataclasses import replace

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.model import FieldRef, Report, Status
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity

RULE = "report.changed_after_final"
MESSAGE = "定稿后被改动"


def changed_after_final(report: Report) -> bool:
    """True for a 已定稿 / 已导出 report whose content is not what was 定稿 (or which has no
    recorded fingerprint at all); False for a draft."""
    if report.status == Status.DRAFT:
        return False
    return not report.final_fingerprint or report.final_fingerprint != fingerprint(report)


def describe(report: Report) -> str:
    """One Chinese sentence for the user."""
    return (f"{MESSAGE}：报告{report.status}，但当前内容与定稿时记录的内容指纹不一致，文件在定稿后被其他程序改动过，"
            "内容不可信；请向报送单位核实，或“解除定稿”后重新检查并定稿")


def finding(report: Report) -> Finding:
    return Finding(RULE, Severity.ERROR, describe(report), FieldRef("report", None, "title"), f"{RULE}@report",
                   seen=fingerprint(report)[:16], expected=(report.final_fingerprint or "（无）")[:16],
                   suggestion="向报送单位核实；确需修改请“解除定稿”后重新定稿")


def with_integrity(result: CheckResult, report: Report, changed: bool) -> CheckResult:
    """``result`` with the 定稿后被改动 error first, when ``changed``."""
    if not changed:
        return result
    return replace(result, findings=(finding(report), *result.findings))
