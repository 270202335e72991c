"""Which fonts print the report, and registering them with reportlab once per process.

GB/T 9704 names four faces: 小标宋 (title), 仿宋 (body), 黑体 (一、 headings), 楷体 ((一)
headings), plus 宋体 for page numbers.  Government PCs have the Windows files; when they are
absent we fall back to free fonts (Debian packages or ``resources/fonts/``): Fandol 仿宋 for
the body and Fandol 宋 Bold for the title (TeX Live's, OpenType CFF, converted once to
TrueType by :mod:`~nanzhou_desktop.render.fontconvert`), WenQuanYi 黑, LXGW 楷.
reportlab embeds only glyf-outline TrueType, so every candidate is checked for a ``glyf``
table before it is chosen (reading the table directory only: cheap).

A character a role's face lacks is printed in the nearest face of the same style first
(another 仿宋 for body text, another 楷 for 楷 headings …), then in any face that has it;
each such substitution is reported (``PdfInfo.substituted``) as a 提示.

:func:`find_fonts` only locates files (no parsing); :func:`register` loads them into
reportlab and is cached, because parsing a CJK font is the main cost of the first render.
No Qt here: the window uses ``FontFace.path``/``family`` to set its own font.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from nanzhou_desktop.resources import resource_path

ROLES = ("title", "body", "heading1", "heading2", "page_number")
ROLE_NAMES = {
    "title": "标题（小标宋）",
    "body": "正文（仿宋）",
    "heading1": "一级标题（黑体）",
    "heading2": "二级标题（楷体）",
    "page_number": "页码（宋体）",
}


# NamedTuples and a plain class: frozen dataclasses cost ~0.6 ms each to create at import,
# which every print pays.
class Candidate(NamedTuple):
    family: str
    files: tuple[str, ...]  # lower-case file names to look for
    subfont: int = 0
    office: bool = False  # one of the usual office (Windows) fonts
    cff: bool = False  # OpenType with CFF outlines: used through its TrueType conversion


# Order matters: office fonts first, then the free fallbacks.
_FANGSONG = Candidate("FangSong", ("simfang.ttf", "fangsong_gb2312.ttf", "fsgb2312.ttf"), office=True)
_SIMHEI = Candidate("SimHei", ("simhei.ttf",), office=True)
_KAITI = Candidate("KaiTi", ("simkai.ttf", "kaiti_gb2312.ttf", "kaiti.ttf"), office=True)
_SIMSUN = Candidate("SimSun", ("simsun.ttc", "simsun.ttf"), office=True)
_XIAOBIAOSONG = Candidate("方正小标宋简体", ("fzxbsjw.ttf", "fzxbsk.ttf", "方正小标宋简体.ttf", "fzxiaobiaosong-b05s.ttf"),
                          office=True)
_SUNGTI = Candidate("AR PL SungtiL GB", ("gbsn00lp.ttf",))
_UMING = Candidate("AR PL UMing CN", ("uming.ttc",))
# Fandol (TeX Live, GPL with the font exception): full GB2312 coverage, OpenType CFF.
_FANDOL_FANG = Candidate("FandolFang", ("fandolfang-regular.otf",), cff=True)
_FANDOL_SONG_BOLD = Candidate("FandolSong Bold", ("fandolsong-bold.otf",), cff=True)
_CWFS = Candidate("cwTeX 仿宋体", ("cwfs.ttf",))  # a 仿宋 with rarer characters (滘), lacks a third of GB2312
_WQY = Candidate("WenQuanYi Micro Hei", ("wqy-microhei.ttc",))
_LXGW = Candidate("LXGW WenKai", ("lxgwwenkai-regular.ttf",))
_UKAI = Candidate("AR PL UKai CN", ("ukai.ttc",))
_DROID = Candidate("Droid Sans Fallback", ("droidsansfallbackfull.ttf", "droidsansfallback.ttf"))
_DEJAVU = Candidate("DejaVu Sans", ("dejavusans.ttf",))

CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    # A bold 宋 is the usual stand-in for 小标宋; a regular 宋 only when there is none.
    "title": (_XIAOBIAOSONG, _FANDOL_SONG_BOLD, _SIMSUN, _SUNGTI, _UMING),
    "body": (_FANGSONG, _FANDOL_FANG, _SUNGTI, _SIMSUN, _UMING),
    "heading1": (_SIMHEI, _WQY),
    "heading2": (_KAITI, _LXGW, _UKAI),
    "page_number": (_SIMSUN, _SUNGTI, _UMING),
}
# For a character the role's face lacks: first the faces of the same style …
STYLE_FALLBACKS: dict[str, tuple[Candidate, ...]] = {
    "title": (_XIAOBIAOSONG, _FANDOL_SONG_BOLD),
    "body": (_FANGSONG, _FANDOL_FANG, _CWFS),
    "heading1": (_SIMHEI, _WQY),
    "heading2": (_KAITI, _LXGW, _UKAI),
    "page_number": (_SIMSUN, _SUNGTI),
}
# … then these, in order (≥, rare hanzi, …): 宋 faces first, the plainest style.
FALLBACK_CANDIDATES = (_SIMSUN, _SUNGTI, _UMING, _WQY, _LXGW, _UKAI, _DROID, _DEJAVU)


class FontError(RuntimeError):
    """No usable font for a role; ``str(err)`` is a Chinese sentence."""


class FontFace(NamedTuple):
    """One chosen font: its family name (what Qt and fontconfig call it), file and TTC index.

    For a CFF font ``source`` is the font as installed and ``path`` its TrueType conversion
    in the cache, which :func:`register` makes when it is not there yet."""

    role: str
    family: str
    path: Path
    subfont: int = 0
    office: bool = False
    source: Path | None = None

    @property
    def rl_name(self) -> str:
        """The name registered with reportlab (unique per file + index)."""
        name = _RL_NAMES.get((self.path, self.subfont))
        if name is None:
            name = _RL_NAMES[self.path, self.subfont] = f"nz-{self.path.stem}-{self.subfont}"
        return name


_RL_NAMES: dict[tuple[Path, int], str] = {}


class FontSet:
    """The faces for each role plus fallback chains for characters a face lacks: per role the
    faces of the same style (``style``), then the general ``fallbacks``."""

    __slots__ = ("faces", "fallbacks", "style", "_chains")

    def __init__(self, faces: dict[str, FontFace], fallbacks: tuple[FontFace, ...] = (),
                 style: dict[str, tuple[FontFace, ...]] | None = None) -> None:
        self.faces = faces
        self.fallbacks = fallbacks
        self.style = style or {}
        self._chains: dict[str, tuple[FontFace, ...]] = {}

    def chain(self, role: str) -> tuple[FontFace, ...]:
        """The faces tried, in order, for a character the role's face lacks."""
        chain = self._chains.get(role)
        if chain is None:
            main = self.faces[role]
            seen = {(main.path, main.subfont)}
            out = []
            for face in (*self.style.get(role, ()), *self.fallbacks):
                if (face.path, face.subfont) not in seen:
                    seen.add((face.path, face.subfont))
                    out.append(face)
            chain = self._chains[role] = tuple(out)
        return chain

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FontSet):
            return NotImplemented
        return self.faces == other.faces and self.fallbacks == other.fallbacks and self.style == other.style

    __hash__ = None  # type: ignore[assignment]  # holds a dict

    def __repr__(self) -> str:
        return f"FontSet(faces={self.faces!r}, fallbacks={self.fallbacks!r})"

    def __getitem__(self, role: str) -> FontFace:
        return self.faces[role]

    @property
    def all_office(self) -> bool:
        return all(f.office for f in self.faces.values())

    def describe(self) -> list[str]:
        """One Chinese line per role, for the window and the CLI."""
        out = []
        for role in ROLES:
            face = self.faces[role]
            kind = "办公字体" if face.office else "替代字体"
            out.append(f"{ROLE_NAMES[role]}：{face.family}（{kind}，{face.source or face.path}）")
        return out

    def used(self) -> dict[str, str]:
        return {role: f"{f.family} ({f.source or f.path})" for role, f in self.faces.items()}


