"""End to end: ``nanzhou-desktop print`` and ``verify`` on real report files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.store.reportfile import open_report_file
from tests.conftest import ROOT


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nanzhou_desktop", *args], cwd=ROOT, capture_output=True, text=True)


def _fp(path: Path) -> str:
    with open_report_file(path, read_only=True) as rf:
        return fingerprint(rf.report)


def test_print_writes_pdf_docx_xlsx(example_path: Path, tmp_path: Path):
    out = tmp_path / "报告.pdf"
    proc = cli("print", str(example_path), "-o", str(out), "--docx", str(tmp_path / "报告.docx"),
               "--xlsx", str(tmp_path / "自评表.xlsx"), "--fonts")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "报告.docx").stat().st_size > 10_000
    assert (tmp_path / "自评表.xlsx").stat().st_size > 3_000
    assert "已生成" in proc.stdout and "正文（仿宋）" in proc.stdout
    assert _fp(example_path)[:16] in proc.stdout
    assert not list(tmp_path.glob(".nz-*"))  # no temporary left behind


def test_print_user_errors_are_one_chinese_sentence(example_path: Path, tmp_path: Path):
    cases = [
        ("print", str(tmp_path / "无此文件.sqlite"), "-o", str(tmp_path / "a.pdf")),
        ("print", str(example_path), "-o", str(tmp_path / "a.txt")),
        ("print", str(example_path), "-o", str(tmp_path / "无此目录" / "a.pdf")),
        ("print", str(example_path), "-o", str(tmp_path / "a.pdf"), "--docx", str(tmp_path / "a.doc")),
    ]
    for args in cases:
        proc = cli(*args)
        assert proc.returncode != 0, args
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and any("\u4e00" <= c <= "\u9fff" for c in lines[0]), (args, proc.stderr)
    assert not (tmp_path / "a.pdf").exists()
    folder = cli("print", str(example_path), "-o", str(tmp_path))  # a folder: named after the report
    assert folder.returncode == 0, folder.stderr
    assert (tmp_path / (example_path.stem + ".pdf")).exists()


def test_verify_prints_fingerprint_and_payload(example_path: Path):
    proc = cli("verify", str(example_path))
    assert proc.returncode == 0, proc.stderr
    fp = _fp(example_path)
    assert f"内容指纹：{fp}" in proc.stdout
    payload = next(line.split("：", 1)[1] for line in proc.stdout.splitlines() if line.startswith("二维码内容："))
    assert payload.endswith(f"指纹={fp}")
    ok = cli("verify", str(example_path), "--qr", payload)
    assert ok.returncode == 0 and "一致" in ok.stdout, ok.stderr


def test_verify_detects_a_changed_file(example_path: Path):
    payload = cli("verify", str(example_path)).stdout.splitlines()[-1].split("：", 1)[1]
    with open_report_file(example_path) as rf:
        row = rf.report.budget_total_row
        rf.set_field("budget_rows", row.id, "executed", "19738.25")
    proc = cli("verify", str(example_path), "--qr", payload)
    assert proc.returncode == 1
    assert "内容指纹不同" in proc.stdout and "不一致" in proc.stderr


def test_verify_rejects_a_foreign_payload(example_path: Path):
    proc = cli("verify", str(example_path), "--qr", "https://example.com/x")
    assert proc.returncode == 2 and "不是本程序生成" in proc.stderr and "Traceback" not in proc.stderr
