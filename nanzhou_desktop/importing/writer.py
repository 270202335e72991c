"""Write an accepted import to a new report file, with the import in the file's audit:
one ``import`` entry for the document, one ``import-figure`` entry per table value filled
from the text (来自正文，待确认), one ``import-unplaced`` entry per block left out.

The report and these entries are written in one transaction into a temporary file that is
renamed at the end (issue 16 F8): a kill leaves no report that looks finished but lacks the
import's 待确认 marks, and running the import again just works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nanzhou_desktop.importing.result import ImportResult
from nanzhou_desktop.money import canonical
from nanzhou_desktop.store.reportfile import create_report_file


def write_import(result: ImportResult, path: str | Path, *, overwrite: bool = False) -> Path:
    """Create the report file, its audit in the same transaction.  A unit or year the document
    did not give is written empty (the checks list it as an error to fill in), never refused.
    Raises :class:`ReportFileError` when the file cannot be made (nothing is left half made)."""

    def audit() -> list[tuple[str, str, Any, Any, str]]:
        entries: list[tuple[str, str, Any, Any, str]] = [
            ("import", "report", None, f"{result.source_name}（{len(result.blocks)} 段）", "由文档导入")]
        for figure, ref in result.figure_refs():  # row ids are set by now
            entries.append(("import-figure", f"{ref.table}.{ref.column}#{ref.row}", None,
                            canonical(figure.value),
                            f"{'来自附表' if figure.note == '来自附表' else '来自正文'}，待确认：{figure.sentence}"))
        for ind in result.report.indicators:
            entries.append(("import-indicator", f"indicators.actual#{ind.id}", None, ind.actual,
                            f"来自附表，待确认：{ind.level3}"))
        for block in result.not_placed:
            entries.append(("import-unplaced", f"source#{block.index + 1}", None, block.text, "未放入报告正文"))
        return entries

    return create_report_file(Path(path), result.report, overwrite=overwrite, audit=audit)