def font_dirs() -> list[Path]:
    """Where fonts are looked for: Windows, the user's own, the system's, then ours."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    if sys.platform == "win32":
        dirs.append(Path("C:/Windows/Fonts"))
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [home / ".fonts", home / ".local" / "share" / "fonts", home / "Library" / "Fonts",
             Path("/Library/Fonts"), Path("/usr/local/share/fonts"), Path("/usr/share/fonts"),
             *_tex_font_dirs(), resource_path("fonts")]
    extra = os.environ.get("NANZHOU_FONT_DIR")  # lets an office point at a shared folder
    if extra:
        dirs.insert(0, Path(extra))
    return dirs


def _tex_font_dirs() -> list[Path]:
    """TeX Live's Fandol fonts (Debian's texlive-lang-chinese, or a TeX Live of one's own);
    only that folder is listed, not the whole of TeX Live."""
    tail = Path("fonts/opentype/public/fandol")
    roots = [Path("/usr/share/texlive/texmf-dist"), Path("/usr/share/texmf"), Path("/Library/TeX/Root/texmf-dist")]
    for base in (Path("/usr/local/texlive"), Path("C:/texlive")):
        if base.is_dir():
            roots += sorted(base.glob("*/texmf-dist"), reverse=True)  # the newest year first
    return [root / tail for root in roots]


def _index(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first path found (earlier directories win)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _sub, files in os.walk(d):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc", ".otf")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def has_glyf(path: Path, subfont: int = 0) -> bool:
    """True when the font (or TTC member) has TrueType outlines, which reportlab can embed."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if subfont >= count:
                    return False
                fh.seek(12 + 4 * subfont)
                offset = struct.unpack(">I", fh.read(4))[0]
                fh.seek(offset)
                head = fh.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False  # 'OTTO' = CFF outlines, refused by reportlab
            num = struct.unpack(">H", head[4:6])[0]
            fh.seek(offset + 12)
            tags = {fh.read(16)[:4] for _ in range(num)}
            return b"glyf" in tags and b"cmap" in tags
    except (OSError, struct.error):
        return False


