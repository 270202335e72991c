"""The start-up work-arounds in nanzhou_desktop/gui/__init__.py keep PySide6's behaviour."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import nanzhou_desktop
import nanzhou_desktop.gui  # noqa: F401 - applies the work-arounds


def test_feature_scan_replacement_gives_pyside6s_answer_for_every_module():
    feature = sys.modules["shibokensupport.feature"]
    fast = feature._mod_uses_pyside
    assert getattr(fast, "nanzhou_fast", False), "the cheaper scan is installed"
    import inspect

    def pyside_answer(module: object) -> bool:  # what PySide6's own function computes
        try:
            return "PySide6" in inspect.getsource(module)
        except (TypeError, OSError, SyntaxError):
            return False

    modules = [importlib.import_module(m.name) for m in pkgutil.walk_packages(nanzhou_desktop.__path__, "nanzhou_desktop.")
               if not m.name.startswith("nanzhou_desktop.__main__")]
    modules += [sys, importlib, inspect, pkgutil]  # built-in, frozen and plain standard modules
    answers = {m.__name__: fast(m) for m in modules}
    assert answers == {m.__name__: pyside_answer(m) for m in modules}
    assert answers["nanzhou_desktop.gui.main_window"] and not answers["nanzhou_desktop.model"]
