"""已审核 only for what a unit finalised (issue 15, item 12): the district accepted a 草稿 with
unexplained warnings and no fingerprint.  A draft, or a report whose content no longer matches
the fingerprint recorded at 定稿, is refused with the reason; 退回修改 stays possible."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanzhou_desktop.district.db import DistrictDbError, Review, open_district_db
from nanzhou_desktop.district.testdata import finalised, write_report_file
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.reportfile import create_report_file


def _file(path: Path, status: Status) -> Path:
    r = example_report(fresh_uuid=True)
    if status == Status.DRAFT:
        return create_report_file(path, r)
    r = finalised(r)  # signed, warnings answered, with its 定稿 record: what the district accepts
    r.status = status
    return write_report_file(path, r)


def test_a_draft_cannot_be_approved_but_can_be_returned(tmp_path):
    db = open_district_db(tmp_path / "区级汇总.sqlite")
    try:
        (result,) = db.load_files([_file(tmp_path / "草稿.sqlite", Status.DRAFT)])
        row = db.units()[0]
        assert row.status == "草稿"
        with pytest.raises(DistrictDbError, match="草稿.*不能标记为“已审核”"):
            db.review(row.uuid, Review.APPROVED)
        assert db.reviews(row.uuid) == []
        db.review(row.uuid, Review.RETURNED, "请定稿后重新报送")
        assert db.units()[0].review == Review.RETURNED
    finally:
        db.close()


def test_a_report_whose_fingerprint_does_not_verify_cannot_be_approved(tmp_path):
    db = open_district_db(tmp_path / "区级汇总.sqlite")
    try:
        db.load_files([_file(tmp_path / "定稿.sqlite", Status.EXPORTED)])
        row = db.units()[0]
        assert row.fingerprint_ok is True
        # As if the content had been changed after 定稿 (what the loader records for such a file).
        db.conn.execute("UPDATE reports SET fingerprint_ok = 0 WHERE uuid = ?", (row.uuid,))
        with pytest.raises(DistrictDbError, match="内容指纹不一致"):
            db.review(row.uuid, Review.APPROVED)
        db.conn.execute("UPDATE reports SET fingerprint_ok = 1 WHERE uuid = ?", (row.uuid,))
        db.review(row.uuid, Review.APPROVED)  # a sound final report is approved as before
        assert db.units()[0].review == Review.APPROVED
    finally:
        db.close()
