"""The Qt layer: the only subpackage that imports PySide6."""

import sys


def _reserve_singleton_references() -> None:
    """Work around a PySide6 6.12 reference bug that otherwise aborts the app on Python 3.11.

    The 6.12 wheels return ``None`` / ``True`` / ``False`` without taking a new reference
    (as if they were immortal, which they are only from CPython 3.12 on): every call of a
    void Qt method (``label.setText``, ``app.processEvents`` …) drops one reference to
    ``None`` and every ``signal.emit()`` one to ``True``.  On 3.11, what we ship, a few
    thousand calls drain the count and the interpreter dies with "none_dealloc" /
    "bool_dealloc" — mid-session or at exit.  A reserve of 2**40 references makes these
    singletons effectively immortal, as newer Pythons do.  Importing any ``nanzhou_desktop.gui``
    module applies it; measured in tests/gui/test_table_models.py.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False, NotImplemented, Ellipsis):
        # ob_refcnt is the first field of every CPython object (Py_ssize_t).
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_reserve_singleton_references()