def _pick(role: str, candidates: Iterable[Candidate], index: dict[str, Path], *,
          converted_only: bool = False) -> FontFace | None:
    """The first candidate found.  A CFF candidate is used through its conversion (when the
    converter is installed); with ``converted_only`` only once converted (a fallback face
    must not start a conversion in the middle of a print)."""
    for cand in candidates:
        for fname in cand.files:
            path = index.get(fname.lower())
            if path is None:
                continue
            if cand.cff:
                from nanzhou_desktop.render import fontconvert

                if not fontconvert.is_cff(path) or not fontconvert.available():
                    continue
                ttf = fontconvert.converted_path(path, cache_dir() / "ttf")
                if ttf is None or converted_only and not ttf.exists():
                    continue
                return FontFace(role, cand.family, ttf, 0, cand.office, source=path)
            if has_glyf(path, cand.subfont):
                return FontFace(role, cand.family, path, cand.subfont, cand.office)
    return None


_lock = threading.Lock()
_found: FontSet | None = None


def find_fonts(*, dirs: list[Path] | None = None, refresh: bool = False) -> FontSet:
    """Choose a font for each role.  Raises :class:`FontError` when a role has none."""
    global _found
    with _lock:
        if _found is not None and dirs is None and not refresh:
            return _found
        index = _index(dirs if dirs is not None else font_dirs())
        faces: dict[str, FontFace] = {}
        for role in ROLES:
            face = _pick(role, CANDIDATES[role], index)
            if face is None:
                names = "、".join(c.family for c in CANDIDATES[role])
                raise FontError(f"找不到可用于{ROLE_NAMES[role]}的中文字体（需要以下之一：{names}）；"
                                "请安装办公字体或运行 make run 安装免费中文字体")
            faces[role] = face
        fallbacks = []
        for cand in FALLBACK_CANDIDATES:
            face = _pick("fallback", (cand,), index)
            if face is not None:
                fallbacks.append(face)
        style = {}
        for role, cands in STYLE_FALLBACKS.items():
            chosen = [faces[role]]
            for cand in cands:
                face = _pick("fallback", (cand,), index, converted_only=True)
                if face is not None and (face.path, face.subfont) != (faces[role].path, faces[role].subfont):
                    chosen.append(face)
            style[role] = tuple(chosen[1:])
        result = FontSet(faces, tuple(fallbacks), style)
        if dirs is None:
            _found = result
        return result


# -- reportlab registration (cached per process) ---------------------------------------

# Bump when the cache layout changes; the key also holds reportlab's version, so a new
# reportlab never reads an old parse.
CACHE_FORMAT = 3
_MAGIC = b"NZFONT3\n"
_U32 = next(t for t in "IL" if array(t).itemsize == 4)
# The parsed face's five big tables (20-50 thousand entries each for a CJK font).  They are
# cached as flat arrays, not marshalled dicts and lists: rebuilding those took 15-25 ms per
# font, mostly allocating objects (and the garbage collections that provokes), for the few
# hundred characters a report prints.
_BIG = ("charToGlyph", "charWidths", "glyphToChar", "hmetrics", "glyphPos")


def cache_dir() -> Path:
    """Where parsed font metrics are kept between runs, per user: under %LOCALAPPDATA% on
    Windows, else $XDG_CACHE_HOME or ~/.cache.  Found without platformdirs, which the other
    user folders use: importing it (tempfile and more) would cost every print several ms."""
    env = os.environ.get("NANZHOU_CACHE_DIR")
    if env:
        return Path(env) / "fonts"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "nanzhou-desktop" / "fonts"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nanzhou-desktop" / "fonts"


def _cache_file(path: str, subfont: int) -> Path | None:
    import hashlib

    from reportlab import Version

    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (f"{CACHE_FORMAT}|{Version}|{sys.byteorder}|{os.path.abspath(path)}|{subfont}|{st.st_size}|"
           f"{st.st_mtime_ns}")
    return cache_dir() / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".nzfont")


class _ArrayMap(Mapping):
    """A code → value mapping over two parallel arrays (codes sorted), standing in for one of
    reportlab's per-font dicts.  Loading it is a memory copy; a lookup is a binary search,
    and reportlab and :class:`~nanzhou_desktop.render.grid.GridText` look up each printed
    character only once or twice.  The first write (reportlab adds entries only when
    shaping) turns it into a plain dict."""

    __slots__ = ("_keys", "_values", "_as_int", "_dict")

    def __init__(self, keys, values, as_int: bool) -> None:
        self._keys = keys  # arrays or memoryviews (indexable, sorted)
        self._values = values
        self._as_int = as_int  # the values are ints stored as doubles
        self._dict: dict | None = None

    def __getitem__(self, key):
        if self._dict is not None:
            return self._dict[key]
        keys = self._keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            v = self._values[i]
            return int(v) if self._as_int else v
        raise KeyError(key)

    def get(self, key, default=None):
        if self._dict is not None:
            return self._dict.get(key, default)
        keys = self._keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            v = self._values[i]
            return int(v) if self._as_int else v
        return default

    def __contains__(self, key) -> bool:
        if self._dict is not None:
            return key in self._dict
        keys = self._keys
        i = bisect_left(keys, key)
        return i < len(keys) and keys[i] == key

    def __iter__(self):
        return iter(self._dict if self._dict is not None else self._keys)

    def __len__(self) -> int:
        return len(self._dict if self._dict is not None else self._keys)

    def __setitem__(self, key, value) -> None:
        if self._dict is None:
            self._dict = dict(self.items())
        self._dict[key] = value


