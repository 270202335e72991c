"""The domain core imports no Qt: proved in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import nanzhou_desktop
from tests.conftest import ROOT


def test_core_imports_no_pyside6():
    modules = [m.name for m in pkgutil.walk_packages(nanzhou_desktop.__path__, "nanzhou_desktop.")
               if not m.name.startswith(("nanzhou_desktop.gui", "nanzhou_desktop.__main__"))]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "from nanzhou_desktop.cli import build_parser; build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(len(sys.modules)); assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(modules) > 10
