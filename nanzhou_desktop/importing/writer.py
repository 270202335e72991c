"""Write an accepted import to a new report file, with the import in the file's audit:
one ``import`` entry for the document, one ``import-figure`` entry per table value filled
from the text (来自正文，待确认), one ``import-unplaced`` entry per block left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nanzhou_desktop.importing.errors import DocumentImportError
from nanzhou_desktop.importing.result import ImportResult
from nanzhou_desktop.money import canonical
from nanzhou_desktop.store.errors import ReportFileError
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file


def write_import(result: ImportResult, path: str | Path, *, overwrite: bool = False) -> Path:
    """Create the report file.  Raises :class:`DocumentImportError` (nothing written) when
    the unit or year is still unknown, :class:`ReportFileError` when the file cannot be made."""
    missing = result.missing_identity()
    if missing:
        raise DocumentImportError(
            f"无法从文档中识别{ '和'.join(missing)}，请指定（命令行用 --unit / --year）；没有写入任何文件")
    path = Path(path)
    report = result.report
    created = create_report_file(path, report, overwrite=overwrite)
    try:
        rf = open_report_file(created)
        try:
            entries: list[tuple[str, str, Any, Any, str]] = [
                ("import", "report", None, f"{result.source_name}（{len(result.blocks)} 段）", "由文档导入")]
            for figure, ref in result.figure_refs():  # row ids were set by create_report_file
                entries.append(("import-figure", f"{ref.table}.{ref.column}#{ref.row}", None,
                                canonical(figure.value), f"来自正文，待确认：{figure.sentence}"))
            for ind in result.report.indicators:
                entries.append(("import-indicator", f"indicators.actual#{ind.id}", None, ind.actual,
                                f"来自附表，待确认：{ind.level3}"))
            for block in result.not_placed:
                entries.append(("import-unplaced", f"source#{block.index + 1}", None, block.text, "未放入报告正文"))
            rf.record_audit(entries)
        finally:
            rf.close()
    except (ReportFileError, OSError) as exc:
        created.unlink(missing_ok=True)
        raise ReportFileError(f"导入的报告写入“{path.name}”时出错，已删除未完成的文件：{exc}") from exc
    return created
