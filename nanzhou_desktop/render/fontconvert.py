"""CFF-outline OpenType fonts (``OTTO``, e.g. Fandol 仿宋/宋 from TeX Live) converted once to
TrueType (``glyf``) outlines, because reportlab embeds only TrueType.

The conversion keeps everything a PDF needs (metrics, character map, names) and replaces
the cubic outlines by quadratic ones within :data:`MAX_ERR` font units (1/1000 em: at 16 pt
that is 0.006 mm, far below what a printer resolves).  It is done the first time a report
is printed with such a font and the result is kept in the per-user cache
(:func:`converted_path`), keyed by the source file and the converter's versions; any later
print reads the cached file.

Outlines are read by HarfBuzz (``uharfbuzz``: its CFF interpreter is C, ~15× faster than
fontTools' Python one) and converted by fontTools' compiled ``cu2qu``; fontTools writes the
font file.  Run ``python -m nanzhou_desktop.render.fonts`` to prepare the fonts ahead
of the first print (``make venv`` does).  This module knows nothing of which fonts print
the report (:mod:`~nanzhou_desktop.render.fonts` decides and calls it).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

FORMAT = 1  # bump when the converted file changes for the same source
MAX_ERR = 1.0  # font units: largest distance between the cubic curve and its quadratic stand-in
# Tables a TrueType font needs for printing; CFF, VORG (CFF-only), layout and vertical
# tables are left out (reportlab reads none of them).
_KEEP = ("head", "hhea", "hmtx", "maxp", "cmap", "name", "OS/2", "post")


class ConversionError(RuntimeError):
    """The font could not be converted; ``str(err)`` is a Chinese sentence."""


def available() -> bool:
    """True when the converter's libraries are installed (checked without importing them)."""
    from importlib.util import find_spec

    return find_spec("fontTools") is not None and find_spec("uharfbuzz") is not None


def is_cff(path: Path) -> bool:
    """An OpenType font with CFF outlines (``OTTO``), the kind reportlab cannot embed."""
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"OTTO"
    except OSError:
        return False


def _versions() -> str:
    try:
        from importlib.metadata import version

        return f"{version('fonttools')}|{version('uharfbuzz')}"
    except Exception:  # noqa: BLE001 - unusual packaging: the format number still keys the file
        return "?"


_VERSIONS: str | None = None


def converted_path(src: Path, folder: Path) -> Path | None:
    """Where in ``folder`` the TrueType conversion of ``src`` is (or will be) kept; None when
    ``src`` cannot be read.  Cheap: a stat, no conversion."""
    global _VERSIONS
    if _VERSIONS is None:
        _VERSIONS = _versions()
    try:
        st = src.stat()
    except OSError:
        return None
    key = f"{FORMAT}|{_VERSIONS}|{src.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return folder / f"{src.stem}-{digest}.ttf"


