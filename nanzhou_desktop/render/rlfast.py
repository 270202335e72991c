"""Speed-ups around reportlab that leave its output unchanged.

``fp_str``: a faster drop-in for reportlab's pure-Python number formatter, behind every
coordinate, font size and character spacing written to the PDF.  Without reportlab's
optional C accelerator, ``fp_str`` computes a logarithm, formats and strips zeros by hand
for every number: ~6,000 calls and 25-40 ms for the example, a fifth of the render.  This
one gives the same strings (same precision rule, same logarithm formula, same stripping;
tests/core/test_render_rlfast.py compares them on many values) and remembers the strings
of the numbers it has seen, which repeat all through a report (line pitch, font sizes,
margins).  When the C accelerator is installed it is left alone.

``Deflating``: embedded font programs compressed on other threads as soon as they are made.
"""

from __future__ import annotations

from math import log

_FMTS = ("%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f")
_LOG_E_10 = log(10.0)
_MEMO_MAX = 100_000  # a long-running window renders many reports: bound the memory
_memo: dict[float, str] = {}


def _format(i) -> str:
    """reportlab's rule for one number: 6 significant decimals at most, up to 6 places."""
    sa = abs(i)
    if sa <= 1e-7:
        return "0"
    # log(x)/log(10), as reportlab computes it (not math.log10: they differ at powers of 10)
    places = 6 if sa <= 1 else min(max(0, 6 - int(log(sa) / _LOG_E_10)), 6)
    n = _FMTS[places] % i
    if places:
        n = n.rstrip("0").rstrip(".")
    return n[1:] if n[0] == "0" and len(n) > 1 else n


def fp_str(*a) -> str:
    """Convert separate arguments (or a single sequence argument) into space separated numbers."""
    if len(a) == 1 and isinstance(a[0], (list, tuple)):
        a = a[0]
    memo = _memo
    out = []
    for i in a:
        t = type(i)
        if t is float or t is int:
            s = memo.get(i)
            if s is None:
                if len(memo) >= _MEMO_MAX:
                    memo.clear()
                s = memo[i] = _format(i)
        else:
            s = _format(i)
        out.append(s)
    return " ".join(out)


class Deflating:
    """reportlab's FlateDecode filter for one embedded font program, compressed on a thread
    of its own from the moment the subset is made.  Font programs are most of the bytes
    compressed (0.8 of 1 MB for the example: ~20 ms); zlib lets other threads run while it
    works, so compression overlaps with writing the pages and uses both cores while the
    writer waits for the last ones.  Same bytes as reportlab's filter (``zlib.compress``,
    of the UTF-8 text for a str) on the writing thread."""

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


_installed = False


def install() -> None:
    """Put :func:`fp_str` where reportlab looks it up (idempotent).  Modules imported later
    take it from ``reportlab.lib.rl_accel``; those already imported hold their own name."""
    global _installed
    if _installed:
        return
    import sys

    from reportlab.lib import rl_accel

    original = rl_accel._py_funcs.get("fp_str")
    if original is None or rl_accel.fp_str is not original:  # the C accelerator: keep it
        _installed = True
        return
    rl_accel.fp_str = fp_str
    for name, module in list(sys.modules.items()):
        if name.startswith("reportlab.") and getattr(module, "fp_str", None) is original:
            module.fp_str = fp_str
    _installed = True
