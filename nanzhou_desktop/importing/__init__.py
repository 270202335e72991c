"""Reading existing report documents (.txt, .docx, .pdf) into a report.

:func:`import_document` reads and maps a document without writing anything;
:func:`write_import` writes the accepted result to a new report file.
"""

from nanzhou_desktop.importing.document import import_bytes, import_document, import_raw
from nanzhou_desktop.importing.errors import DocumentImportError
from nanzhou_desktop.importing.result import ImportResult, Place, SourceBlock
from nanzhou_desktop.importing.writer import write_import

__all__ = ["DocumentImportError", "ImportResult", "Place", "SourceBlock", "import_bytes", "import_document",
           "import_raw", "write_import"]
