"""Speed-ups around reportlab: the fast fp_str writes exactly the strings reportlab's own
pure-Python fp_str writes; platypus is imported with its URI pattern compiled on first use."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import rl_accel

from nanzhou_desktop.render import rlfast

reference = rl_accel._py_funcs["fp_str"]

EDGES = [0, 0.0, -0.0, 1e-7, -1e-7, 1.0000001e-7, 2e-7, -2e-7, 1, -1, 0.5, -0.5, 1.5, 10, 100, 1000, 1e4, 1e5, 1e6,
         1e7, 1e15, 1e20, 10**20, 999999.5, 99.99995, 0.1, 0.123456789, 0.9999999, 1.0000001, 9.9999995, 595.2755905511812,
         841.8897637795277, 16.0, -16.0, 453.5433070866142, 2.2675736961451247, True, False, Decimal("12.345"),
         Decimal("-0.0000003"), 2**53 + 1, 123456789012]


def test_edges_equal_reportlab():
    for v in EDGES:
        assert rlfast.fp_str(v) == reference(v), v
        assert rlfast.fp_str(v) == reference(v), v  # again, from the memo
    assert rlfast.fp_str(EDGES) == reference(EDGES)
    assert rlfast.fp_str(*EDGES[:10]) == reference(*EDGES[:10])
    assert rlfast.fp_str(tuple(EDGES)) == reference(tuple(EDGES))
    assert rlfast.fp_str() == reference() == ""


@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
                          st.integers(min_value=-10**12, max_value=10**12),
                          st.floats(min_value=-2, max_value=2),
                          st.sampled_from([10.0 ** k for k in range(-8, 9)])), max_size=8))
def test_random_numbers_equal_reportlab(values):
    assert rlfast.fp_str(*values) == reference(*values)
    assert rlfast.fp_str(values) == reference(values)


def test_installed_in_the_modules_that_write_the_pdf():
    rlfast.install()
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import canvas, textobject

    for module in (rl_accel, canvas, textobject, pdfdoc):
        assert module.fp_str is rlfast.fp_str, module


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
