"""constraints.txt pins every package the app, its tests and its build install (pyproject.toml
pins only the direct dependencies).  Checked here:

- the two files agree on each direct dependency's version;
- every package the installed dependencies pull in, on this machine, is pinned, and the
  environment running the tests holds exactly the pinned version (a .venv made from the
  files today and one made next month are the same);
- what they would pull in on Windows or macOS (PyInstaller's pefile, pytest's colorama …)
  is pinned as well, read from the same metadata with those systems' markers.
"""

from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

FIX = "pip install -c constraints.txt -e '.[dev,build]'（或 make venv）"


def pinned() -> dict[str, str]:
    out: dict[str, str] = {}
    for number, raw in enumerate((ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        spec = list(req.specifier)
        assert len(spec) == 1 and spec[0].operator == "==", f"constraints.txt:{number}: not an exact pin: {raw}"
        name = canonicalize_name(req.name)
        assert name not in out, f"constraints.txt:{number}: {name} pinned twice"
        out[name] = spec[0].version
    return out


def project_requirements() -> dict[str, list[Requirement]]:
    """pyproject's requirements: '' for the app's own, else by extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": project["dependencies"], **project["optional-dependencies"]}
    return {group: [Requirement(r) for r in reqs] for group, reqs in groups.items()}


def environments() -> list[dict[str, str]]:
    """Marker environments of the systems and Pythons the app supports."""
    systems = [("linux", "Linux", "posix"), ("win32", "Windows", "nt"), ("darwin", "Darwin", "posix")]
    return [{"sys_platform": sp, "platform_system": ps, "os_name": os_name, "python_version": v,
             "python_full_version": f"{v}.0", "implementation_name": "cpython",
             "platform_python_implementation": "CPython", "platform_machine": "x86_64"}
            for sp, ps, os_name in systems for v in ("3.11", "3.12", "3.13")]


def applies(req: Requirement, extras: set[str], anywhere: bool) -> bool:
    """Does ``req`` apply, here (``anywhere`` False) or on some supported system?"""
    if req.marker is None:
        return True
    marker: Marker = req.marker
    for extra in extras or {""}:
        if anywhere:
            if any(marker.evaluate({**env, "extra": extra}) for env in environments()):
                return True
        elif marker.evaluate({"extra": extra}):
            return True
    return False


def test_each_direct_dependency_is_pinned_to_the_same_version_in_both_files():
    pins = pinned()
    for group, reqs in project_requirements().items():
        for req in reqs:
            spec = list(req.specifier)
            where = f"pyproject.toml [{group or 'dependencies'}] {req}"
            assert len(spec) == 1 and spec[0].operator == "==", f"{where}: not pinned to one version"
            name = canonicalize_name(req.name)
            assert name in pins, f"{where}: missing from constraints.txt"
            assert pins[name] == spec[0].version, f"{where}: constraints.txt says {pins[name]}"


def test_everything_installed_for_the_app_is_pinned_and_at_its_pinned_version():
    pins = pinned()
    # The app's own requirements must be installed; an extra (build, parquet) may not be.
    todo = [(req, "pyproject.toml", group == "") for group, reqs in project_requirements().items()
            for req in reqs]
    seen: set[str] = set()
    unpinned, drifted, elsewhere = [], [], []
    while todo:
        req, parent, required = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            assert not required, f"{name} (needed by {parent}) is not installed: {FIX}"
            continue
        seen.add(name)
        if name not in pins:
            unpinned.append(f"{name} {dist.version} (needed by {parent})")
        elif dist.version != pins[name]:
            drifted.append(f"{name} {dist.version}, constraints.txt {pins[name]}")
        for line in dist.requires or []:
            sub = Requirement(line)
            if applies(sub, req.extras, anywhere=False):
                todo.append((sub, name, required))
            elif applies(sub, req.extras, anywhere=True) and canonicalize_name(sub.name) not in pins:
                elsewhere.append(f"{sub} (needed by {name})")
    assert not unpinned, f"installed but not in constraints.txt: {unpinned}"
    assert not elsewhere, f"needed on Windows or macOS but not in constraints.txt: {elsewhere}"
    assert not drifted, f"this environment differs from constraints.txt: {drifted}; {FIX}"
    assert {"pyside6-essentials", "reportlab", "lxml", "pillow", "pytest"} <= seen
