"""What is known not to work on Windows, run on Linux through the same functions, with
Windows' behaviour stood in for: fsync needs a writable handle and no folder can be opened,
MAX_PATH, the msvcrt lock, and a GBK console."""

from __future__ import annotations

import errno
import fcntl
import io
import os
import subprocess
import sys

import pytest

from nanzhou_desktop import oscompat
from nanzhou_desktop.store.lock import FileInUse, ReportLock
from tests.conftest import ROOT


@pytest.fixture
def windows_fsync(monkeypatch):
    """oscompat takes this for Windows, and ``os.fsync`` fails as FlushFileBuffers does: EBADF on
    a read-only handle, and a folder cannot be opened at all."""
    real_fsync, real_open = os.fsync, os.open
    flushed: list[int] = []

    def fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor")
        flushed.append(fd)
        real_fsync(fd)

    def open_(path, flags, *args, **kw):  # noqa: ANN001
        if os.path.isdir(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(oscompat, "on_windows", lambda: True)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "open", open_)
    return flushed


def test_fsync_on_windows_uses_a_writable_handle_and_skips_folders(tmp_path, windows_fsync):
    f = tmp_path / "a.sqlite"
    f.write_bytes(b"x")
    oscompat.fsync_file(f)
    oscompat.fsync_dir(tmp_path)
    assert len(windows_fsync) == 1


def test_the_stand_in_fails_as_windows_does(tmp_path, windows_fsync):
    """Without the right handling the stand-in does fail (the old read-only fsync)."""
    f = tmp_path / "a.sqlite"
    f.write_bytes(b"x")
    fd = os.open(f, os.O_RDONLY)
    try:
        with pytest.raises(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
    with pytest.raises(OSError):
        os.open(tmp_path, os.O_RDONLY)


def test_posix_flushes_files_and_folders(tmp_path, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(os, "fsync", calls.append)
    f = tmp_path / "a"
    f.write_bytes(b"x")
    f.chmod(0o444)  # a read-only file can still be flushed on POSIX
    oscompat.fsync_file(f)
    oscompat.fsync_dir(tmp_path)
    assert len(calls) == 2


def test_report_file_create_and_export_work_with_windows_fsync(tmp_path, windows_fsync):
    """Creating a report and 导出上报 (both write, flush and rename) go through on 'Windows'."""
    from nanzhou_desktop.example import write_example
    from nanzhou_desktop.exchange.export import export_report
    from nanzhou_desktop.model import Status
    from nanzhou_desktop.store.reportfile import open_report_file

    path = write_example(tmp_path / "r.sqlite")
    assert windows_fsync, "creating the report flushed it"
    rf = open_report_file(path)
    try:
        rf.set_status(Status.FINAL, action="finalise")
        out = tmp_path / "out"
        out.mkdir()
        result = export_report(rf, out, with_pdf=False)
    finally:
        rf.close()
    assert result.path.exists()


def test_long_paths_are_refused_on_windows_only(monkeypatch, tmp_path):
    short = tmp_path / "报告.sqlite"
    deep = tmp_path / ("很长的文件夹名称" * 40) / "报告.sqlite"
    assert oscompat.path_too_long(deep) == ""  # Linux: no such limit
    monkeypatch.setattr(oscompat, "on_windows", lambda: True)
    assert oscompat.path_too_long(short) == ""
    message = oscompat.path_too_long(deep)
    assert message.startswith("文件路径太长") and "较短" in message
    # the limit counts the names put beside the file: a path just under 260 is already too long
    edge = "C:\\" + "a" * (oscompat.WINDOWS_MAX_PATH - oscompat.SIDE_FILE_EXTRA - 3)
    monkeypatch.setattr(os.path, "abspath", lambda p: p)
    assert oscompat.path_too_long(edge) == ""
    assert oscompat.path_too_long(edge + "b")
    assert oscompat.path_too_long("\\\\?\\" + edge + "b" * 300) == ""


def test_opening_a_too_long_path_says_so_on_windows(monkeypatch, tmp_path):
    from nanzhou_desktop.store.errors import ReportFileError
    from nanzhou_desktop.store.reportfile import create_report_file, new_report, open_report_file

    monkeypatch.setattr(oscompat, "on_windows", lambda: True)
    deep = tmp_path / ("文件夹" * 90) / "报告.sqlite"
    with pytest.raises(ReportFileError, match="文件路径太长"):
        open_report_file(deep)
    from nanzhou_desktop.model import Unit

    with pytest.raises(ReportFileError, match="文件路径太长"):
        create_report_file(deep, new_report(Unit(full_name="某街道办事处", short_name="某街道"), 2023))


class FakeMsvcrt:
    """msvcrt.locking as Windows does it: a byte range from the current position, refused
    (OSError) while another descriptor holds it."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, int]] = []
        self.held: dict[tuple[str, int], int] = {}

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        key = (os.path.realpath(f"/proc/self/fd/{fd}"), os.lseek(fd, 0, os.SEEK_CUR))
        self.calls.append((mode, nbytes, key[1]))
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise OSError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        elif self.held.get(key) == fd:
            del self.held[key]
        else:
            raise OSError(errno.EACCES, "unlock of a range not locked")


def test_the_lock_on_windows_uses_msvcrt_and_refuses_a_second_holder(monkeypatch, tmp_path):
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    report = tmp_path / "r.sqlite"
    first, second = ReportLock(report), ReportLock(report)
    first.acquire()
    with pytest.raises(FileInUse):
        second.acquire()
    first.release()
    second.acquire()  # free again once released
    second.release()
    assert [c[:2] for c in fake.calls] == [(2, 1), (2, 1), (0, 1), (2, 1), (0, 1)]
    assert all(pos == 0 for *_, pos in fake.calls)


def _gbk_stream() -> tuple[io.BytesIO, io.TextIOWrapper]:
    raw = io.BytesIO()
    return raw, io.TextIOWrapper(raw, encoding="gbk", errors="strict", write_through=True)


def test_safe_console_lets_a_gbk_stream_print_anything():
    raw, stream = _gbk_stream()
    with pytest.raises(UnicodeEncodeError):
        stream.write("✓")
    raw, stream = _gbk_stream()
    oscompat.safe_console(stream)
    stream.write("南洲街道 ✓ 𠀀 完成\n")
    assert raw.getvalue().decode("gbk") == "南洲街道 ? ? 完成\n"
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    oscompat.safe_console(utf8)
    assert utf8.errors == "strict"  # nothing to do where every character can be written
    oscompat.safe_console(io.StringIO())  # not a reconfigurable file: left alone


def test_the_cli_prints_to_a_gbk_console(tmp_path):
    """The command line on a GBK console (a Chinese Windows with output redirected): a unit
    name with characters GBK lacks prints with ? for them, exit 0, no traceback."""
    from nanzhou_desktop.example import write_example
    from nanzhou_desktop.store.reportfile import open_report_file

    path = write_example(tmp_path / "r.sqlite")
    rf = open_report_file(path)
    try:
        rf.set_field("report", None, "unit_short_name", "𠀀洲街道✓")
    finally:
        rf.close()
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    r = subprocess.run([sys.executable, "-m", "nanzhou_desktop", "show", str(path)], cwd=ROOT, env=env,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode("gbk", "replace")
    out = r.stdout.decode("gbk")
    assert "?洲街道?" in out and "Traceback" not in r.stderr.decode("gbk", "replace")