class _GlyphPen:
    """Collects one glyph's TrueType outline from HarfBuzz's drawing calls (moveTo, lineTo,
    curveTo, qCurveTo, closePath): each cubic segment replaced by the quadratic spline
    cu2qu finds for it, and each contour reversed (CFF draws outer contours
    counter-clockwise, TrueType clockwise).

    The points go into flat lists, not objects: a CJK font has ~2.5 million of them."""

    __slots__ = ("xs", "ys", "on", "ends", "_start", "_last", "_to_quadratic")

    def __init__(self, to_quadratic: Callable) -> None:
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.on = bytearray()  # 1 = on the curve
        self.ends: list[int] = []  # index of each contour's last point
        self._start = 0
        self._last = (0.0, 0.0)
        self._to_quadratic = to_quadratic

    def moveTo(self, pt) -> None:  # noqa: N802 - pen protocol
        self._close()
        self.xs.append(pt[0])
        self.ys.append(pt[1])
        self.on.append(1)
        self._last = pt

    def lineTo(self, pt) -> None:  # noqa: N802
        self.xs.append(pt[0])
        self.ys.append(pt[1])
        self.on.append(1)
        self._last = pt

    def curveTo(self, p1, p2, p3) -> None:  # noqa: N802
        spline = self._to_quadratic((self._last, p1, p2, p3), MAX_ERR)
        n = len(spline) - 1  # the start point is already there
        self.xs += [p[0] for p in spline[1:]]
        self.ys += [p[1] for p in spline[1:]]
        self.on += bytes(n - 1) + b"\1"
        self._last = p3

    def qCurveTo(self, *pts) -> None:  # noqa: N802
        self.xs += [p[0] for p in pts]
        self.ys += [p[1] for p in pts]
        self.on += bytes(len(pts) - 1) + b"\1"
        self._last = pts[-1]

    def closePath(self) -> None:  # noqa: N802
        self._close()

    endPath = closePath  # noqa: N815

    def _close(self) -> None:
        start, end = self._start, len(self.xs)
        xs, ys, on = self.xs, self.ys, self.on
        if end - start > 1 and xs[end - 1] == xs[start] and ys[end - 1] == ys[start] and on[end - 1]:
            del xs[end - 1], ys[end - 1], on[end - 1]  # the closing point repeats the start
            end -= 1
        if end - start <= 1:  # a lone moveTo draws nothing
            del xs[start:], ys[start:], on[start:]
            return
        # Reverse the order of the points, keeping the (on-curve) start point first.
        xs[start + 1:end] = xs[end - 1:start:-1]
        ys[start + 1:end] = ys[end - 1:start:-1]
        on[start + 1:end] = on[end - 1:start:-1]
        self.ends.append(end - 1)
        self._start = end


# Delta → (flag bits, bytes) for one axis of a simple glyph (OpenType 'glyf'): a delta of
# 0 is "same" (no bytes), -255…255 one byte with the sign in the "same" bit, else two bytes.
_X_SHORT, _Y_SHORT, _X_SAME, _Y_SAME = 0x02, 0x04, 0x10, 0x20


def _axis(deltas: list[int], short: int, same: int) -> tuple[list[int], bytes]:
    flags = [same if d == 0 else short | same if 0 < d < 256 else short if -256 < d < 0 else 0 for d in deltas]
    data = b"".join([_ONE[d] if -256 < d < 256 else (d & 0xFFFF).to_bytes(2, "big") for d in deltas])
    return flags, data


_ONE = {d: b"" if d == 0 else bytes([abs(d)]) for d in range(-255, 256)}


def _glyph_data(pen: _GlyphPen) -> bytes:
    """The 'glyf' entry of a simple glyph, without instructions (b"" for an empty glyph)."""
    from math import floor
    from struct import pack

    if not pen.ends:
        return b""
    # floor(v + 0.5), as fontTools rounds (round() would round halves to even)
    xs = list(map(floor, map((0.5).__add__, pen.xs)))
    ys = list(map(floor, map((0.5).__add__, pen.ys)))
    dx = [b - a for a, b in zip([0, *xs], xs)]  # noqa: B905 - one longer by design
    dy = [b - a for a, b in zip([0, *ys], ys)]  # noqa: B905
    fx, bx = _axis(dx, _X_SHORT, _X_SAME)
    fy, by = _axis(dy, _Y_SHORT, _Y_SAME)
    flags = bytes(map(int.__or__, map(int.__or__, fx, fy), pen.on))
    ends = pen.ends
    return b"".join((pack(f">hhhhh{len(ends)}HH", len(ends), min(xs), min(ys), max(xs), max(ys), *ends, 0),
                     flags, bx, by))


