"""Which fonts print the report, and registering them with reportlab once per process.

GB/T 9704 names four faces: 小标宋 (title), 仿宋 (body), 黑体 (一、 headings), 楷体 ((一)
headings), plus 宋体 for page numbers.  Government PCs have the Windows files; when they are
absent we fall back to free TrueType fonts (Debian packages or ``resources/fonts/``).
reportlab embeds only glyf-outline TrueType, so every candidate is checked for a ``glyf``
table before it is chosen (reading the table directory only: cheap).

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from nanzhou_desktop.resources import resource_path

ROLES = ("title", "body", "heading1", "heading2", "page_number")
ROLE_NAMES = {
    "title": "标题（小标宋）",
    "body": "正文（仿宋）",
    "heading1": "一级标题（黑体）",
    "heading2": "二级标题（楷体）",
    "page_number": "页码（宋体）",
}


@dataclass(frozen=True)
class Candidate:
    family: str
    files: tuple[str, ...]  # lower-case file names to look for
    subfont: int = 0
    office: bool = False  # one of the usual office (Windows) fonts


# Order matters: office fonts first, then the free fallbacks.
_FANGSONG = Candidate("FangSong", ("simfang.ttf", "fangsong_gb2312.ttf", "fsgb2312.ttf"), office=True)
_SIMHEI = Candidate("SimHei", ("simhei.ttf",), office=True)
_KAITI = Candidate("KaiTi", ("simkai.ttf", "kaiti_gb2312.ttf", "kaiti.ttf"), office=True)
_SIMSUN = Candidate("SimSun", ("simsun.ttc", "simsun.ttf"), office=True)
_XIAOBIAOSONG = Candidate("方正小标宋简体", ("fzxbsjw.ttf", "fzxbsk.ttf", "方正小标宋简体.ttf", "fzxiaobiaosong-b05s.ttf"),
                          office=True)
_SUNGTI = Candidate("AR PL SungtiL GB", ("gbsn00lp.ttf",))
_UMING = Candidate("AR PL UMing CN", ("uming.ttc",))
_WQY = Candidate("WenQuanYi Micro Hei", ("wqy-microhei.ttc",))
_LXGW = Candidate("LXGW WenKai", ("lxgwwenkai-regular.ttf",))
_UKAI = Candidate("AR PL UKai CN", ("ukai.ttc",))
_DROID = Candidate("Droid Sans Fallback", ("droidsansfallbackfull.ttf", "droidsansfallback.ttf"))
_DEJAVU = Candidate("DejaVu Sans", ("dejavusans.ttf",))

CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "title": (_XIAOBIAOSONG, _SIMSUN, _SUNGTI, _UMING),
    "body": (_FANGSONG, _SUNGTI, _SIMSUN, _UMING),
    "heading1": (_SIMHEI, _WQY),
    "heading2": (_KAITI, _LXGW, _UKAI),
    "page_number": (_SIMSUN, _SUNGTI, _UMING),
}
# Tried, in order, for a character the role's own font lacks (≥, rare hanzi, …).
FALLBACK_CANDIDATES = (_SIMSUN, _SUNGTI, _WQY, _UMING, _LXGW, _UKAI, _DROID, _DEJAVU)


class FontError(RuntimeError):
    """No usable font for a role; ``str(err)`` is a Chinese sentence."""


@dataclass(frozen=True)
class FontFace:
    """One chosen font: its family name (what Qt and fontconfig call it), file and TTC index."""

    role: str
    family: str
    path: Path
    subfont: int = 0
    office: bool = False

    @cached_property
    def rl_name(self) -> str:
        """The name registered with reportlab (unique per file + index)."""
        return f"nz-{self.path.stem}-{self.subfont}"


@dataclass(frozen=True)
class FontSet:
    """The faces for each role plus a fallback chain for characters a face lacks."""

    faces: dict[str, FontFace]
    fallbacks: tuple[FontFace, ...] = field(default_factory=tuple)

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
            out.append(f"{ROLE_NAMES[role]}：{face.family}（{kind}，{face.path}）")
        return out

    def used(self) -> dict[str, str]:
        return {role: f"{f.family} ({f.path})" for role, f in self.faces.items()}


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
             resource_path("fonts")]
    extra = os.environ.get("NANZHOU_FONT_DIR")  # lets an office point at a shared folder
    if extra:
        dirs.insert(0, Path(extra))
    return dirs


def _index(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first path found (earlier directories win)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _sub, files in os.walk(d):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
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


def _pick(role: str, candidates: Iterable[Candidate], index: dict[str, Path]) -> FontFace | None:
    for cand in candidates:
        for fname in cand.files:
            path = index.get(fname.lower())
            if path is not None and has_glyf(path, cand.subfont):
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
        seen = {(f.path, f.subfont) for f in faces.values()}
        for cand in FALLBACK_CANDIDATES:
            face = _pick("fallback", (cand,), index)
            if face is not None and (face.path, face.subfont) not in seen:
                seen.add((face.path, face.subfont))
                fallbacks.append(face)
        result = FontSet(faces, tuple(fallbacks))
        if dirs is None:
            _found = result
        return result


# -- reportlab registration (cached per process) ---------------------------------------

CACHE_FORMAT = 1


def cache_dir() -> Path:
    """Where parsed font metrics are kept between runs (per user)."""
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
    key = f"{CACHE_FORMAT}|{Version}|{os.path.abspath(path)}|{subfont}|{st.st_size}|{st.st_mtime_ns}"
    return cache_dir() / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".marshal")


def _face_state(face) -> dict:
    """The parsed face as marshal-able data: everything but the file bytes and the scale lambda."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    state = {}
    names = []
    for k, v in vars(face).items():
        if k in ("_ttf_data", "_pdfScale"):
            continue
        if isinstance(v, TTFNameBytes):
            names.append(k)
            v = bytes(v)
        state[k] = v
    state["__name_bytes__"] = names
    return state


