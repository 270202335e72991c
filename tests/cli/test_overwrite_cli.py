"""new, demo, import, next-year and undump never replace an existing file unless given
--force, and even then never a 已定稿/已导出 report; a replaced file is backed up beside it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nanzhou_desktop.cli import main
from nanzhou_desktop.content import canonical_json, fingerprint, to_content
from nanzhou_desktop.example import example_report, write_example
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from tests.conftest import SEED


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _final(path: Path, status: Status = Status.FINAL) -> Path:
    r = example_report(fresh_uuid=True)
    r.status = status
    r.revision = 2
    r.final_fingerprint = fingerprint(r)
    return create_report_file(path, r)


def _command(name: str, tmp_path: Path, target: Path) -> list[str]:
    """The command line that writes a new report file at ``target``."""
    if name == "new":
        return ["new", "--unit", "广州市海珠区人民政府江海街道办事处", "--short", "江海街道", "--year", "2023", str(target)]
    if name == "demo":
        return ["demo", str(target)]
    if name == "import":
        doc = tmp_path / "南洲.txt"
        doc.write_bytes(SEED.read_bytes())
        return ["import", str(doc), "-o", str(target), "--year", "2022"]
    if name == "next-year":
        last = write_example(tmp_path / "上年.sqlite")
        return ["next-year", str(last), "-o", str(target)]
    assert name == "undump"
    dump = tmp_path / "内容.json"
    dump.write_text(canonical_json(to_content(example_report())), encoding="utf-8")
    return ["undump", str(dump), str(target)]


COMMANDS = ("new", "demo", "import", "next-year", "undump")


@pytest.mark.parametrize("name", COMMANDS)
def test_an_existing_draft_is_kept_without_force_and_backed_up_with_it(name, tmp_path, capsys):
    target = write_example(tmp_path / "报告.sqlite")
    before = _sha(target)
    args = _command(name, tmp_path, target)
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "已存在" in err and "--force" in err and "报告 (2).sqlite" in err
    assert _sha(target) == before
    assert not list(tmp_path.glob("*的备份*"))

    assert main([*args, "--force"]) == 0
    out = capsys.readouterr().out
    backups = list(tmp_path.glob("报告的备份 (*).sqlite"))
    assert len(backups) == 1 and _sha(backups[0]) == before
    assert f"原文件已备份为 {backups[0]}" in out
    with open_report_file(target, read_only=True) as rf:  # a new report stands under the name
        assert rf.report.uuid != "" and _sha(target) != before


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("status", [Status.FINAL, Status.EXPORTED])
def test_a_final_report_is_never_replaced_even_with_force(name, status, tmp_path, capsys):
    target = _final(tmp_path / "报告.sqlite", status)
    before = _sha(target)
    assert main([*_command(name, tmp_path, target), "--force"]) == 3
    err = capsys.readouterr().err
    assert f"是{status.value}的报告" in err and "不能被替换" in err and "没有写入任何文件" in err
    assert _sha(target) == before
    assert not list(tmp_path.glob("*的备份*"))