def convert(src: Path, dst: Path) -> Path:
    """Write the TrueType version of the CFF font ``src`` to ``dst`` (atomically)."""
    try:
        import uharfbuzz as hb
        from fontTools.cu2qu import curve_to_quadratic
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.tables.DefaultTable import DefaultTable
    except ImportError as exc:
        raise ConversionError(f"缺少字体转换所需的程序库（{exc.name}）：请重新运行 make venv 安装依赖") from exc
    from struct import pack, unpack_from

    try:
        source = TTFont(str(src), lazy=True)
        if "CFF " not in source.reader:
            raise ConversionError(f"无法转换字体“{src.name}”：文件中没有 CFF 轮廓（可能已损坏）")
        raw = {tag: bytes(source.reader[tag]) for tag in _KEEP}
        source.close()
        face = hb.Face(hb.Blob.from_file_path(str(src)))
        font = hb.Font(face)
        n_glyphs = unpack_from(">H", raw["maxp"], 4)[0]
        glyf: list[bytes] = []
        loca = [0]
        pos = max_points = max_contours = 0
        for gid in range(n_glyphs):
            pen = _GlyphPen(curve_to_quadratic)
            font.draw_glyph_with_pen(gid, pen)
            pen._close()
            data = _glyph_data(pen)
            max_points = max(max_points, len(pen.xs))
            max_contours = max(max_contours, len(pen.ends))
            data += bytes(-len(data) % 4)
            glyf.append(data)
            pos += len(data)
            loca.append(pos)
        long_loca = pos > 0x1FFFE
        tables = {tag: raw[tag] for tag in ("hhea", "hmtx", "cmap", "name", "OS/2")}
        head = bytearray(raw["head"])
        head[50:54] = pack(">hh", 1 if long_loca else 0, 0)  # indexToLocFormat, glyphDataFormat
        tables["head"] = bytes(head)
        # maxp 1.0: the TrueType fields; no hinting, so one zone and no storage or functions.
        tables["maxp"] = pack(">LH13H", 0x00010000, n_glyphs, max_points, max_contours, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)
        post = bytearray(raw["post"][:32])
        post[0:4] = pack(">L", 0x00030000)  # version 3: no glyph names (a CID font has none)
        tables["post"] = bytes(post)
        tables["glyf"] = b"".join(glyf)
        tables["loca"] = (pack(f">{len(loca)}L", *loca) if long_loca
                          else pack(f">{len(loca)}H", *(o >> 1 for o in loca)))
        # fontTools writes the file: table directory, checksums, head's checksum adjustment.
        out = TTFont(sfntVersion="\x00\x01\x00\x00", recalcBBoxes=False, recalcTimestamp=False)
        for tag, data in tables.items():
            table = DefaultTable(tag)
            table.data = data
            out[tag] = table
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
        try:
            out.save(str(tmp))
            os.replace(tmp, dst)
        finally:
            tmp.unlink(missing_ok=True)
    except ConversionError:
        raise
    except OSError as exc:
        from nanzhou_desktop.store.errors import os_reason

        raise ConversionError(f"无法转换字体“{src.name}”：{os_reason(exc)}") from exc
    except Exception as exc:  # noqa: BLE001 - a damaged font file: a sentence, not a traceback
        raise ConversionError(f"无法转换字体“{src.name}”：文件可能已损坏（{type(exc).__name__}）") from exc
    return dst


def convert_all(pairs: Iterable[tuple[Path, Path]]) -> None:
    """Convert several fonts (each takes several seconds of one core): all but the last in
    child processes, the last in this one, so two fonts take the time of one on two cores.
    Raises :class:`ConversionError`."""
    import subprocess

    todo = [(Path(s), Path(d)) for s, d in pairs]
    children = []
    # A frozen program's executable is the program itself, not Python: convert in turn there.
    if len(todo) > 1 and (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False):
        for src, dst in todo[:-1]:
            try:
                children.append(subprocess.Popen(
                    [sys.executable, "-m", "nanzhou_desktop.render.fontconvert", str(src), str(dst)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            except OSError:
                break
    try:
        for src, dst in todo[len(children):]:
            convert(src, dst)
    finally:
        for child in children:
            child.wait()
    for src, dst in todo[:len(children)]:
        if not dst.exists():  # the child failed: here, to raise its reason
            convert(src, dst)


def main(argv: list[str] | None = None) -> int:
    """``SRC DST``: convert one font (the child process of :func:`convert_all`)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("用法：python -m nanzhou_desktop.render.fontconvert 源字体.otf 目标.ttf", file=sys.stderr)
        return 2
    try:
        convert(Path(args[0]), Path(args[1]))
    except ConversionError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
