"""Fuzzing the office's file reader: a few hundred corrupted report files, each either opens
or is refused with one Chinese sentence — never another exception, never a hang."""

from __future__ import annotations

import re

from nanzhou_desktop.store.errors import ReportFileError
from nanzhou_desktop.store.reportfile import open_report_file
from tests.fuzzing import cases

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_corrupted_files_open_or_are_refused_clearly(tmp_path, example_path):
    refused = opened = 0
    for path, how in cases(example_path, tmp_path, 300, seed=20221231):
        try:
            rf = open_report_file(path)
        except ReportFileError as exc:
            refused += 1
            msg = str(exc)
            assert CJK.search(msg) and path.name in msg, (how, msg)
            assert "Traceback" not in msg
            continue
        opened += 1
        rf.close()
    assert refused > 50 and refused + opened == 300
