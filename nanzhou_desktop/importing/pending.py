"""Values an import filled from the text (来自正文) that the user has not confirmed yet.

The file schema has no per-field flag for this (and an import must not change the schema),
so the state lives in the report's audit: each filled value was written as an
``import-figure`` / ``import-indicator`` entry; editing that cell (``edit``) or confirming it
(``import-confirm``) settles it.  The window reads :func:`unconfirmed_imports` to mark the
cells and calls :func:`confirm_import` when the user confirms one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanzhou_desktop.model import FieldRef
from nanzhou_desktop.store.reportfile import ReportFile

IMPORT_ACTIONS = ("import-figure", "import-indicator")
_TARGET = re.compile(r"^(\w+)\.(\w+)#(\d+)$")


@dataclass(frozen=True)
class ImportedValue:
    ref: FieldRef
    value: str
    source: str  # the sentence or table row it came from (来自正文，待确认：…)


def _target(ref: FieldRef) -> str:
    return f"{ref.table}.{ref.column}#{ref.row}"


def unconfirmed_imports(rf: ReportFile) -> list[ImportedValue]:
    """Imported values not edited or confirmed since the import, in the order they were filled."""
    pending: dict[str, ImportedValue] = {}
    for entry in rf.conn.execute("SELECT action, target, new_value, reason FROM audit ORDER BY id"):
        action, target = entry["action"], entry["target"]
        if action in IMPORT_ACTIONS:
            m = _TARGET.match(target)
            if m:
                ref = FieldRef(m.group(1), int(m.group(3)), m.group(2))
                pending[target] = ImportedValue(ref, entry["new_value"] or "", entry["reason"] or "")
        elif action.startswith("edit") or action == "import-confirm":
            pending.pop(target, None)
        elif action == "delete":
            table, _, row = target.partition("#")
            for key in [k for k in pending if k.startswith(f"{table}.") and k.endswith(f"#{row}")]:
                pending.pop(key)
    return list(pending.values())


def confirm_import(rf: ReportFile, ref: FieldRef) -> None:
    """The user checked an imported value against the document: it is no longer 来自正文."""
    rf.record_audit([("import-confirm", _target(ref), None, None, "已与原文核对")])
