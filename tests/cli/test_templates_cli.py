"""End to end: `templates`, `new --template`, and a broken template file in the user's folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def cli(*args: str, home: Path, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, NANZHOU_HOME=str(home))
    result = subprocess.run([sys.executable, "-m", "nanzhou_desktop", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env=env)
    if check_rc is not None:
        assert result.returncode == check_rc, (result.stdout, result.stderr)
    return result


def test_templates_json_is_a_list_of_objects_with_id_name_source(tmp_path: Path) -> None:
    out = json.loads(cli("templates", "--json", home=tmp_path).stdout)
    assert isinstance(out, list) and out
    for t in out:
        assert {"id", "name", "source", "version", "region", "years"} <= set(t)
        assert t["source"], t["id"]
    assert "guangzhou_street_2022" in [t["id"] for t in out]


def test_templates_lists_a_broken_file_apart_and_the_others_still_work(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "templates"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text('{"format": 1, "id": "broken"', encoding="utf-8")
    r = cli("templates", home=tmp_path)
    assert "guangzhou_street_2022" in r.stdout
    assert "未能读取：模板“broken.json”不是有效的 JSON" in r.stderr
    assert "Traceback" not in r.stderr


def test_new_with_a_template_id_and_with_a_file(tmp_path: Path) -> None:
    f = tmp_path / "a.sqlite"
    r = cli("new", "--unit", "某街道办事处", "--year", "2023", "--template", "guangzhou_street_2022", str(f),
            home=tmp_path)
    assert "模板：广州市街道办事处部门整体支出绩效自评报告" in r.stdout
    src = ROOT / "resources" / "templates" / "guangzhou_street_2022.json"
    data = json.loads(src.read_text(encoding="utf-8"))
    data["id"], data["version"], data["name"] = "my_own", "7", "本区自定格式"
    own = tmp_path / "本区格式.json"
    own.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    g = tmp_path / "b.sqlite"
    cli("new", "--unit", "某街道办事处", "--year", "2023", "--template", str(own), str(g), home=tmp_path)
    dump = json.loads(cli("dump", str(g), home=tmp_path).stdout)
    assert dump["template_id"] == "my_own" and dump["template"]["version"] == "7"


def test_new_with_an_unknown_or_broken_template_says_why(tmp_path: Path) -> None:
    r = cli("new", "--unit", "某街道", "--year", "2023", "--template", "no_such", str(tmp_path / "x.sqlite"),
            home=tmp_path, check_rc=None)
    assert r.returncode != 0 and "模板“no_such”不存在" in r.stderr
    bad = tmp_path / "坏.json"
    bad.write_text(json.dumps({"format": 1, "id": "bad_one"}), encoding="utf-8")
    r = cli("new", "--unit", "某街道", "--year", "2023", "--template", str(bad), str(tmp_path / "y.sqlite"),
            home=tmp_path, check_rc=None)
    assert r.returncode != 0 and "模板“坏.json”中 version：不能为空" in r.stderr
    assert not (tmp_path / "y.sqlite").exists()
