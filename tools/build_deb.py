"""`make deb`: a Debian package (Debian 12, Ubuntu 22.04+, 统信UOS, 银河麒麟) of the one-folder build.

    make deb   → dist/nanzhou-desktop_{version}_{arch}.deb

What it installs:
- ``/opt/nanzhou-desktop/``: the PyInstaller folder of ``make dist`` (Python, Qt, the app);
- ``/usr/bin/nanzhou-desktop``: the command (the window, or the command line with a subcommand);
- ``/usr/share/applications/nanzhou-desktop.desktop``: the menu entry, in 办公 (Office);
- ``/usr/share/icons/hicolor/*/apps/nanzhou-desktop.{png,svg}``: its icon;
- ``/usr/share/mime/packages/nanzhou-desktop.xml``: the report file type, so a double-click opens it.

The menu, icon and file-type caches are refreshed by dpkg's triggers (desktop-file-utils,
shared-mime-info, the icon theme), so the package needs no maintainer scripts, and removing it
removes exactly the files above.  Users' reports and settings live in their own folders and
are never touched.  Dependencies: the system libraries the Qt in the folder links to and
does not carry (found with ldd over the built folder by ``--list-system-libraries``), and the
free CJK fonts printing falls back to.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKAGE = "nanzhou-desktop"
DIST = ROOT / "dist" / PACKAGE
STAGE = ROOT / "build" / "deb" / "root"
LINUX = ROOT / "packaging" / "linux"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

# Libraries the folder's programs, Qt and Python link to but PyInstaller leaves to the system
# (libc; OpenGL/EGL, which must match the machine's drivers; libxcb; Wayland's client), by the
# Debian package that has them.  `make deb` lists what the built folder needs with ldd and
# refuses to build if one is not covered here.
SYSTEM_LIBRARIES = {
    "libc6": ("ld-linux", "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2"),
    "libgl1": ("libGL.so.1",),
    "libglx0": ("libGLX.so.0",),
    "libglvnd0": ("libGLdispatch.so.0",),
    "libegl1": ("libEGL.so.1",),
    "libxcb1": ("libxcb.so.1",),
    "libwayland-client0": ("libwayland-client.so.0",),
    "libwayland-cursor0": ("libwayland-cursor.so.0",),
}
# Not linked but needed: fontconfig's configuration (/etc/fonts) for the bundled fontconfig,
# the keyboard layouts for the bundled xkbcommon, and libdbus, which Qt loads by name.
SYSTEM_DATA = ("libfontconfig1", "xkb-data", "libdbus-1-3")
# The free fonts printing falls back to where the office fonts (仿宋, 黑体, 楷体, 宋体) are not
# installed (resources/fonts/README.md), and the Qt window's own CJK face.
FONTS = ("fonts-arphic-gbsn00lp", "fonts-arphic-ukai", "fonts-wqy-microhei", "fonts-lxgw-wenkai", "fonts-cwtex-fs")
# Recommended: xdg-utils for 用邮件发送 and 打开所在文件夹; the menu and file-type caches; and
# TeX Live's Chinese fonts for Fandol 仿宋 (the body face), large (~100 MB with its dependencies),
# so left out by `apt install --no-install-recommends` where the office fonts are installed.
RECOMMENDS = ("xdg-utils", "desktop-file-utils", "shared-mime-info", "hicolor-icon-theme", "texlive-lang-chinese")


def version() -> str:
    from nanzhou_desktop import __version__

    return __version__


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()


def depends() -> str:
    return ", ".join([*sorted(SYSTEM_LIBRARIES), *SYSTEM_DATA, *FONTS])


def uncovered(needed: dict[str, str]) -> list[str]:
    """The libraries in ``needed`` (name → path, from :func:`list_system_libraries`) that no
    package of SYSTEM_LIBRARIES provides: the .deb would install but might not start."""
    names = [n for names in SYSTEM_LIBRARIES.values() for n in names]
    return sorted(lib for lib in needed if not any(lib.startswith(n) for n in names))


def control(installed_kb: int) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version()}\n"
        f"Architecture: {architecture()}\n"
        "Maintainer: nanzhou-desktop developers <nanzhou-desktop@localhost>\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {depends()}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: 部门整体支出绩效自评报告：填写、检查、打印与报送\n"
        " An offline desktop program for street offices (街道办事处) to write, check,\n"
        " print and send their annual whole-budget performance self-evaluation report\n"
        " (部门整体支出绩效自评报告), and for the district finance bureau to load and\n"
        " consolidate the report files it receives.\n"
        " .\n"
        " The program (Python and Qt included) is installed in /opt/nanzhou-desktop.\n"
    )


COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: nanzhou-desktop
Comment: /opt/nanzhou-desktop carries Python (PSF licence), Qt 6 and PySide6 (LGPL-3),
 reportlab (BSD), python-docx (MIT), openpyxl (MIT), segno (BSD), pypdf (BSD),
 sqlite-utils (Apache-2.0), platformdirs (MIT), fontTools (MIT), uharfbuzz (Apache-2.0),
 lxml (BSD) and Pillow (HPND); their licence texts are in their folders under
 /opt/nanzhou-desktop/_internal where the packages ship them.

Files: *
Copyright: nanzhou-desktop developers
License: see the project's repository
"""


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, symlinks=True)


