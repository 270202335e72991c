"""Speed-ups around reportlab: its C accelerator (rl-accel) is installed, used, and writes the
same numbers as reportlab's pure-Python code; platypus is imported with its URI pattern
compiled on first use; Pillow is loaded only when used; HarfBuzz is not loaded for printing."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from reportlab.lib import rl_accel

EDGES = [0, 0.0, -0.0, 1e-7, -1e-7, 1.0000001e-7, 2e-7, -2e-7, 1, -1, 0.5, -0.5, 1.5, 10, 100, 1000, 1e4, 1e5, 1e6,
         1e7, 1e15, 1e20, 10**20, 999999.5, 99.99995, 0.1, 0.123456789, 0.9999999, 1.0000001, 9.9999995, 595.2755905511812,
         841.8897637795277, 16.0, -16.0, 453.5433070866142, 2.2675736961451247, True, False, 2**53 + 1, 123456789012]


def test_the_c_accelerator_is_used():
    """rl-accel is a dependency: reportlab's modules that write the PDF use its functions."""
    from reportlab.pdfbase import pdfdoc, ttfonts
    from reportlab.pdfgen import canvas, textobject

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
    assert set(rl_accel._c_funcs) >= {"fp_str", "calcChecksum", "escapePDF", "instanceStringWidthTTF"}
    for module in (canvas, textobject, pdfdoc, ttfonts):
        assert module.fp_str is rl_accel._c_funcs["fp_str"], module


