"""导出上报: only a 定稿 report; a fresh checked file under the agreed name; recorded; 已导出."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from nanzhou_desktop.district.safe_open import RefusedFile, load_received
from nanzhou_desktop.exchange.export import ExportError, export_file_name, export_report, safe_file_part
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.errors import EditError
from nanzhou_desktop.store.header import read_header
from nanzhou_desktop.store.reportfile import open_report_file


def _finalise(rf) -> None:
    rf.set_status(Status.FINAL, action="finalise")


def test_draft_is_refused_and_nothing_written(example_file, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(EditError, match="尚未定稿"):
        export_report(example_file, out)
    assert list(out.iterdir()) == []
    assert example_file.exports() == []
    assert example_file.report.status == Status.DRAFT


def test_export_writes_checked_file_under_agreed_name(example_file, tmp_path: Path) -> None:
    out = tmp_path / "上报"
    out.mkdir()
    # Something deleted before 定稿 must not survive in the sent file's free pages.
    secret = "这句话已删除不应出现在报送文件中"
    sec = example_file.report.section("3")
    old = sec.body
    example_file.set_field("sections", sec.id, "body", old + secret)
    example_file.set_field("sections", sec.id, "body", old)
    _finalise(example_file)

    res = export_report(example_file, out, with_pdf=False)

    assert res.path.name == "2022_南洲街道_部门整体支出绩效自评_r1.sqlite"
    assert res.path.parent == out
    conn = sqlite3.connect(res.path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    header = read_header(res.path)
    assert not header.wal_mode
    assert res.sha256 == hashlib.sha256(res.path.read_bytes()).hexdigest()
    # The audit keeps the deleted sentence as history, but in the working file only: the copy
    # holds it in the audit rows (a deliberate choice: the district may want the audit) and
    # nowhere else; no free page carries it.
    data = res.path.read_bytes()
    conn = sqlite3.connect(res.path)
    in_rows = conn.execute("SELECT count(*) FROM audit WHERE coalesce(new_value, '') || coalesce(old_value, '') "
                           "LIKE ?", (f"%{secret}%",)).fetchone()[0]
    freelist = conn.execute("PRAGMA freelist_count").fetchone()[0]
    conn.close()
    assert freelist == 0
    assert data.count(secret.encode()) == in_rows
    # Recorded in the working file; status 已导出.
    (rec,) = example_file.exports()
    assert rec["file_name"] == res.path.name and rec["sha256"] == res.sha256 and rec["revision"] == 1
    assert example_file.report.status == Status.EXPORTED
    # No temporary file is left behind.
    assert sorted(p.name for p in out.iterdir()) == [res.path.name]
    # The district reads it as a sound file whose fingerprint and 定稿 record hold …
    received = load_received(res.path, with_checks=False)
    assert received.fingerprint_ok is True
    # … and, since this test forced 定稿 past the example's open errors, does not take it as final.
    with pytest.raises(RefusedFile, match="不会让这样的报告定稿"):
        load_received(res.path)


def test_export_with_pdf_beside_it(example_file, tmp_path: Path) -> None:
    _finalise(example_file)
    res = export_report(example_file, tmp_path)
    if res.pdf_path is None:
        # The message must say so plainly rather than pretend.
        assert res.pdf_error and "未能生成" in res.message
    else:
        assert res.pdf_path == res.path.with_suffix(".pdf")
        assert res.pdf_path.read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_reexport_of_exported_report(example_file, tmp_path: Path) -> None:
    _finalise(example_file)
    first = export_report(example_file, tmp_path, with_pdf=False)
    second = export_report(example_file, tmp_path, with_pdf=False)
    assert second.path == first.path
    assert len(example_file.exports()) == 2
    assert example_file.report.status == Status.EXPORTED
    actions = [a["action"] for a in example_file.audit_log()]
    assert actions.count("export") >= 1


def test_revision_in_name_after_unlock(example_file, tmp_path: Path) -> None:
    _finalise(example_file)
    export_report(example_file, tmp_path, with_pdf=False)
    example_file.set_status(Status.DRAFT, reason="区财政局退回修改", action="unlock")
    _finalise(example_file)
    res = export_report(example_file, tmp_path, with_pdf=False)
    assert res.path.name.endswith("_r2.sqlite")


def test_missing_or_wrong_folder(example_file, tmp_path: Path) -> None:
    _finalise(example_file)
    with pytest.raises(ExportError, match="不存在"):
        export_report(example_file, tmp_path / "nope")
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(ExportError, match="不是文件夹"):
        export_report(example_file, f)
    assert example_file.exports() == []
    assert example_file.report.status == Status.FINAL


def test_content_changed_behind_the_app_is_refused(example_path: Path, tmp_path: Path) -> None:
    rf = open_report_file(example_path)
    try:
        _finalise(rf)
        rf.report.sections[1].body += "（改动）"  # in memory only, as a bug or a crafted edit would
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(ExportError, match="内容指纹"):
            export_report(rf, out)
        assert not list(out.iterdir())
    finally:
        rf.close()


def test_read_only_file_cannot_export(example_path: Path, tmp_path: Path) -> None:
    rf = open_report_file(example_path)
    _finalise(rf)
    rf.close()
    ro = open_report_file(example_path, read_only=True)
    try:
        with pytest.raises(EditError, match="只读"):
            export_report(ro, tmp_path)
    finally:
        ro.close()


def test_windows_safe_names(example_file) -> None:
    r = example_file.report
    r.unit.short_name = 'A/B\\C:D*E?F"G<H>I|J\x01'
    assert export_file_name(r) == "2022_ABCDEFGHIJ_部门整体支出绩效自评_r1.sqlite"
    r.unit.short_name = "  "
    assert export_file_name(r).startswith("2022_广州市海珠区人民政府南洲街道办事处_")
    assert safe_file_part("CON") == "_CON"
    assert safe_file_part("南洲街道. ") == "南洲街道"


def test_failed_check_leaves_nothing_under_the_final_name(example_file, tmp_path: Path, monkeypatch) -> None:
    import nanzhou_desktop.exchange.export as export_module

    def broken(tmp: Path, report) -> None:
        assert tmp.exists() and tmp.name.endswith(".tmp")  # the copy exists only under its temporary name
        raise ExportError("导出的副本未通过完整性检查（模拟）")

    monkeypatch.setattr(export_module, "_verify_copy", broken)
    _finalise(example_file)
    with pytest.raises(ExportError, match="模拟"):
        export_report(example_file, tmp_path / ".", with_pdf=False)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("2022_", ".2022_"))]
    assert example_file.exports() == [] and example_file.report.status == Status.FINAL
