"""Find bundled files (templates, example, fonts, icons, translations, .ui forms) both in a
source checkout and inside a PyInstaller one-folder build."""

from __future__ import annotations

import sys
from pathlib import Path


def base_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller unpacks datas beside the executable
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return base_dir().joinpath("resources", *parts)


def ui_path(name: str) -> Path:
    return base_dir().joinpath("ui", name)