class _Metrics(Sequence):
    """reportlab's ``hmetrics`` list of (advance, left side bearing) per glyph.  reportlab
    stores the advance unscaled (an int) for the glyphs with a full entry, and for the rest
    the last full advance scaled (a float unless units per em is 1000): ``tail``."""

    __slots__ = ("_aw", "_tail", "_lsb")

    def __init__(self, aw, tail, lsb) -> None:
        self._aw = aw
        self._tail = tail
        self._lsb = lsb

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self._lsb)))]
        lsb = self._lsb[i]  # IndexError as a list would
        if i < 0:
            i += len(self._lsb)
        return (self._aw[i] if i < len(self._aw) else self._tail), lsb

    def __len__(self) -> int:
        return len(self._lsb)


class _Window:
    """A table of a memory-mapped font file, sliced without copying the whole table:
    reportlab's subsetter takes the ``glyf`` table (5-15 MB) once per 256-character subset
    only to slice out the glyphs it embeds."""

    __slots__ = ("_data", "_pos", "_len")

    def __init__(self, data, pos: int, length: int) -> None:
        self._data, self._pos, self._len = data, pos, length

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, s: slice) -> bytes:
        start, stop, step = s.indices(self._len)
        if step != 1:
            raise ValueError("only contiguous slices of a font table")
        return self._data[self._pos + start:self._pos + max(start, stop)]


def _face_class():
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedFace(TTFontFace):
        """A TTFontFace rebuilt from the cache; the glyph-to-character table, which only text
        shaping uses, is unpacked on first use."""

        def __getattr__(self, name: str):
            if name == "glyphToChar":
                import marshal
                import zlib

                data, crc, subfont = self.__dict__.pop("_glyph_to_char_data")
                if zlib.crc32(data) == crc:
                    value = marshal.loads(data)
                else:  # a damaged cache file: parse the font again for it
                    value = TTFontFace(self.filename, validate=0, subfontIndex=subfont).glyphToChar
                self.__dict__["glyphToChar"] = value
                return value
            raise AttributeError(name)

        def get_table(self, tag: str):
            if tag == "glyf":
                pos, length = self.get_table_pos(tag)
                return _Window(self._ttf_data, pos, length)
            return super().get_table(tag)

        def makeSubset(self, subset):  # noqa: N802 - reportlab API
            return _make_subset(self, subset)

        def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 - reportlab API
            ref = super().addSubsetObjects(doc, fontname, subset)
            from reportlab.pdfbase import pdfdoc

            stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
            if stream is not None and stream.filters == [pdfdoc.PDFZCompress] and isinstance(stream.content, bytes):
                stream.filters = [Deflating(stream.content)]
            return ref

    return CachedFace


class Deflating:
    """reportlab's FlateDecode filter for one embedded font program, compressed on a thread
    of its own from the moment the subset is made.  Font programs are most of the bytes
    compressed (0.8 of 1 MB for the example: ~20 ms); zlib lets other threads run while it
    works, so compression overlaps with writing the pages and uses both cores while the
    writer waits for the last ones.  Same bytes as reportlab's filter (``zlib.compress``,
    of the UTF-8 text for a str) on the writing thread.

    Measured with rl-accel (bench/print_variant.py ``no-deflate``, 15 paired runs on a busy
    2-core machine): the example's print took 553 ms of CPU with reportlab compressing on
    the writing thread against 529 ms with this, and 1,492 against 1,317 ms wall."""

    pdfname = "FlateDecode"

    def __init__(self, data: bytes | str) -> None:
        import _thread
        import threading

        self._data = data
        self._result: bytes | None = None
        self._done = threading.Lock()
        self._done.acquire()  # released when compressed
        _thread.start_new_thread(self._run, ())  # no start-up handshake (threading.Thread waits for one)

    def _run(self) -> None:
        import zlib

        try:
            data = self._data
            self._result = zlib.compress(data.encode("utf8") if isinstance(data, str) else data)
        except Exception:  # noqa: BLE001 - MemoryError …: encode() compresses on its own
            pass
        finally:
            self._done.release()

    def encode(self, text) -> bytes:
        import zlib

        with self._done:
            pass
        if text is self._data and self._result is not None:
            return self._result
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text)

    @staticmethod
    def decode(encoded: bytes) -> bytes:
        import zlib

        return zlib.decompress(encoded)


