"""Errors raised by the report file.  ``str(err)`` is always one Chinese sentence."""


class ReportFileError(Exception):
    """The file cannot be opened or written as a report file."""


class EditError(ValueError):
    """An edit was refused (bad value, locked report); nothing was written."""


class SaveError(ReportFileError):
    """The file could not be written (disk full, read-only); nothing already saved is lost."""
