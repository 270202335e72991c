"""Errors raised by the report file.  ``str(err)`` is always one Chinese sentence."""

import errno


class ReportFileError(Exception):
    """The file cannot be opened or written as a report file."""


class EditError(ValueError):
    """An edit was refused (bad value, locked report); nothing was written."""


class SaveError(ReportFileError):
    """The file could not be written (disk full, read-only); nothing already saved is lost."""


_OS_REASONS = {
    "ENOENT": "找不到该文件或文件夹", "ENOTDIR": "路径中有一段不是文件夹", "EISDIR": "这是一个文件夹，不是文件",
    "EACCES": "没有访问权限", "EPERM": "没有访问权限", "EROFS": "磁盘或文件夹只读", "ENOSPC": "磁盘空间不足",
    "EEXIST": "同名文件已存在", "ENAMETOOLONG": "文件名或路径过长", "EBUSY": "文件正被其他程序使用",
    "EINVAL": "文件名中有不允许的字符", "EIO": "磁盘读写错误", "EMFILE": "打开的文件过多",
    "EFBIG": "文件超过了系统允许的大小", "EDQUOT": "磁盘配额已用完",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (the system's own words are English)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or str(exc.strerror or exc)
