"""Recognise a report file from its first 100 bytes, before SQLite reads anything."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from nanzhou_desktop.store.errors import ReportFileError, os_reason
from nanzhou_desktop.store.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Header:
    application_id: int
    user_version: int
    page_size: int
    page_count: int
    wal_mode: bool


def parse_header(data: bytes, name: str) -> Header:
    """Check the SQLite header of a report file; raise :class:`ReportFileError` in Chinese."""
    if len(data) == 0:
        raise ReportFileError(f"文件“{name}”是空文件（0 字节），不是报告文件")
    if len(data) < 100 or not data.startswith(SQLITE_MAGIC):
        if data.startswith(SQLITE_MAGIC[:6]):
            raise ReportFileError(f"文件“{name}”不完整（可能在传送中被截断），无法打开")
        raise ReportFileError(f"文件“{name}”不是报告文件（不是 SQLite 数据库）")
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(data[28:32], "big")
    user_version = int.from_bytes(data[60:64], "big")
    app_id = int.from_bytes(data[68:72], "big", signed=False)
    wal = data[18] == 2 or data[19] == 2
    if app_id != APPLICATION_ID:
        raise ReportFileError(f"文件“{name}”是其他软件的 SQLite 数据库，不是绩效自评报告文件")
    if user_version > SCHEMA_VERSION:
        raise ReportFileError(
            f"文件“{name}”由更新版本的软件创建（文件格式第 {user_version} 版，本软件支持到第 {SCHEMA_VERSION} 版），请升级软件后再打开"
        )
    if user_version < 1:
        raise ReportFileError(f"文件“{name}”的格式版本号无效（{user_version}）")
    return Header(app_id, user_version, page_size, page_count, wal)


def open_regular(path: Path, name: str | None = None) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file: a FIFO named ``*.sqlite`` would
    block the reader forever, a device would be read without end (issue 16).  Opened without
    blocking and checked on the open descriptor, so the file cannot be swapped in between."""
    name = name or path.name
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReportFileError(f"“{name}”是文件夹，不是报告文件")
        if not stat.S_ISREG(mode):
            raise ReportFileError(f"“{name}”不是普通文件（是管道、设备或套接字），不是报告文件")
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def read_header(path: Path) -> Header:
    path = Path(path)
    if path.is_dir():
        raise ReportFileError(f"“{path.name}”是文件夹，不是报告文件")
    if not path.exists():
        raise ReportFileError(f"找不到文件“{path}”")
    try:
        with open_regular(path) as fh:
            data = fh.read(100)
    except PermissionError as exc:
        raise ReportFileError(f"没有权限读取文件“{path.name}”") from exc
    except OSError as exc:
        raise ReportFileError(f"无法读取文件“{path.name}”：{os_reason(exc)}") from exc
    return parse_header(data, path.name)
