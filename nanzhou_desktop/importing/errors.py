"""The one error the importer raises; ``str(err)`` is a Chinese sentence for the user."""

from __future__ import annotations


class DocumentImportError(Exception):
    """The document cannot be imported; nothing has been written."""