def normalise_modes(root: Path) -> None:
    """Folders 755, programs and libraries 755, other files 644 (dpkg-deb and lintian expect it)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if path.is_dir() or mode & stat.S_IXUSR:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def stage() -> Path:
    if not (DIST / PACKAGE).exists():
        raise SystemExit("make deb: 没有找到 dist/nanzhou-desktop，请先运行 make dist")
    if STAGE.exists():
        shutil.rmtree(STAGE)
    opt = STAGE / "opt" / PACKAGE
    copy_tree(DIST, opt)
    usr = STAGE / "usr"
    (usr / "bin").mkdir(parents=True)
    (usr / "bin" / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
    share = usr / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(LINUX / f"{PACKAGE}.desktop", share / "applications" / f"{PACKAGE}.desktop")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy(LINUX / f"{PACKAGE}.xml", share / "mime" / "packages" / f"{PACKAGE}.xml")
    icons = ROOT / "resources" / "icons"
    for size in ICON_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy(icons / f"app-{size}.png", folder / f"{PACKAGE}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(icons / "app.svg", scalable / f"{PACKAGE}.svg")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    normalise_modes(STAGE)
    files = [p for p in STAGE.rglob("*") if p.is_file() and not p.is_symlink()]
    installed_kb = (sum(p.stat().st_size for p in files) + 1023) // 1024
    debian = STAGE / "DEBIAN"
    debian.mkdir()
    with open(debian / "md5sums", "w", encoding="utf-8") as out:
        for p in sorted(files):
            out.write(f"{hashlib.md5(p.read_bytes()).hexdigest()}  {p.relative_to(STAGE).as_posix()}\n")  # noqa: S324 - dpkg's format
    (debian / "control").write_text(control(installed_kb), encoding="utf-8")
    normalise_modes(debian)
    return STAGE


def build(out_dir: Path) -> Path:
    started = time.perf_counter()
    missing = uncovered(list_system_libraries(DIST))
    if missing:
        raise SystemExit(f"make deb: the built folder needs {', '.join(missing)} from the system, which no Depends "
                         "provides: add its package to SYSTEM_LIBRARIES in tools/build_deb.py")
    root = stage()
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version()}_{architecture()}.deb"
    deb.unlink(missing_ok=True)
    # xz: every dpkg since Debian 7 reads it (zstd would be smaller and faster, but older
    # dpkg on 统信UOS / 麒麟 releases cannot unpack it).
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(deb)], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"{deb}  ({deb.stat().st_size / 1e6:.1f} MB; built in {time.perf_counter() - started:.0f} s)")
    return deb


def list_system_libraries(folder: Path) -> dict[str, str]:
    """Library name → path, for every library the folder's ELF files need and do not carry
    (ldd with the folder's own library paths first, as the bootloader arranges)."""
    dirs = sorted({str(p.parent) for p in folder.rglob("*.so*") if p.is_file()})
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(dirs))
    found: dict[str, str] = {}
    for f in folder.rglob("*"):
        if not f.is_file() or f.is_symlink() or f.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["ldd", str(f)], capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            parts = line.split()
            if "=>" in parts:
                name, target = parts[0], parts[parts.index("=>") + 1]
                if target == "not" or not target.startswith(str(folder)):
                    found.setdefault(name, target)
            elif parts and parts[0].startswith("/") and not parts[0].startswith(str(folder)):
                found.setdefault(os.path.basename(parts[0]), parts[0])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist"))
    parser.add_argument("--list-system-libraries", action="store_true",
                        help="print what the built folder needs from the system, and exit")
    args = parser.parse_args()
    if args.list_system_libraries:
        for name, path in sorted(list_system_libraries(DIST).items()):
            print(f"{name}\t{path}")
        return 0
    build(Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
