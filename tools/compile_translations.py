"""Compile the app's own Qt translations (``resources/i18n/*.ts`` → ``.qm``) with
``pyside6-lrelease``.  The .qm files are committed, so a checkout runs without this step;
``tests/gui/test_chinese_dialogs.py`` checks they match their .ts sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"


def lrelease() -> str:
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    return str(exe) if exe.exists() else (shutil.which("pyside6-lrelease") or "pyside6-lrelease")


def compile_ts(ts: Path, qm: Path) -> None:
    subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)


def compiled_bytes(ts: Path) -> bytes:
    """What the .qm of ``ts`` should hold."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ts.with_suffix(".qm").name
        compile_ts(ts, out)
        return out.read_bytes()


def main() -> int:
    for ts in sorted(I18N.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        compile_ts(ts, qm)
        print(qm.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