def _checksum(data: bytes) -> int:
    """A TrueType table checksum (sum of big-endian 32-bit words mod 2**32), as reportlab's
    calcChecksum computes it."""
    if len(data) & 3:
        data = bytes(data) + b"\0" * (4 - (len(data) & 3))
    words = array(_U32)
    words.frombytes(data)
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _font_maker():
    from io import BytesIO
    from struct import pack

    from reportlab.pdfbase.ttfonts import TTFontMaker

    class FontMaker(TTFontMaker):
        """reportlab's TrueType file writer with a faster checksum (the same file): each table
        is summed once, as 32-bit words in an array.  reportlab's, even with its checksums in
        C (rl-accel), sums the whole file a second time: 550 ms of CPU for the example's
        print against 515 ms (bench/bench_print.py, 15 paired runs)."""

        def makeStream(self):  # noqa: N802 - reportlab API
            stm = BytesIO()
            write = stm.write
            tables = self.tables
            num_tables = len(tables)
            search_range, entry_selector = 1, 0
            while search_range * 2 <= num_tables:
                search_range *= 2
                entry_selector += 1
            search_range *= 16
            range_shift = num_tables * 16 - search_range
            write(pack(">lHHHH", 0x00010000, num_tables, search_range, entry_selector, range_shift))
            offset = 12 + num_tables * 16
            items = sorted(tables.items())
            head_start = 0
            total = 0
            for tag, data in items:
                if tag == "head":
                    head_start = offset
                checksum = _checksum(data)
                total += checksum
                write(bytes(tag, "latin1"))
                write(pack(">LLL", checksum, offset, len(data)))
                offset += (len(data) + 3) & ~3
            # The whole file's checksum is the directory's plus the tables' (each padded to
            # four bytes as checksummed): no second pass over the glyphs.
            total += _checksum(stm.getvalue())
            for _tag, data in items:
                data += b"\0\0\0"
                write(data[:len(data) & ~3])
            checksum = (0xB1B0AFBA - total) & 0xFFFFFFFF
            stm.seek(head_start + 8)
            write(pack(">L", checksum))
            return stm.getvalue()

    return FontMaker


_FontMaker = None


def font_maker():
    """reportlab's TrueType file writer (with the faster checksum): ``font_maker()()``,
    then ``add(tag, data)`` per table and ``makeStream()``."""
    global _FontMaker
    if _FontMaker is None:
        _FontMaker = _font_maker()
    return _FontMaker


# Composite-glyph component flags of the TrueType 'glyf' table (OpenType specification).
_ARG_1_AND_2_ARE_WORDS, _WE_HAVE_A_SCALE, _WE_HAVE_AN_X_AND_Y_SCALE, _WE_HAVE_A_TWO_BY_TWO = 0x01, 0x08, 0x40, 0x80


def _component_args_size(flags: int) -> int:
    """Bytes of a composite glyph component's arguments and transform, after its flags and index."""
    size = 4 if flags & _ARG_1_AND_2_ARE_WORDS else 2
    if flags & _WE_HAVE_A_SCALE:
        return size + 2
    if flags & _WE_HAVE_AN_X_AND_Y_SCALE:
        return size + 4
    if flags & _WE_HAVE_A_TWO_BY_TWO:
        return size + 8
    return size

