"""The app's icon: drawn once (resources/icons/app.svg), its PNG sizes and the Windows .ico
made from it by tools/make_icons.py, and set as the window icon."""

from __future__ import annotations

import struct

from nanzhou_desktop.gui.app import make_app
from nanzhou_desktop.resources import resource_path

SIZES = (16, 24, 32, 48, 64, 128, 256)


def test_every_size_is_there_and_is_that_size():
    for size in SIZES:
        data = resource_path("icons", f"app-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size)
    ico = resource_path("icons", "app.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    found = {(ico[6 + 16 * i] or 256) for i in range(count)}  # width byte; 0 means 256
    assert found == set(SIZES)


def test_the_window_icon_is_set(qapp):
    app = make_app()
    assert {s.width() for s in app.windowIcon().availableSizes()} == set(SIZES)
    assert not app.windowIcon().pixmap(48).isNull()
    assert app.desktopFileName() == "nanzhou-desktop"
