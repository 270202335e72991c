"""Confirming a loaded report against its signed paper (纸面核对).

The fingerprint in a file is an unkeyed hash: whoever edits a file can recompute it.  The
signed and sealed paper is what the unit's head signed, and its QR code carries the unit,
year, revision and the full fingerprint of the content that was printed.  The district types
or scans that text; when it names a loaded report and agrees with it in every part, the
report is recorded as 已与纸面核对 (who, when, which revision and fingerprint).  A forged
file that comes with a forged paper is not caught by this (see ``docs/threat-model.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from nanzhou_desktop.district.db import DistrictDb, DistrictDbError, UnitRow
from nanzhou_desktop.model import Status

MAX_PAYLOAD_CHARS = 2_000  # a real code is ~150 characters


class PaperCodeError(ValueError):
    """The text is not a report's QR code, or names no loaded report; ``str(err)`` is Chinese."""


@dataclass(frozen=True)
class PaperMatch:
    row: UnitRow  # the loaded report the code names
    fingerprint: str  # the loaded report's fingerprint
    payload: str  # the code as given (trimmed)
    differences: list[str]  # Chinese sentences; empty when paper and file agree


def match_paper(db: DistrictDb, payload: str) -> PaperMatch:
    """Find the loaded report a QR text names and say where paper and file differ."""
    from nanzhou_desktop.render.stamp import QrPayloadError, parse_qr_payload, qr_unit_name

    text = (payload or "").strip()
    if not text:
        raise PaperCodeError("请输入或扫描纸面报告上二维码的内容")
    if len(text) > MAX_PAYLOAD_CHARS:
        raise PaperCodeError(f"二维码内容过长（{len(text):,} 字），不是本程序生成的报告核对码")
    try:
        data = parse_qr_payload(text)
    except QrPayloadError as exc:
        raise PaperCodeError(str(exc)) from None
    fp = data["指纹"].strip().lower()
    unit, year_text, revision_text = data["单位"], data["年度"], data["修订"]
    conn = db.conn
    row_id = None
    hit = conn.execute("SELECT id, is_current, uuid FROM reports WHERE fingerprint = ? ORDER BY is_current DESC,"
                       " revision DESC LIMIT 1", (fp,)).fetchone()
    if hit is not None and not hit["is_current"]:
        current = conn.execute("SELECT id FROM reports WHERE uuid = ? AND is_current = 1", (hit["uuid"],)).fetchone()
        row_id = current["id"] if current is not None else None
    elif hit is not None:
        row_id = hit["id"]
    if row_id is None and year_text.isdigit():
        named = conn.execute("SELECT id FROM reports WHERE unit_full_name = ? AND fiscal_year = ? AND is_current = 1",
                             (unit, int(year_text))).fetchone()
        row_id = named["id"] if named is not None else None
    row = db.row(row_id) if row_id is not None else None
    if row is None:
        raise PaperCodeError(f"汇总库中没有纸面所列的报告（{unit} {year_text} 年度，修订号 {revision_text}）；"
                             "请先装入该单位报送的报告文件")
    stored_fp = conn.execute("SELECT fingerprint FROM reports WHERE id = ?", (row.id,)).fetchone()[0]
    differences: list[str] = []
    if row.status == str(Status.DRAFT):
        differences.append("汇总库中的这份报告是草稿（尚未定稿），纸面核对只对已定稿的报告有意义")
    if revision_text != str(row.revision):
        differences.append(f"修订号不同：纸面 {revision_text}，汇总库 {row.revision}"
                           + ("（纸面是已被取代的旧修订）" if hit is not None and not hit["is_current"] else ""))
    if fp != stored_fp:
        differences.append(f"内容指纹不同：纸面 {fp[:16]}…，汇总库 {stored_fp[:16]}…（文件内容与签字的纸面不一致）")
    if unit != qr_unit_name(row.unit):  # a name over 100 characters is cut in the QR
        differences.append(f"单位不同：纸面“{unit}”，汇总库“{row.unit}”")
    if year_text != str(row.year):
        differences.append(f"年度不同：纸面 {year_text}，汇总库 {row.year}")
    return PaperMatch(row, stored_fp, text, differences)


def confirm_paper(db: DistrictDb, payload: str) -> tuple[UnitRow, list[str]]:
    """Check the text of a signed paper's QR code against the loaded reports.

    Returns the report it names and the differences (Chinese sentences; empty when paper and
    file agree, and then the confirmation is recorded).  Raises DistrictDbError when the text
    is not a report's QR code or names no loaded report."""
    try:
        found = match_paper(db, payload)
    except PaperCodeError as exc:
        raise DistrictDbError(str(exc)) from None
    if found.differences:
        return found.row, found.differences
    db.record_confirmation(found.row.id, found.fingerprint, found.payload)
    return db.row(found.row.id) or found.row, []
