"""The report file: one SQLite file per report (schema, migrations, edits, audit, fingerprint)."""

from nanzhou_desktop.store.errors import ReportFileError
from nanzhou_desktop.store.reportfile import ReportFile, create_report_file, open_report_file

__all__ = ["ReportFile", "ReportFileError", "create_report_file", "open_report_file"]