def _face_from_state(state: dict, path: str):
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    face = TTFontFace.__new__(TTFontFace)
    names = state.pop("__name_bytes__")
    for k in names:
        state[k] = TTFNameBytes(state[k])
    face.__dict__.update(state)
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
    problem with the cache just means parsing again."""
    import marshal

    from reportlab.pdfbase.ttfonts import TTFontFace

    cache = _cache_file(path, subfont)
    if cache is not None:
        try:
            return _face_from_state(marshal.loads(cache.read_bytes()), path)
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            pass
    face = TTFontFace(path, validate=0, subfontIndex=subfont)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(_face_state(face)))
            os.replace(tmp, cache)
        except (OSError, ValueError):
            pass  # read-only home, full disk: render anyway
    return face


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
        font = TTFont.__new__(TTFont)
        font.fontName = name
        font.face = _cached_face(path, subfont)
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        font.shapable = not any(fnmatch(name, g) for g in rl_config.unShapedFontGlob)
    pdfmetrics.registerFont(font)
    return font


def register(face: FontFace):
    """Load ``face`` into reportlab once per process and return the TTFont."""
    with _lock:
        return _load(str(face.path), face.subfont, face.rl_name)


def covers(face: FontFace, char: str) -> bool:
    return ord(char) in register(face).face.charToGlyph


def font_for(fonts: FontSet, role: str, char: str) -> FontFace | None:
    """The role's face if it has ``char``, else the first fallback that has it, else None."""
    face = fonts[role]
    if covers(face, char):
        return face
    for fb in fonts.fallbacks:
        if covers(fb, char):
            return fb
    return None


def missing(fonts: FontSet, role: str, text: str) -> set[str]:
    """Characters of ``text`` that neither the role's face nor any fallback can print."""
    return {c for c in set(text) if not c.isspace() and font_for(fonts, role, c) is None}
