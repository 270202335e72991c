from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "nanzhou_2022_report.txt"
sys.path.insert(0, str(ROOT))


@pytest.fixture
def example_path(tmp_path: Path) -> Path:
    """A fresh copy of the built-in example as a report file."""
    from nanzhou_desktop.example import write_example

    return write_example(tmp_path / "nanzhou_2022.sqlite")


@pytest.fixture
def example_file(example_path: Path):
    from nanzhou_desktop.store.reportfile import open_report_file

    rf = open_report_file(example_path)
    yield rf
    rf.close()
