"""Report-file version 3: a file made by the code before templates were data (version 2) opens
after a backup with the 广州 template's data written in, keeps its content fingerprint (the one
printed on a finalised report's paper copy), and the district reads it the same way."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint, from_content, to_content
from nanzhou_desktop.example import example_report, write_example
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from nanzhou_desktop.store.schema import SCHEMA_VERSION
from nanzhou_desktop.template import load_template
from nanzhou_desktop.template_data import V2_TEMPLATE_DATA, embedded_json, v2_template

DATA = Path(__file__).resolve().parent.parent / "data"
# Made with the code of main at f012022 (report-file version 2): the example with its sign-off
# filled, every 警告 explained and 定稿 through workflow.finalise (so that the district, which
# re-derives what 定稿 implies, takes it as final), its fingerprint recorded then.
V2_FIXTURE = DATA / "v2_final_example.sqlite"
V2_FINGERPRINT = "6657fdf0a38c3de55da28eb1bd247a4ad30a7e8645ea1d34ba50e0500258119b"
# The example's fingerprint before and after version 3: unchanged (its data is the v2 template's).
EXAMPLE_FINGERPRINT = "b146f4c3fe0edc4176e8e0f61dcb3f73ced4b020a40cf69bc8eff1a7a33da604"


@pytest.fixture()
def v2_file(tmp_path: Path) -> Path:
    path = tmp_path / "旧版报告.sqlite"
    shutil.copy(V2_FIXTURE, path)
    return path


def test_the_fixture_is_a_version_2_file() -> None:
    conn = sqlite3.connect(f"file:{V2_FIXTURE}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "cover_fields" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
    finally:
        conn.close()


def test_a_version_2_file_opens_after_a_backup_with_the_guangzhou_data(v2_file: Path) -> None:
    old_bytes = v2_file.read_bytes()
    with open_report_file(v2_file) as rf:
        backup = rf.notice.migrated_backup
        assert backup is not None and backup.read_bytes() == old_bytes
        assert backup.name == "旧版报告.v2-备份.sqlite"
        assert rf.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        row = rf.conn.execute("SELECT template_id, template_version, template_data, preface FROM report").fetchone()
        assert row["template_id"] == "guangzhou_street_2022"
        assert row["template_version"] == V2_TEMPLATE_DATA["version"]
        assert row["template_data"] == embedded_json(v2_template())
        assert json.loads(row["template_data"])["scoring"]["budget"]["points"] == 10
        assert row["preface"] == ""
        r = rf.report
        assert r.template == v2_template()
        assert r.cover == [] and r.preface == ""
        # the content, and so the fingerprint printed on the paper copy, did not change
        assert r.status == Status.FINAL
        assert r.final_fingerprint == V2_FINGERPRINT == fingerprint(r)


def test_the_upgraded_file_still_verifies_and_scores_as_before(v2_file: Path) -> None:
    from nanzhou_desktop.cli import main
    from nanzhou_desktop.money import round_half_up
    from nanzhou_desktop.rules import check

    with open_report_file(v2_file) as rf:
        result = check(rf.report)
        assert str(round_half_up(result.score.total, 2)) == "95.12" and result.score.grade == "优"
    assert main(["verify", str(v2_file)]) == 0


def test_a_version_2_file_loads_at_the_district_with_its_template(v2_file: Path) -> None:
    from nanzhou_desktop.district.safe_open import load_received

    got = load_received(V2_FIXTURE)  # as received: version 2, read in memory, nothing written
    assert got.schema_version == 2
    assert got.report.template == v2_template()
    assert got.fingerprint_ok is True
    with open_report_file(v2_file):
        pass  # upgraded to version 3
    got3 = load_received(v2_file)
    assert got3.schema_version == 3 and got3.fingerprint_ok is True
    assert got3.fingerprint == got.fingerprint == V2_FINGERPRINT


def test_the_example_fingerprint_is_what_it_was_before_templates() -> None:
    assert fingerprint(example_report()) == EXAMPLE_FINGERPRINT
    assert "template" not in to_content(example_report())


def test_a_report_from_another_template_carries_its_data_and_round_trips(tmp_path: Path) -> None:
    from nanzhou_desktop.model import Unit
    from nanzhou_desktop.template_data import parse_report_template

    data = dict(V2_TEMPLATE_DATA, version="9", name="另一个模板")
    data["scoring"] = dict(data["scoring"], budget={"points": 20, "formula": "ratio"},
                           indicators={"points": 80, "weighting": "indicator", "score": "computed"})
    t = parse_report_template(data, "测试")
    report = load_template("guangzhou_street_2022").new_report("0" * 32, Unit("某镇人民政府"), 2023)
    report.template = t
    report.preface = "根据有关通知要求，现将自评情况报告如下："
    content = to_content(report)
    assert content["template"]["version"] == "9" and content["preface"].startswith("根据")
    back = from_content(json.loads(json.dumps(content)))
    assert back.template == t and fingerprint(back) == fingerprint(report)
    path = create_report_file(tmp_path / "r.sqlite", report)
    with open_report_file(path) as rf:
        assert rf.report.template == t
        assert rf.report.template.scheme.budget.points == 20
        assert fingerprint(rf.report) == fingerprint(report)


def test_a_file_with_broken_template_data_is_refused_in_chinese(tmp_path: Path) -> None:
    from nanzhou_desktop.district.safe_open import RefusedFile, load_received
    from nanzhou_desktop.store.errors import ReportFileError

    path = write_example(tmp_path / "e.sqlite")
    conn = sqlite3.connect(path)
    data = json.loads(conn.execute("SELECT template_data FROM report").fetchone()[0])
    data["scoring"]["budget"]["points"] = 30  # 30 + 90 is not 100
    conn.execute("UPDATE report SET template_data = ?", (json.dumps(data, ensure_ascii=False),))
    conn.commit()
    conn.close()
    with pytest.raises(ReportFileError, match="报告模板数据无效.*合计应为 100 分"):
        open_report_file(path)
    with pytest.raises(RefusedFile, match="报告模板数据无效.*scoring"):
        load_received(path)


def test_the_district_reads_two_files_whose_tables_stand_at_other_pages(v2_file: Path, tmp_path: Path) -> None:
    """An upgraded version-2 file keeps the new tables at other pages than a file made at version 3.
    With the same schema cookie, a statement cached for the first file would read the second
    file's wrong pages (it did, before the district's private connection stopped caching)."""
    from nanzhou_desktop.district.safe_open import load_received

    with open_report_file(v2_file):
        pass  # upgraded: cover_fields created after the data pages
    fresh = write_example(tmp_path / "fresh.sqlite")
    cookie = sqlite3.connect(v2_file).execute("PRAGMA schema_version").fetchone()[0]
    conn = sqlite3.connect(fresh)
    conn.execute(f"PRAGMA schema_version = {cookie}")  # the same cookie, other pages
    conn.commit()
    conn.close()
    pages = [dict(sqlite3.connect(p).execute(
        "SELECT name, rootpage FROM sqlite_schema WHERE name = 'cover_fields'").fetchall()) for p in (fresh, v2_file)]
    assert pages[0] != pages[1]
    for _ in range(2):
        assert load_received(fresh).report.cover == []
        got = load_received(v2_file)
        assert got.report.cover == [] and got.fingerprint_ok is True
