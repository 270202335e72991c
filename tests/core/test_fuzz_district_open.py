"""Fuzzing the district's loader of received files: corrupted report files are either loaded
(their figures recomputed) or refused with one Chinese sentence naming the file."""

from __future__ import annotations

import re

from nanzhou_desktop.district.safe_open import load_received
from nanzhou_desktop.store.errors import ReportFileError
from tests.fuzzing import cases

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_corrupted_received_files_never_crash_the_district(tmp_path, example_path):
    refused = loaded = 0
    for path, how in cases(example_path, tmp_path, 300, seed=1814):
        before = path.read_bytes()
        try:
            load_received(path)
        except ReportFileError as exc:
            refused += 1
            assert CJK.search(str(exc)) and path.name in str(exc), (how, str(exc))
        else:
            loaded += 1
        assert path.read_bytes() == before, how  # a received file is never written to
    assert refused > 50 and refused + loaded == 300
