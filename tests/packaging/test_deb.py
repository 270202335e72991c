"""The .deb's pieces (tools/build_deb.py, packaging/linux/): its control fields, the menu
entry, the report file type.  The package itself is built, installed, used from PATH and
removed by `make deb-check`, which CI runs after `make test`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from nanzhou_desktop.store.schema import APPLICATION_ID
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_deb  # noqa: E402

LINUX = ROOT / "packaging" / "linux"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def test_control_depends_on_fonts_and_the_system_libraries():
    control = build_deb.control(170_000)
    fields = dict(line.split(": ", 1) for line in control.splitlines() if ": " in line and not line.startswith(" "))
    assert fields["Package"] == "nanzhou-desktop"
    depends = [d.strip() for d in fields["Depends"].split(",")]
    for package in ("fonts-wqy-microhei", "fonts-arphic-gbsn00lp", "fonts-lxgw-wenkai", "libxcb1", "libgl1",
                    "libegl1", "libfontconfig1", "xkb-data", "libdbus-1-3"):
        assert package in depends
    assert "xdg-utils" in fields["Recommends"]  # 用邮件发送 and 打开所在文件夹
    assert fields["Installed-Size"] == "170000"
    assert control.endswith("\n") and "\n .\n" in control  # a valid extended description


def test_every_library_the_folder_needs_from_the_system_is_depended_on():
    needed = {"libc.so.6": "/lib/libc.so.6", "libGL.so.1": "/lib/libGL.so.1", "libxcb.so.1": "/lib/libxcb.so.1",
              "ld-linux-x86-64.so.2": "/lib64/ld-linux-x86-64.so.2", "libwayland-cursor.so.0": "not"}
    assert build_deb.uncovered(needed) == []
    assert build_deb.uncovered({**needed, "libgtk-3.so.0": "/lib/libgtk-3.so.0"}) == ["libgtk-3.so.0"]


def test_the_menu_entry_is_in_office_and_opens_report_files():
    entry = (LINUX / "nanzhou-desktop.desktop").read_text(encoding="utf-8")
    lines = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert lines["Categories"].split(";")[0] == "Office"  # 办公
    assert lines["Exec"] == "nanzhou-desktop %f" and lines["Icon"] == "nanzhou-desktop"
    assert "application/x-nanzhou-report" in lines["MimeType"].split(";")
    assert lines["Name"] == lines["Name[zh_CN]"] == "部门整体支出绩效自评"
    if shutil.which("desktop-file-validate"):
        r = subprocess.run(["desktop-file-validate", str(LINUX / "nanzhou-desktop.desktop")], capture_output=True,
                           text=True)
        assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def test_the_file_type_is_known_by_the_report_files_application_id():
    root = ET.parse(LINUX / "nanzhou-desktop.xml").getroot()
    mime = root.find(f"{MIME_NS}mime-type")
    assert mime.get("type") == "application/x-nanzhou-report"
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"
    outer = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    inner = outer.find(f"{MIME_NS}match")
    assert (outer.get("offset"), outer.get("value")) == ("0", "SQLite format 3\\000")
    assert (inner.get("type"), inner.get("offset")) == ("big32", "68")
    assert int(inner.get("value"), 16) == APPLICATION_ID


def test_the_file_type_matches_a_real_report_and_not_another_sqlite_file(example_path, tmp_path):
    """The magic above, read as shared-mime-info reads it, against a report file and a plain one."""
    import sqlite3

    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("create table t(x)").connection.commit()

    def matches(path) -> bool:
        head = path.read_bytes()[:100]
        return head[:16] == b"SQLite format 3\x00" and int.from_bytes(head[68:72], "big") == APPLICATION_ID

    assert matches(example_path) and not matches(other)


@pytest.mark.skipif(not (ROOT / "dist" / "nanzhou-desktop" / "nanzhou-desktop").exists(), reason="make dist not run")
def test_the_built_folder_needs_nothing_undeclared():
    assert build_deb.uncovered(build_deb.list_system_libraries(ROOT / "dist" / "nanzhou-desktop")) == []
