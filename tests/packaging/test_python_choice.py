"""Which Python the Makefile uses (tools/find-python.sh, tools/venv.sh), with stand-in
interpreters on a private PATH: the newest supported one that runs, never one that only
looks installed (a pyenv shim for a version not selected fails when run), and a plain
message naming what to install when there is none."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

from tests.conftest import ROOT

FIND = ROOT / "tools" / "find-python.sh"


def fake_python(folder: Path, name: str, version: str | None) -> Path:
    """A stand-in ``name`` that reports ``version`` (or fails like an unselected pyenv shim)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if version is None:
        path.write_text("#!/bin/sh\necho \"pyenv: $0: command not found\" >&2\nexit 127\n")
    else:
        path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def base_path(tmp_path: Path) -> str:
    """A PATH holding only the tools the scripts use (no real Python on it)."""
    tools = tmp_path / "tools-bin"
    if tools.exists():
        return str(tools)
    tools.mkdir()
    for tool in ("sh", "bash", "ls", "sort", "head", "dirname"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    return str(tools)


def find(tmp_path: Path, bins: Path, *args: str, pyenv_root: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": f"{bins}:{base_path(tmp_path)}", "HOME": str(tmp_path / "home"),
           "PYENV_ROOT": str(pyenv_root or tmp_path / "no-pyenv"), "LANG": "C.UTF-8"}
    return subprocess.run(["bash", str(FIND), *args], env=env, capture_output=True, text=True, timeout=30)


def test_the_newest_supported_python_that_runs(tmp_path):
    bins = tmp_path / "bin"
    fake_python(bins, "python3.11", "3.11")
    fake_python(bins, "python3.12", "3.12")
    fake_python(bins, "python3.13", None)  # a shim of a version pyenv has not selected
    fake_python(bins, "python3.14", "3.14")  # not supported yet: never chosen
    r = find(tmp_path, bins)
    assert r.returncode == 0 and r.stdout.strip() == str(bins / "python3.12"), r.stderr
    r = find(tmp_path, bins, "--all")
    assert r.stdout.split() == [str(bins / "python3.11"), str(bins / "python3.12")]


def test_pyenv_versions_are_found_behind_a_failing_shim(tmp_path):
    bins = tmp_path / "bin"
    fake_python(bins, "python3.11", "3.11")
    fake_python(bins, "python3.13", None)
    root = tmp_path / "pyenv"
    fake_python(root / "versions" / "3.13.0" / "bin", "python3.13", "3.13")
    fake_python(root / "versions" / "3.13.2" / "bin", "python3.13", "3.13")
    r = find(tmp_path, bins, pyenv_root=root)
    assert r.stdout.strip() == str(root / "versions" / "3.13.2" / "bin" / "python3.13"), r.stderr


def test_a_name_that_lies_about_its_version_is_skipped(tmp_path):
    bins = tmp_path / "bin"
    fake_python(bins, "python3.13", "3.10")
    fake_python(bins, "python3.11", "3.11")
    assert find(tmp_path, bins).stdout.strip() == str(bins / "python3.11")


def test_none_found_says_what_to_install(tmp_path):
    bins = tmp_path / "bin"
    fake_python(bins, "python3.10", "3.10")
    r = find(tmp_path, bins)
    assert r.returncode == 1 and r.stdout == ""
    assert "没有找到可用的 Python 3.11、3.12 或 3.13" in r.stderr
    assert "apt install" in r.stderr and "python.org" in r.stderr


def test_the_supported_versions_agree_everywhere():
    """find-python, venv.sh, the Makefile's stamp check and pyproject name the same versions."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["requires-python"] == ">=3.11"
    classifiers = {c.rsplit(" :: ", 1)[1] for c in meta["project"]["classifiers"]
                   if c.startswith("Programming Language :: Python :: 3.")}
    assert classifiers == {"3.11", "3.12", "3.13"}
    assert "SUPPORTED=(3.13 3.12 3.11)" in FIND.read_text()
    assert "3.11|3.12|3.13)" in (ROOT / "tools" / "venv.sh").read_text()
    assert "$(filter 3.11 3.12 3.13," in (ROOT / "Makefile").read_text()


def _venv_script(tmp_path: Path, venv: Path, py: str = "") -> subprocess.CompletedProcess:
    """tools/venv.sh with pip replaced by a no-op (the decision is under test, not pip)."""
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    return subprocess.run(["bash", str(ROOT / "tools" / "venv.sh"), str(venv), py, "dev"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


def test_an_existing_supported_venv_is_kept_and_a_broken_one_remade(tmp_path):
    venv = tmp_path / "venv"
    py = fake_python(venv / "bin", "python", "3.12")
    # pip through the stand-in: venv.sh runs "$VENV/bin/python -m pip …", which the fake ignores
    r = _venv_script(tmp_path, venv)
    assert r.returncode == 0 and "重建" not in r.stdout and py.exists(), r.stdout + r.stderr
    py.unlink()
    py.symlink_to(tmp_path / "removed-interpreter")  # pyenv uninstall, or an OS upgrade
    maker = fake_python(tmp_path / "bin", "maker", "3.13")
    maker.write_text("#!/bin/sh\n"
                     "case \"$1\" in -c) echo 3.13 ;; -m) mkdir -p \"$3/bin\"; "
                     "printf '#!/bin/sh\\necho 3.13\\n' > \"$3/bin/python\"; chmod +x \"$3/bin/python\" ;; esac\n")
    r = _venv_script(tmp_path, venv, str(maker))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "重建" in r.stdout and "不能运行" in r.stdout
    assert (venv / "bin" / "python").read_text().strip().endswith("echo 3.13")
