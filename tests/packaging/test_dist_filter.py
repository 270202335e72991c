"""What the one-folder build leaves out (tools/dist_filter.py, used by build.spec), checked on
the destination paths PyInstaller uses on Linux, Windows and macOS."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import dist_filter  # noqa: E402
from dist_filter import normalise, plugin_name, prune_unreachable, wanted  # noqa: E402

LINUX = "PySide6/Qt/"
WINDOWS = "PySide6\\"


@pytest.mark.parametrize("base", [LINUX, WINDOWS])
def test_only_the_chinese_qt_translations_are_kept(base):
    sep = "\\" if base == WINDOWS else "/"
    for name in ("qtbase_zh_CN.qm", "qt_zh_CN.qm", "qt_help_zh_CN.qm"):
        assert wanted(f"{base}translations{sep}{name}")
    for name in ("qtbase_de.qm", "qt_ja.qm", "qtbase_zh_TW.qm", "qt_en.qm"):
        assert not wanted(f"{base}translations{sep}{name}")


@pytest.mark.parametrize(("dest", "keep"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),  # make dist-check, servers without a display
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),  # Chinese input
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6\\plugins\\imageformats\\qwebp.dll", False),
    ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-egldevice-integration.so", False),
    ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so", False),
    ("PySide6/Qt/plugins/wayland-shell-integration/libqt-shell.so", False),
    ("PySide6/Qt/plugins/wayland-decoration-client/libbradient.so", True),
    ("PySide6/Qt/plugins/wayland-graphics-integration-client/libdmabuf-server.so", False),
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ("reportlab/fonts/Vera.ttf", True),
    ("resources/icons/app.ico", True),
])
def test_plugins(dest, keep):
    assert wanted(dest) is keep


def test_paths_are_compared_in_one_form():
    assert normalise("PySide6\\plugins\\platforms\\qwindows.dll") == "PySide6/plugins/platforms/qwindows.dll"
    assert normalise("PySide6/Qt/plugins/platforms/libqxcb.so") == "PySide6/plugins/platforms/libqxcb.so"
    assert plugin_name("PySide6/Qt/plugins/platforms/libqxcb.so") == ("platforms", "qxcb")
    assert plugin_name("PySide6\\plugins\\platforms\\qxcb.dll") == ("platforms", "qxcb")
    assert plugin_name("PySide6/Qt/lib/libQt6Core.so.6") is None


def test_libraries_nothing_kept_needs_are_left_out():
    """The GTK theme plugin is left out: GTK, cairo and pango, which only it linked, go too;
    what a kept plugin or module still needs stays, and so does the Python library."""
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
        ("lxml/etree.cpython-311-x86_64-linux-gnu.so", "/src/etree.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
        ("libxml2.so.2", "/usr/lib/libxml2.so.2", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),
        ("PySide6\\opengl32sw.dll", "C:\\PySide6\\opengl32sw.dll", "BINARY"),  # loaded by name, for OpenGL only
        ("python3.dll", "C:\\Python\\python3.dll", "BINARY"),
    ]
    imports = {
        "/src/libqxcb.so": ["libQt6XcbQpa.so.6"],
        "/src/libQt6XcbQpa.so.6": ["libxcb-cursor.so.0", "libQt6Gui.so.6"],
        "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
        "/src/etree.so": ["libxml2.so.2"],
        "/usr/lib/libgtk-3.so.0": ["libcairo.so.2"],
    }
    kept = prune_unreachable(binaries, lambda s: imports.get(s, []))
    names = {d for d, _, _ in kept}
    assert "libgtk-3.so.0" not in names and "libcairo.so.2" not in names
    assert "PySide6\\opengl32sw.dll" not in names
    for needed in ("libxcb-cursor.so.0", "PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6",
                   "libxml2.so.2", "libpython3.11.so.1.0", "python3.dll"):
        assert needed in names, needed


def test_an_unreadable_file_leaves_everything_in():
    binaries = [("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"), ("libx.so.1", "/l/libx.so.1", "BINARY")]
    assert prune_unreachable(binaries, lambda s: None) == binaries


def test_the_spec_uses_the_filter():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "prune_unreachable(" in spec and "wanted(" in spec
    assert dist_filter.PLUGIN_FOLDERS["platformthemes"] == {"gtk3"}
