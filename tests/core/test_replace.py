"""Replacing an existing file (issue 15, item 1): a 已定稿/已导出 report or one being edited is
never replaced, anything else is backed up beside it first, and suggested names are free."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.example import example_report, write_example
from nanzhou_desktop.exchange.export import ExportError, export_file_name, export_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.lock import ReportLock
from nanzhou_desktop.store.replace import (
    ReplaceRefused,
    backup_copy,
    check_replaceable,
    existing_file,
    free_name,
    prepare_replace,
)
from nanzhou_desktop.store.reportfile import create_report_file, new_report, open_report_file


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _with_status(path: Path, status: Status) -> Path:
    r = example_report(fresh_uuid=True)
    r.status = status
    r.revision = 2
    r.final_fingerprint = fingerprint(r)
    return create_report_file(path, r)


@pytest.mark.parametrize("status", [Status.FINAL, Status.EXPORTED])
def test_a_final_or_exported_report_is_never_replaced(tmp_path, status):
    path = _with_status(tmp_path / "江海街道2023年度自评报告.sqlite", status)
    before = _sha(path)
    found = existing_file(path)
    assert found is not None and found.is_report and found.locked and found.revision == 2
    with pytest.raises(ReplaceRefused, match=f"是{status.value}的报告.*不能被替换"):
        prepare_replace(path)
    blank = new_report(example_report().unit, 2023)
    # The store itself refuses, whatever a caller asks.
    with pytest.raises(ReplaceRefused):
        create_report_file(path, blank, overwrite=True)
    assert _sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no backup, no temp file


def test_a_draft_is_backed_up_beside_it_before_it_is_replaced(tmp_path):
    path = write_example(tmp_path / "南洲街道2022年度自评报告.sqlite")
    before = path.read_bytes()
    backup = prepare_replace(path)
    assert backup is not None and backup.parent == tmp_path
    assert backup.name.startswith("南洲街道2022年度自评报告的备份 (") and backup.suffix == ".sqlite"
    assert backup.read_bytes() == before
    create_report_file(path, new_report(example_report().unit, 2023), overwrite=True)
    with open_report_file(backup, read_only=True) as rf:  # the backup opens as the old report
        assert rf.report.year == 2022 and rf.report.section("3").body
    with open_report_file(path, read_only=True) as rf:
        assert rf.report.year == 2023


def test_a_file_that_is_not_a_report_is_backed_up_too(tmp_path):
    other = tmp_path / "笔记.sqlite"
    other.write_text("不是数据库", encoding="utf-8")
    found = check_replaceable(other)
    assert found is not None and not found.is_report
    backup = prepare_replace(other)
    assert backup is not None and backup.read_text(encoding="utf-8") == "不是数据库"


def test_a_report_being_edited_is_not_replaced(tmp_path):
    path = write_example(tmp_path / "在编辑.sqlite")
    lock = ReportLock(path)
    lock.acquire()
    try:
        with pytest.raises(ReplaceRefused, match="正在被另一个窗口或程序编辑"):
            prepare_replace(path)
    finally:
        lock.release()
    assert prepare_replace(path) is not None  # once closed, it may be replaced after a backup


def test_a_crash_journal_goes_with_the_backup(tmp_path):
    """A rollback journal left beside the old file would be rolled back into the new one."""
    path = write_example(tmp_path / "崩溃过.sqlite")
    journal = Path(str(path) + "-journal")
    journal.write_bytes(b"journal bytes")
    backup = prepare_replace(path)
    assert not journal.exists()
    assert Path(str(backup) + "-journal").read_bytes() == b"journal bytes"


def test_backup_and_suggested_names_are_free(tmp_path):
    path = tmp_path / "江海街道2023年度自评报告.sqlite"
    assert free_name(path) == path
    path.write_bytes(b"x")
    assert free_name(path).name == "江海街道2023年度自评报告 (2).sqlite"
    (tmp_path / "江海街道2023年度自评报告 (2).sqlite").write_bytes(b"x")
    assert free_name(path).name == "江海街道2023年度自评报告 (3).sqlite"
    when = dt.datetime(2024, 3, 1, 15, 58)
    first = backup_copy(path, when)
    second = backup_copy(path, when)
    assert first.name == "江海街道2023年度自评报告的备份 (2024-03-01 15时58分).sqlite"
    assert second.name == "江海街道2023年度自评报告的备份 (2024-03-01 15时58分) (2).sqlite"


def test_export_never_replaces_another_final_report_under_its_name(example_file, tmp_path):
    """导出上报 into a folder holding another 定稿 copy of the same unit, year and revision (an
    example copy, a 另存为 copy) refuses; a re-export of the same revision just writes again;
    a draft or other file under the name is backed up."""
    out = tmp_path / "上报"
    out.mkdir()
    example_file.set_status(Status.FINAL, action="finalise")
    name = export_file_name(example_file.report)
    other = _with_status(out / name, Status.FINAL)
    with open_report_file(other) as rf:  # same unit, year and revision as the open report
        rf.conn.execute("UPDATE report SET revision = ?", (example_file.report.revision,))
    before = _sha(other)
    with pytest.raises(ExportError, match="已有另一份同名的报告"):
        export_report(example_file, out, with_pdf=False)
    assert _sha(other) == before and sorted(p.name for p in out.iterdir()) == [name]
    other.unlink()
    first = export_report(example_file, out, with_pdf=False)
    again = export_report(example_file, out, with_pdf=False)  # the same revision: written again
    assert again.backup is None and first.path == again.path
    again.path.unlink()
    again.path.write_bytes(b"something else")
    third = export_report(example_file, out, with_pdf=False)
    assert third.backup is not None and third.backup.read_bytes() == b"something else"
    assert "已备份为" in third.message