def test_c_numbers_equal_reportlabs_python_numbers():
    """Every coordinate and size in the PDF goes through fp_str: the C version writes what
    reportlab's pure-Python one writes (that one computed in a process without rl-accel)."""
    rng = random.Random(19)
    values: list = list(EDGES)
    values += [rng.uniform(-1e6, 1e6) for _ in range(3000)] + [rng.uniform(-2, 2) for _ in range(2000)]
    values += [rng.randint(-10**12, 10**12) for _ in range(500)] + [10.0 ** k for k in range(-8, 9)]
    values += [round(rng.uniform(0, 900), k) for k in range(7) for _ in range(100)]
    code = ("import json, sys\nsys.modules['_rl_accel'] = None\nfrom reportlab.lib.rl_accel import fp_str\n"
            "vals = json.load(sys.stdin)\nprint(json.dumps([fp_str(v) for v in vals] + [fp_str(*vals[:10]), fp_str(vals)]))\n")
    r = subprocess.run([sys.executable, "-c", code], input=json.dumps(values), capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    python = json.loads(r.stdout)
    c = [rl_accel.fp_str(v) for v in json.loads(json.dumps(values))]
    c += [rl_accel.fp_str(*values[:10]), rl_accel.fp_str(values)]
    assert c == python


def test_platypus_patterns_deferred_and_the_same():
    """reportlab's uri_pat and textsplit.rx are our stand-ins (so the pattern texts still
    match reportlab's source) and match as the real patterns do; re's cache is left clean."""
    code = (
        "import re\n"
        "from nanzhou_desktop.render import platypus\n"
        "from reportlab.platypus import paragraph\n"
        "from reportlab.lib import textsplit\n"
        "for pat, text in ((paragraph.uri_pat, platypus.URI_PATTERN), (textsplit.rx, platypus.CJK_PATTERN)):\n"
        "    assert type(pat) is platypus.DeferredPattern and pat._compiled is None, type(pat)\n"
        "    assert not [k for k in re._cache if k[1] == text]\n"
        "real = re.compile(platypus.URI_PATTERN, re.I)\n"
        "assert type(real) is re.Pattern\n"
        "for u in ['http://example.com/a?b', 'https://例子.中国', 'ftp://1.2.3.4:21/x', 'mailto:x', 'HTTP://A.B',"
        " 'not a uri', 'http://-bad-.com', 'file:///tmp/x']:\n"
        "    assert bool(paragraph.uri_pat.match(u)) == bool(real.match(u)), u\n"
        "assert paragraph.uri_pat.flags == real.flags and paragraph.uri_pat.pattern == real.pattern\n"
        "cjk = re.compile(platypus.CJK_PATTERN, re.UNICODE)\n"
        "assert textsplit.rx.sub(r'\\1 ', '南洲a街道b') == cjk.sub(r'\\1 ', '南洲a街道b') == '南 洲 a街 道 b'\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr


def test_pillow_is_loaded_only_when_used(tmp_path):
    """reportlab imports PIL.Image at start-up; printing leaves it unloaded (LazyLoader) and
    it still works for whoever uses it."""
    out = tmp_path / "r.pdf"
    code = (
        "import sys\n"
        "from nanzhou_desktop.example import example_report\n"
        "from nanzhou_desktop.render.pdf import render_pdf\n"
        f"render_pdf(example_report(), {str(out)!r})\n"
        "m = sys.modules['PIL.Image']\n"
        "assert type(m).__name__ == '_LazyModule', type(m)\n"
        "from PIL import Image\n"
        "assert Image is m and Image.new('RGB', (2, 2)).size == (2, 2)\n"
        "from reportlab.lib import utils\n"
        "assert utils.haveImages and utils._isPILImage(Image.new('L', (1, 1)))\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr


_PRINT_INVARIANT = (
    "import hashlib, sys\n"
    "from reportlab import rl_config\n"
    "rl_config.invariant = 1\n"
    "from nanzhou_desktop.example import example_report\n"
    "from nanzhou_desktop.render.pdf import render_pdf\n"
    "render_pdf(example_report(), sys.argv[1])\n"
    "loaded = sys.modules.get('uharfbuzz') is not None\n"
)


def test_printing_leaves_harfbuzz_unloaded_and_the_pdf_unchanged(tmp_path):
    """reportlab's ttfonts would import uharfbuzz at once for text shaping we never ask for:
    printing leaves it unloaded, the PDF is byte for byte the one printed with it loaded, and
    the font converter still imports it."""
    hidden = _PRINT_INVARIANT + (
        "from reportlab.pdfbase import ttfonts\n"
        "assert not loaded and ttfonts.uharfbuzz is None\n"
        "from nanzhou_desktop.render import fontconvert\n"
        "import uharfbuzz\n"
        "assert fontconvert.available() and uharfbuzz.Blob\n"
        "print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())\n"
    )
    plain = "import reportlab.pdfbase.ttfonts\n" + _PRINT_INVARIANT + (
        "assert loaded\n"
        "print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())\n"
    )
    digests = []
    for name, code in (("hidden", hidden), ("plain", plain)):
        r = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{name}.pdf")], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        digests.append(r.stdout.strip().splitlines()[-1])
    assert digests[0] == digests[1]


def test_cached_fonts_measure_strings_as_reportlabs_c_code(tmp_path, monkeypatch):
    """Cached fonts keep their widths in arrays, which the C accelerator cannot read; they
    measure in Python, with the same result as the C code on a freshly parsed font."""
    from nanzhou_desktop.render import fonts as fonts_mod

    face = fonts_mod.find_fonts()["body"]
    monkeypatch.setenv("NANZHOU_CACHE_DIR", str(tmp_path))  # the metrics cache only (the face is found already)
    text = "南洲街道2022年度部门整体支出绩效自评报告（第1版）：执行率 99.13%，ABC xyz 𠀀"
    for round_ in ("builds the cache", "reads it"):
        fonts_mod._load.cache_clear()
        cached = fonts_mod._load(str(face.path), face.subfont, f"t-cached-{round_}", True)
        fresh = fonts_mod._load(str(face.path), face.subfont, f"t-fresh-{round_}", False)
        if round_ == "reads it":
            assert type(cached).__name__ == "CachedFont"
        for size in (16, 10.5, 22):
            # equal but for the order of the floating-point multiplications (a last-bit difference)
            assert cached.stringWidth(text, size) == pytest.approx(fresh.stringWidth(text, size), rel=1e-12)
            assert cached.stringWidth(text.encode("utf8"), size) == cached.stringWidth(text, size)
