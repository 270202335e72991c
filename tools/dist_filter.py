"""What the one-folder build leaves out, used by build.spec on Linux, Windows and macOS.

PySide6 ships every Qt plugin and translation; PyInstaller copies them all, then every library
they link to.  The app is a widgets program that reads and writes files, shows PDFs and
prints.  It never loads, so the build leaves out:

- Qt's translations other than Chinese (the interface is Chinese; ``zh_CN`` is kept);
- plugins for what the app does not do: embedded-device platforms (eglfs, linuxfb, vnc …),
  touch and tablet input for them, networking (tls, networkinformation), OpenGL buffers
  for Wayland, image formats it never opens (tiff, webp …);
- the GTK 3 platform theme: it would bring a copy of GTK, cairo and pango (8–20 MB, whatever
  the build machine has installed) that must match the system's own GTK anyway; without
  it Qt draws its own (translated) dialogs;
- then every library that nothing kept still links to (found with PyInstaller's own
  dependency reader), so leaving a plugin out also leaves out what only it needed.

Paths are compared in one form: ``/`` separators and PySide6's Linux/macOS layout
(``PySide6/Qt/plugins``) and Windows layout (``PySide6/plugins``) made alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

# Plugin folders the app uses, and within them the plugins left out (named without "lib" and
# the usual "q").  A folder not listed here is left out whole.
PLUGIN_FOLDERS: dict[str, set[str]] = {
    "platforms": {"eglfs", "linuxfb", "minimalegl", "vkkhrdisplay", "vnc", "direct2d", "minimal"},
    "platformthemes": {"gtk3"},
    "platforminputcontexts": set(),  # compose keys, ibus/fcitx: Chinese input
    "printsupport": set(),  # CUPS printers (打印)
    "imageformats": {"tiff", "webp", "tga", "wbmp", "icns", "pdf"},
    "iconengines": set(),
    "styles": set(),  # Windows' native look (qmodernwindowsstyle)
    "xcbglintegrations": set(),
    "wayland-decoration-client": set(),
    "wayland-shell-integration": {"fullscreen-shell-v1", "ivi-shell", "qt-shell", "wl-shell-plugin"},
}

_PLUGIN = re.compile(r"^PySide6/plugins/([^/]+)/(?:lib)?([^/]+?)(?:\.so|\.dll|\.dylib)$")


def normalise(dest: str) -> str:
    """``dest`` with ``/`` separators and ``PySide6/Qt/`` folded into ``PySide6/``."""
    dest = dest.replace("\\", "/")
    return dest.replace("PySide6/Qt/", "PySide6/", 1)


def plugin_name(dest: str) -> tuple[str, str] | None:
    """(folder, name) of a Qt plugin: ``libqxcb.so``, ``qxcb.dll`` and ``libqxcb.dylib`` are
    all ("platforms", "qxcb"); None for anything else."""
    m = _PLUGIN.match(normalise(dest))
    if not m:
        return None
    return m.group(1), m.group(2)


def wanted(dest: str) -> bool:
    """Whether a file PyInstaller collected belongs in the folder (before pruning libraries)."""
    path = normalise(dest)
    if path.startswith("PySide6/translations/"):
        return "zh_CN" in path
    if path.startswith("PySide6/plugins/"):
        found = plugin_name(path)
        if found is None:  # a file of a plugin folder that is not a plugin (a .json, a .debug …)
            return path.split("/")[2] in PLUGIN_FOLDERS
        folder, name = found
        if folder not in PLUGIN_FOLDERS:
            return False
        left_out = PLUGIN_FOLDERS[folder]
        # most plugins are named q…, some not: "libqt-shell", "libxdg-shell", "libbradient"
        return name not in left_out and name.removeprefix("q") not in left_out
    return True


_PYTHON_LIBRARY = re.compile(r"^(lib)?python3[\d.]*(\.so|\.dll|\.dylib)?", re.IGNORECASE)


def prune_unreachable(binaries: Iterable[tuple[str, str, str]],
                      imports_of: Callable[[str], Iterable[str] | None]) -> list[tuple[str, str, str]]:
    """Leave out the shared libraries that no kept program, extension module or plugin links to.

    ``binaries`` are PyInstaller's (dest, source, typecode) entries; ``imports_of(source)``
    gives the names of the libraries a file links to (ldd's list on Linux includes the
    indirect ones; elsewhere the closure is followed here).  The roots are the extension
    modules, plugins and programs; a plain library stays only if a root reaches it.  The
    Python library is always kept (the bootloader loads it by name).  If any file cannot be
    read (``imports_of`` gives None), nothing is left out.
    """
    entries = list(binaries)

    def is_library(dest: str, typecode: str) -> bool:
        path = normalise(dest)
        if typecode != "BINARY" or path.startswith(("PySide6/plugins/", "pypdfium2_raw/")):
            return False  # plugins, and pdfium (opened with ctypes by pypdfium2): roots, never pruned
        name = os.path.basename(path)
        if _PYTHON_LIBRARY.match(name):
            return False
        # extension modules collected as BINARY (PySide6's .abi3.so / .pyd) are roots too
        return not (name.endswith(".pyd") or ".cpython-" in name or ".abi3." in name)

    by_name = {os.path.basename(normalise(d)).lower(): (d, s) for d, s, t in entries if is_library(d, t)}
    reached: set[str] = set()
    todo = [s for d, s, t in entries if not is_library(d, t)]
    seen_sources: set[str] = set()
    while todo:
        source = todo.pop()
        if source in seen_sources:
            continue
        seen_sources.add(source)
        names = imports_of(source)
        if names is None:
            return entries
        for name in names:
            key = os.path.basename(name).lower()
            if key in by_name and key not in reached:
                reached.add(key)
                todo.append(by_name[key][1])
    return [(d, s, t) for d, s, t in entries
            if not is_library(d, t) or os.path.basename(normalise(d)).lower() in reached]


def pyinstaller_imports(source: str) -> list[str] | None:
    """The libraries ``source`` links to, by PyInstaller's own reader (ldd, pefile, macholib);
    None when it cannot be read (then nothing is pruned)."""
    from PyInstaller.depend import bindepend

    try:
        return [name for name, _path in bindepend.get_imports(source)]
    except Exception:  # noqa: BLE001 - an unreadable file: keep every library rather than guess
        return None
