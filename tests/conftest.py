from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests are derandomized so that `make test` (and CI) is repeatable on this shared,
# noisy machine: no deadline, a fixed seed per test.  Explore new cases with
# `pytest --hypothesis-profile=explore`.
settings.register_profile("repeatable", derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

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
