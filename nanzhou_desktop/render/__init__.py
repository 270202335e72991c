"""Printing: the GB/T 9704 PDF, the annex table, Word and Excel copies.  No Qt here."""

from __future__ import annotations

import sys


def _defer_pillow() -> None:
    """Make ``PIL.Image`` load on first use (the standard library's LazyLoader).

    reportlab imports it unconditionally at start-up (8 ms: Pillow's tables of EXIF and TIFF
    tags) and uses it only for raster images, which our documents do not contain; anyone
    who does use it gets the real module on first attribute access."""
    if "PIL.Image" in sys.modules:
        return
    try:
        import importlib.util

        spec = importlib.util.find_spec("PIL.Image")
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules["PIL.Image"] = module
        spec.loader.exec_module(module)
        sys.modules["PIL"].Image = module
    except Exception:  # noqa: BLE001 - no Pillow, an unusual packaging: import it the usual way
        sys.modules.pop("PIL.Image", None)


_defer_pillow()
