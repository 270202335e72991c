"""Compile the Designer forms in ui/ into nanzhou_desktop/gui/forms/ui_*.py.

The generated modules are committed (so a checkout runs without pyside6-uic) and a test
checks they match the .ui files.  A ``# ruff: noqa`` line is prepended because uic imports
every Qt class it might need.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "nanzhou_desktop" / "gui" / "forms"
# Every Designer file in ui/, so a new one cannot be left uncompiled (the test checks each).
FORMS = tuple(sorted(p.stem for p in UI_DIR.glob("*.ui")))
HEADER = "# ruff: noqa\n"


def uic_binary() -> str:
    exe = Path(sys.executable).with_name("pyside6-uic")
    return str(exe) if exe.exists() else "pyside6-uic"


_QT_IMPORT = re.compile(r"^from PySide6\.(\w+) import \(([^)]*)\)\n", re.MULTILINE)


def prune_imports(source: str) -> str:
    """Keep only the Qt names the generated code uses.

    uic imports some forty classes whatever the form needs (gradients, QDate, QUrl …).  With
    PySide6 each imported class is set up on import, with its Python enums — QGradient alone
    brings 169 presets — which cost the window's start-up a few milliseconds for nothing.
    """
    body = _QT_IMPORT.sub("", source)
    used = set(re.findall(r"\b(Q\w+|Qt)\b", body))

    def keep(m: re.Match[str]) -> str:
        names = [n.strip() for n in m.group(2).split(",") if n.strip()]
        wanted = [n for n in names if n in used]
        return f"from PySide6.{m.group(1)} import ({', '.join(wanted)})\n" if wanted else ""

    return _QT_IMPORT.sub(keep, source)


def compile_form(name: str) -> str:
    """The Python source uic produces for ``ui/<name>.ui`` (imports pruned), with the ruff header."""
    out = subprocess.run([uic_binary(), str(UI_DIR / f"{name}.ui")], check=True, capture_output=True,
                         text=True, encoding="utf-8")
    return HEADER + prune_imports(out.stdout)


def main() -> int:
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    init = FORMS_DIR / "__init__.py"
    if not init.exists():
        init.write_text('"""Python modules generated from ui/*.ui by tools/compile_ui.py (do not edit)."""\n',
                        encoding="utf-8")
    for name in FORMS:
        target = FORMS_DIR / f"ui_{name}.py"
        target.write_text(compile_form(name), encoding="utf-8")
        print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
