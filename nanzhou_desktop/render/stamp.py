"""What ties the paper to the file: the small line on every page (unit, year, revision,
first characters of the 内容指纹) and the QR code on the last page with the full fingerprint.

The QR payload is one line of ``key=value`` pairs after a format tag, so a phone scanner
shows something a person can read, and :func:`parse_qr_payload` can check it against a file.
"""

from __future__ import annotations

import sys

from reportlab.lib import colors

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.model import Report
from nanzhou_desktop.render.platypus import Flowable

QR_TAG = "NZPJ1"  # 南洲 performance report, payload version 1
SHORT_FP = 12  # characters of the fingerprint printed on every page


class QrPayloadError(ValueError):
    """A payload that is not ours; ``str(err)`` is a Chinese sentence."""


# Characters of the unit's name the QR carries: a real name has under 40; the limits allow
# 1,000, which in UTF-8 is more than any QR code holds (segno: DataOverflowError, no PDF).  A
# longer name is cut and ends in "…"; the fingerprint still covers the whole file.
QR_NAME_CHARS = 100


def qr_unit_name(name: str) -> str:
    return name if len(name) <= QR_NAME_CHARS else name[:QR_NAME_CHARS - 1] + "…"


def qr_payload(report: Report, fp: str | None = None) -> str:
    fp = fp or fingerprint(report)
    return f"{QR_TAG};单位={qr_unit_name(report.unit.full_name)};年度={report.year};修订={report.revision};指纹={fp}"


def parse_qr_payload(text: str) -> dict[str, str]:
    """Read a payload back (as typed or scanned).  Keys: 单位, 年度, 修订, 指纹."""
    text = text.strip()
    parts = text.split(";")
    if not parts or parts[0] != QR_TAG:
        raise QrPayloadError(f"二维码内容不是本程序生成的报告核对码（应以 {QR_TAG}; 开头）")
    out: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep:
            raise QrPayloadError(f"二维码内容格式不对：“{part}”缺少“=”")
        out[key.strip()] = value.strip()
    for key in ("单位", "年度", "修订", "指纹"):
        if key not in out:
            raise QrPayloadError(f"二维码内容缺少“{key}”")
    return out


def compare_payload(report: Report, payload: str) -> list[str]:
    """Differences between a scanned payload and the file, as Chinese sentences (empty = same)."""
    data = parse_qr_payload(payload)
    fp = fingerprint(report)
    diffs = []
    if data["指纹"].lower() != fp:
        diffs.append(f"内容指纹不同：纸面 {data['指纹']}，文件 {fp}")
    if data["单位"] != qr_unit_name(report.unit.full_name):
        diffs.append(f"单位不同：纸面“{data['单位']}”，文件“{report.unit.full_name}”")
    if data["年度"] != str(report.year):
        diffs.append(f"年度不同：纸面 {data['年度']}，文件 {report.year}")
    if data["修订"] != str(report.revision):
        diffs.append(f"修订号不同：纸面 {data['修订']}，文件 {report.revision}")
    return diffs


def page_stamp(report: Report, fp: str, name: str | None = None) -> str:
    """The line at every page's foot; ``name`` instead of the unit's full name when that is
    too long for the line (the caller cuts it to fit)."""
    draft = " · 草稿" if report.status == "草稿" else ""
    return (f"{report.unit.full_name if name is None else name} · {report.year}年度 · 修订 {report.revision} · "
            f"内容指纹 {fp[:SHORT_FP]}{draft}")


def qr_matrix(payload: str) -> tuple[bytearray, ...]:
    """The QR code's modules (bit 0 set = dark): ``segno.make(payload, error="m",
    micro=False, mask=0, encoding="utf-8").matrix``, computed by segno's encoder.

    UTF-8 is asked for: left to choose, segno tries ISO-8859-1 and then Shift_JIS, and a
    Chinese name made only of characters Japanese shares would go in as Shift_JIS, which a
    phone shows garbled.  (Our payload's "单位" already rules Shift_JIS out; this says so.)"""
    return _segno_encoder().encode(payload, "m", None, None, 0, "utf-8", False, False, True).matrix


_encoder = None


def _segno_encoder():
    """segno's encoder module.  ``import segno`` also loads its writers, which import
    xml.sax.saxutils and through it urllib.request, http, email, ssl and socket: 17-20 ms
    of every print for a matrix.  Unless segno is already loaded, its encoder (which needs
    only segno.consts) is loaded on its own, as a submodule of a private package name, so
    ``segno`` itself stays untouched for anyone who imports it.  segno is pinned;
    tests/core/test_render_pdf.py compares the matrices with ``segno.make``."""
    global _encoder
    if _encoder is None:
        if "segno" not in sys.modules:
            try:
                _encoder = _load_encoder_alone()
            except Exception:  # noqa: BLE001 - a packaging that hides segno's files: the usual way
                _encoder = None
        if _encoder is None:
            import segno

            _encoder = segno.encoder
    return _encoder


def _load_encoder_alone():
    import importlib
    import importlib.util
    import types

    name = "_nanzhou_segno"
    if name not in sys.modules:
        spec = importlib.util.find_spec("segno")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("segno")
        pkg = types.ModuleType(name, "segno's modules, without segno/__init__ (see _segno_encoder)")
        pkg.__path__ = list(spec.submodule_search_locations)
        sys.modules[name] = pkg
    return importlib.import_module(f"{name}.encoder")


class QrFlowable(Flowable):
    """A QR code drawn as vector squares (crisp at any printer resolution), with its caption
    to its right, each line wrapped to the width left (``text``: the renderer's GridText, which
    measures and draws with per-character fallback fonts)."""

    def __init__(self, payload: str, size: float, caption: list[str], text) -> None:
        super().__init__()
        # A fixed mask skips segno's evaluation of all eight (~25 ms); any mask is valid.
        self.matrix = qr_matrix(payload)
        self.size = size
        self.caption = caption
        self.text = text
        self._lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        from nanzhou_desktop.render.linebreak import break_lines

        self.width = availWidth
        room = max(availWidth - self.size - 6, self.text.size)
        gt = self.text
        self._lines = [ln.text for line in self.caption
                       for ln in break_lines(line, gt.width, lambda i: room, char_widths=gt.char_widths)]
        self.height = max(self.size, len(self._lines) * self.text.size * 1.5)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        matrix = self.matrix
        n = len(matrix)
        quiet = 4
        cell = self.size / (n + 2 * quiet)
        c.saveState()
        c.setFillColor(colors.black)
        # One path of horizontal runs: a few hundred rectangles instead of one per module.
        path = c.beginPath()
        top = self.height
        for r, row in enumerate(matrix):
            col = 0
            while col < n:
                if row[col] & 1:
                    start = col
                    while col < n and row[col] & 1:
                        col += 1
                    path.rect((start + quiet) * cell, top - (r + quiet + 1) * cell, (col - start) * cell, cell)
                else:
                    col += 1
        c.drawPath(path, stroke=0, fill=1)
        size = self.text.size
        y = self.height - quiet * cell - size
        for line in self._lines:
            self.text.draw(c, self.size + 6, y, line, 0)
            y -= size * 1.5
        c.restoreState()
