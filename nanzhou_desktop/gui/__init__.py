"""The Qt layer: the only subpackage that imports PySide6."""

import sys


def _reserve_bool_references() -> None:
    """Work around a PySide6 6.12 reference bug that otherwise aborts the app.

    ``SignalInstance.emit()`` returns ``True`` without taking a new reference, so every
    ``signal.emit(...)`` from Python drops one reference to ``True``.  On CPython 3.12+
    ``True``/``False`` are immortal and this is harmless; on 3.11 (what we ship) a few
    thousand emits drain the count and the interpreter dies with "bool_dealloc:
    deallocating True or False" — mid-session or at exit.  Giving both a reserve of 2**40
    references makes them effectively immortal, as newer Pythons do.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (True, False):
        # ob_refcnt is the first field of every CPython object (Py_ssize_t).
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_reserve_bool_references()