def _make_subset(face, subset) -> bytes:
    """reportlab's TTFontFile.makeSubset (5.1.0) for a cached face: the same font file,
    reading glyph headers straight from the mapped file and the metrics from the cache's
    arrays instead of through reportlab's read position (a tenth of saving the PDF went
    there).  tests/core/test_render_fonts.py compares the two.  With rl-accel, reportlab's
    own makeSubset and font writer on the same cached faces took the example's print 554 ms
    of CPU against 515 ms (bench/bench_print.py, 15 paired runs)."""
    from struct import pack, unpack_from

    from reportlab.pdfbase.ttfonts import (
        GF_MORE_COMPONENTS,
        _set_ushort,
    )

    output = font_maker()()
    char_to_glyph = face.charToGlyph.get
    glyph_map = [0]  # new glyph index -> old glyph index
    glyph_set = {0: 0}  # old glyph index -> new glyph index
    code_to_glyph = {}
    for code in subset:
        old = char_to_glyph(code, 0)
        if old not in glyph_set:
            glyph_set[old] = len(glyph_map)
            glyph_map.append(old)
        code_to_glyph[code] = glyph_set[old]

    # Also include glyphs that are parts of composite glyphs.
    data = face._ttf_data
    start, table_length = face.get_table_pos("glyf")
    glyph_pos = face.glyphPos
    n = 0
    while n < len(glyph_map):
        old = glyph_map[n]
        pos = glyph_pos[old]
        n += 1
        if glyph_pos[old + 1] == pos:
            continue
        at = start + pos
        if unpack_from(">h", data, at)[0] < 0:  # composite glyph
            at += 10
            flags = GF_MORE_COMPONENTS
            while flags & GF_MORE_COMPONENTS:
                flags, index = unpack_from(">HH", data, at)
                at += 4
                if index not in glyph_set:
                    glyph_set[index] = len(glyph_map)
                    glyph_map.append(index)
                at += _component_args_size(flags)

    for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):  # copied as they are
        try:
            output.add(tag, face.get_table(tag))
        except KeyError:
            pass  # cvt, fpgm and prep are optional
    output.add("post", b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16)

    num_glyphs = len(glyph_map)
    metrics = face.hmetrics
    hmtx = []
    if isinstance(metrics, _Metrics):  # the cache's arrays, read directly
        aw_of, lsb_of, full, tail = metrics._aw, metrics._lsb, len(metrics._aw), metrics._tail
        for old in glyph_map:
            hmtx.append(int(aw_of[old] if old < full else tail))
            hmtx.append(int(lsb_of[old]))
    else:
        for old in glyph_map:
            aw, lsb = metrics[old]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
    n = len(hmtx) - 2
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2
    number_of_hmetrics = n >> 1
    hmtx = hmtx[:n] + hmtx[n + 1::2]
    output.add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
    output.add("hhea", _set_ushort(face.get_table("hhea"), 34, number_of_hmetrics))
    output.add("maxp", _set_ushort(face.get_table("maxp"), 4, num_glyphs))

    entry_count = len(subset)
    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entry_count * 2, 0, 0, entry_count, *map(code_to_glyph.get, subset)]
    output.add("cmap", pack(f">{len(cmap)}H", *cmap))

    offsets = []
    glyf = []
    pos = 0
    for old in glyph_map:
        offsets.append(pos)
        at = glyph_pos[old]
        length = glyph_pos[old + 1] - at
        # sliced within the glyf table, as reportlab slices the table
        glyph = data[start + min(at, table_length):start + min(at + length, table_length)]
        if length > 2 and unpack_from(">h", glyph)[0] < 0:  # composite: renumber its parts
            at = 10
            flags = GF_MORE_COMPONENTS
            while flags & GF_MORE_COMPONENTS:
                flags, index = unpack_from(">HH", glyph, at)
                glyph = _set_ushort(glyph, at + 2, glyph_set[index])
                at += 4 + _component_args_size(flags)
        glyf.append(glyph)
        pos += length
        if pos % 4:
            glyf.append(b"\0" * (4 - pos % 4))
            pos += 4 - pos % 4
    offsets.append(pos)
    output.add("glyf", b"".join(glyf))
    if (pos + 1) >> 1 > 0xFFFF:
        index_to_loc_format = 1  # long offsets
        loca = pack(f">{len(offsets)}L", *offsets)
    else:
        index_to_loc_format = 0
        loca = pack(f">{len(offsets)}H", *[o >> 1 for o in offsets])
    output.add("loca", loca)
    output.add("head", _set_ushort(face.get_table("head"), 50, index_to_loc_format))
    return output.makeStream()


_CachedFace = None


def _first_float(values: list) -> int | None:
    """Index where a run of ints turns into floats (len when all ints); None if mixed."""
    k = next((i for i, v in enumerate(values) if type(v) is not int), len(values))
    if all(type(v) is float for v in values[k:]):
        return k
    return None


def _int_array(values) -> array:
    """Unsigned ints in the narrowest array that holds them (ushort or 32 bits)."""
    values = list(values)
    return array("H" if not values or 0 <= min(values) and max(values) <= 0xFFFF else _U32, values)


