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


def test_outline_prints_the_tree_and_edits_it(tmp_path: Path) -> None:
    f = tmp_path / "南洲.sqlite"
    cli("demo", str(f), home=tmp_path)
    out = cli("outline", str(f), home=tmp_path).stdout
    assert "一、基本情况（" in out and "  （三）部门整体收支情况（" in out and "键 1.3" in out and "预算执行情况" in out
    assert "（模板：广州市街道办事处部门整体支出绩效自评报告（2022年度提纲），版本 1）" in out
    r = cli("outline", str(f), "add", "1", "机构设置与人员情况", "--at", "2", home=tmp_path)
    assert "已添加“（二）机构设置与人员情况”（键 1.5）" in r.stdout
    assert "  （五）部门整体绩效管理情况" in r.stdout
    r = cli("outline", str(f), "move", "3", "--down", home=tmp_path)
    assert "已移动，现为“四、存在的主要问题”" in r.stdout
    r = cli("outline", str(f), "rename", "1.5", "机构设置与人员编制", home=tmp_path)
    assert "已把“（二）机构设置与人员情况”改为“（二）机构设置与人员编制”" in r.stdout
    r = cli("outline", str(f), "remove", "4.2", home=tmp_path, check_rc=None)
    assert r.returncode != 0 and "共有" in r.stderr and "--force" in r.stderr
    r = cli("outline", str(f), "remove", "3", "--force", home=tmp_path, check_rc=None)
    assert r.returncode != 0 and "必填章节" in r.stderr and "可选" in r.stderr
    cli("outline", str(f), "optional", "3", home=tmp_path)
    r = cli("outline", str(f), "remove", "3", "--force", home=tmp_path)
    assert "已删除“四、存在的主要问题”（连同" in r.stdout
    r = cli("outline", str(f), "move", "99", "--up", home=tmp_path, check_rc=None)
    assert r.returncode != 0 and "没有章节键为“99”" in r.stderr
    # every change is in the file's audit, as an edit in the window is
    import sqlite3

    actions = [row[0] for row in sqlite3.connect(f).execute(
        "SELECT action FROM audit WHERE reason LIKE '提纲%' OR target LIKE 'sections.heading%' ORDER BY id")]
    assert actions == ["add", "move", "edit", "edit", "delete"]


def test_show_and_check_name_the_template(tmp_path: Path) -> None:
    f = tmp_path / "川.sqlite"
    cli("new", "--unit", "某区农业农村局", "--year", "2022", "--template", "sichuan_dazhou_2021", str(f), home=tmp_path)
    assert "报告模板：四川省（达州市）部门整体支出绩效评价报告及得分表（sichuan_dazhou_2021，版本 1）" in \
        cli("show", str(f), home=tmp_path).stdout
    out = json.loads(cli("check", "--json", str(f), home=tmp_path, check_rc=None).stdout)
    assert out["template"] == {"id": "sichuan_dazhou_2021", "version": "1",
                               "name": "四川省（达州市）部门整体支出绩效评价报告及得分表"}
    assert out["score"]["budget_points"] == "0" and out["score"]["indicator_points"] == "100"


def test_outline_with_an_unknown_action_says_which_there_are(tmp_path: Path) -> None:
    f = tmp_path / "南洲.sqlite"
    cli("demo", str(f), home=tmp_path)
    before = f.read_bytes()
    r = cli("outline", str(f), "delete", "3", home=tmp_path, check_rc=2)
    assert "没有“delete”这个操作" in r.stderr and "remove" in r.stderr
    assert "choose from" not in r.stderr and "Traceback" not in r.stderr
    assert f.read_bytes() == before
