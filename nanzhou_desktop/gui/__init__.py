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


def _cheaper_feature_scan() -> None:
    """Make PySide6's per-import source scan cheaper (about 12 ms of the window's start-up).

    After ``PySide6.QtCore`` is imported, PySide6 asks of every module imported later whether
    its source mentions "PySide6" (to support ``from __feature__ import snake_case``), and it
    reads the source with ``inspect.getsource``: linecache, encoding detection and a list of
    lines for each of the ~70 modules the window imports.  Reading the file's bytes answers
    the same question; anything that is not a plain ``.py`` file still goes to PySide6's own
    function.  If a PySide6 release renames the hook, nothing is patched and nothing breaks.
    """
    import PySide6.QtCore  # noqa: F401 - installs the hook this replaces

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "nanzhou_fast", False):
        return

    def mod_uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as fh:
                    return b"PySide6" in fh.read()
            except OSError:
                pass
        return bool(original(module))

    mod_uses_pyside.nanzhou_fast = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]


_cheaper_feature_scan()