def _pack_face(face, subfont: int) -> bytes | None:
    """The cache file for a parsed face; None when its tables do not have the shape the cache
    format expects (the font is then parsed on every run: slower, still right).

    Layout: magic, header length, marshalled header (the small attributes, where each
    array lies, checksums), then the arrays, each at a multiple of 8 bytes, and last the
    glyph-to-character table (marshalled; only text shaping uses it)."""
    import marshal
    import zlib

    from reportlab.pdfbase.ttfonts import TTFNameBytes

    attrs = vars(face)
    state, names = {}, []
    for k, v in attrs.items():
        if k in _BIG or k in ("_ttf_data", "_pdfScale"):
            continue
        if isinstance(v, TTFNameBytes):
            names.append(k)
            v = bytes(v)
        state[k] = v
    state["__name_bytes__"] = names
    try:
        c2g: dict = attrs["charToGlyph"]
        widths: dict = attrs["charWidths"]
        hm: list = attrs["hmetrics"]
        codes = sorted(c2g)
        wcodes = sorted(widths)
        w_values = [widths[c] for c in wcodes]
        w_int = _first_float(w_values)
        aw = [a for a, _ in hm]
        aw_int = _first_float(aw)
        # reportlab gives every glyph past the full metrics the same (scaled) advance
        if w_int not in (0, len(w_values)) or aw_int is None or len(set(aw[aw_int:])) > 1:
            return None
        widths_int = w_int == len(w_values)
        arrays = {
            "codes": _int_array(codes), "glyphs": _int_array(c2g[c] for c in codes),
            "wcodes": _int_array(wcodes) if wcodes != codes else None,
            "widths": _int_array(w_values) if widths_int else array("d", w_values),
            "aw": _int_array(aw[:aw_int]), "lsb": _int_array(b for _, b in hm), "glyphPos": _int_array(attrs["glyphPos"]),
        }
        tail = aw[aw_int] if aw_int < len(aw) else None
        blobs = [(name, a.typecode, a.tobytes()) for name, a in arrays.items() if a is not None]
        g2c = marshal.dumps(attrs["glyphToChar"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    sections, parts, offset = {}, [], 0
    for name, kind, data in blobs:
        pad = -offset % 8
        parts += [b"\0" * pad, data]
        offset += pad
        sections[name] = (kind, offset, len(data))
        offset += len(data)
    payload = b"".join(parts)
    header = marshal.dumps({
        "state": state, "sections": sections, "subfont": subfont, "aw_tail": tail, "n_glyphs": len(aw),
        "crc": zlib.crc32(payload), "g2c": (len(payload), len(g2c), zlib.crc32(g2c)),
    })
    return _MAGIC + len(header).to_bytes(4, "little") + header + payload + g2c


def _unpack_face(data, path: str):
    """The face from a cache file (bytes or a read-only map of it, which the tables then
    view without copying); raises ValueError (or KeyError …) when it is not whole."""
    import marshal
    import zlib

    from reportlab.pdfbase.ttfonts import TTFNameBytes

    global _CachedFace
    if data[:len(_MAGIC)] != _MAGIC:
        raise ValueError("not a font cache")
    start = len(_MAGIC) + 4
    hlen = int.from_bytes(data[len(_MAGIC):start], "little")
    header = marshal.loads(data[start:start + hlen])
    view = memoryview(data)[start + hlen:]
    g2c_at, g2c_len, g2c_crc = header["g2c"]
    payload = view[:g2c_at]
    if len(view) != g2c_at + g2c_len or zlib.crc32(payload) != header["crc"]:
        raise ValueError("damaged font cache")
    tables = {}
    for name, (kind, offset, length) in header["sections"].items():
        if offset % 8 or offset + length > len(payload):
            raise ValueError("inconsistent font cache")
        tables[name] = payload[offset:offset + length].cast(kind)
    codes = tables["codes"]
    wcodes = tables.get("wcodes", codes)
    n = header["n_glyphs"]
    if not (len(codes) == len(tables["glyphs"]) and len(wcodes) == len(tables["widths"])
            and len(tables["lsb"]) == n and len(tables["glyphPos"]) == n + 1 and len(tables["aw"]) <= n):
        raise ValueError("inconsistent font cache")
    state = header["state"]
    for k in state.pop("__name_bytes__"):
        state[k] = TTFNameBytes(state[k])
    if _CachedFace is None:
        _CachedFace = _face_class()
    face = _CachedFace.__new__(_CachedFace)
    face.__dict__.update(state)
    face.charToGlyph = _ArrayMap(codes, tables["glyphs"], False)
    face.charWidths = _ArrayMap(wcodes, tables["widths"], False)
    face.hmetrics = _Metrics(tables["aw"], header["aw_tail"], tables["lsb"])
    face.glyphPos = tables["glyphPos"]
    face._glyph_to_char_data = (view[g2c_at:], g2c_crc, header["subfont"])
    # Mapped, not read: subsetting touches only the glyphs printed, a few hundred KB of a
    # 15 MB font.  reportlab only slices and indexes the data, which a read-only map supports.
    with open(path, "rb") as fh:
        face._ttf_data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    per_em = face.unitsPerEm
    face._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x, m=1000 / per_em: x * m)
    return face


def _cached_face(path: str, subfont: int):
    """Parsing a CJK TrueType font is the main cost of a first render (0.05-0.15 s each);
    its metrics are cached on disk keyed by file, size, mtime and reportlab version.  Any
    problem with the cache just means parsing again.

    Measured with rl-accel (bench/bench_print.py, 15 paired runs on a busy 2-core VM): the
    example's print took 515 ms of CPU and 58.5 MiB at peak with the cache, 1,054 ms and
    153.6 MiB with reportlab's own TTFont parsing every font at each print; the first print,
    which also writes the cache, 1,243 ms."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    cache = _cache_file(path, subfont)
    if cache is not None:
        try:
            with open(cache, "rb") as fh:
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            return _unpack_face(data, path)
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
            pass
    face = TTFontFace(path, validate=0, subfontIndex=subfont)
    if cache is not None:
        try:
            data = _pack_face(face, subfont)
            if data is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, cache)
                for old in cache.parent.iterdir():  # files of earlier cache formats
                    if old.suffix in (".marshal", ".nzfont") and old.read_bytes()[:len(_MAGIC)] != _MAGIC:
                        old.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # read-only home, full disk: render anyway
    return face


@cache
def _cached_font_class():
    from reportlab.pdfbase.ttfonts import TTFont

    class CachedFont(TTFont):
        """A TTFont over a cached face.  reportlab's C accelerator (rl-accel) measures strings
        only from a real dict of widths; the cache keeps them in arrays, so these fonts
        measure in Python, as reportlab does without the accelerator.  A print measures ~45
        strings this way (platypus tables; the body goes through GridText): ~1 ms.  Turning
        the arrays into dicts instead cost the example's print 4 % more CPU and 10 MiB more
        memory (529 against 509 ms, 68.7 against 58.5 MiB: bench/print_variant.py, 15 paired
        runs)."""

        def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 - reportlab API
            if not isinstance(text, str):
                text = text.decode(encoding or "utf8")
            get, default = self.face.charWidths.get, self.face.defaultWidth
            return 0.001 * size * sum(get(ord(u), default) for u in text)

    return CachedFont


@cache
def _load(path: str, subfont: int, name: str, use_cache: bool = True):  # -> reportlab TTFont
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

    if not use_cache:
        font = TTFont(name, path, subfontIndex=subfont)
    else:
        # What TTFont.__init__ does, with the face from the cache (reportlab is pinned;
        # tests/core/test_render_fonts.py compares the result with a freshly parsed font).
        font = _cached_font_class().__new__(_cached_font_class())
        font.fontName = name
        font.face = _cached_face(path, subfont)
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        font.shapable = not any(fnmatch(name, g) for g in rl_config.unShapedFontGlob)
    pdfmetrics.registerFont(font)
    return font


def substitution_note(substituted: dict[str, tuple[str, str]]) -> str:
    """One Chinese sentence about characters printed in another face than their role's
    (``PdfInfo.substituted``: char → (role, family)); '' when there are none."""
    if not substituted:
        return ""
    groups: dict[tuple[str, str], list[str]] = {}
    for ch, (role, family) in sorted(substituted.items()):
        groups.setdefault((role, family), []).append(ch)
    parts = []
    for (role, family), chars in groups.items():
        shown = "".join(chars[:20]) + ("……" if len(chars) > 20 else "")
        parts.append(f"{ROLE_NAMES.get(role, role).split('（')[0]}中的“{shown}”用 {family} 打印")
    return (f"有 {len(substituted)} 个字所选字体中没有，改用相近字体：" + "；".join(parts)
            + "。如需统一字形，可安装办公字体（仿宋、方正小标宋等）。")


def pending_conversions(fonts: FontSet) -> list[tuple[Path, Path]]:
    """(CFF source, TrueType path) of the role faces not converted yet."""
    out = []
    for face in fonts.faces.values():
        if face.source is not None and not face.path.exists() and (face.source, face.path) not in out:
            out.append((face.source, face.path))
    return out


def prepare(fonts: FontSet) -> None:
    """Convert the role faces that need it (the first print with Fandol: seconds, once).
    Raises :class:`FontError` with a Chinese sentence."""
    pending = pending_conversions(fonts)
    if pending:
        from nanzhou_desktop.render import fontconvert

        try:
            fontconvert.convert_all(pending)
        except fontconvert.ConversionError as exc:
            raise FontError(str(exc)) from exc


def register(face: FontFace):
    """Load ``face`` into reportlab once per process and return the TTFont."""
    if face.source is not None and not face.path.exists():
        prepare(FontSet({face.role: face}))
    with _lock:
        return _load(str(face.path), face.subfont, face.rl_name)


def covers(face: FontFace, char: str) -> bool:
    return ord(char) in register(face).face.charToGlyph


def font_for(fonts: FontSet, role: str, char: str) -> FontFace | None:
    """The role's face if it has ``char``, else the first face of the role's fallback chain
    (same style first) that has it, else None."""
    face = fonts[role]
    if covers(face, char):
        return face
    for fb in fonts.chain(role):
        if covers(fb, char):
            return fb
    return None


def ink_box(face: FontFace, char: str) -> tuple[float, float, float, float] | None:
    """The bounding box of ``char``'s outline in ``face`` (xMin, yMin, xMax, yMax, in 1/1000
    em from the origin on the baseline), read from its 'glyf' entry; None for a character
    the face lacks or a glyph without outline.  Used to place marks by their ink (the 一字线
    of the page number is 7 mm below the text block)."""
    from struct import unpack_from

    tt = register(face).face
    gid = tt.charToGlyph.get(ord(char))
    if not gid:
        return None
    start, _length = tt.get_table_pos("glyf")
    pos = tt.glyphPos[gid]
    if tt.glyphPos[gid + 1] == pos:
        return None
    _n, x0, y0, x1, y1 = unpack_from(">hhhhh", tt._ttf_data, start + pos)
    scale = 1000 / tt.unitsPerEm
    return x0 * scale, y0 * scale, x1 * scale, y1 * scale


def missing(fonts: FontSet, role: str, text: str) -> set[str]:
    """Characters of ``text`` that neither the role's face nor any fallback can print."""
    return {c for c in set(text) if not c.isspace() and font_for(fonts, role, c) is None}


def main() -> int:
    """``python -m nanzhou_desktop.render.fonts``: convert the faces the report would print
    with that need it and are not converted yet (what ``make venv`` runs), then list the faces."""
    try:
        fonts = find_fonts()
        pending = pending_conversions(fonts)
        if pending:
            names = "、".join(src.stem for src, _ in pending)
            print(f"正在把字体 {names} 转换为 TrueType 轮廓（只需一次）……", flush=True)
            prepare(fonts)
    except FontError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for line in fonts.describe():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
