"""The house's layering, read from the source with ``ast`` (no import is executed):

- no import cycle between nanzhou_desktop's modules, counting imports inside functions too
  (a lazy import still ties two modules together: neither can be understood or moved alone);
- the file store (``store/``) imports nothing of printing (``render/``) or of the window (``gui/``).

Imports under ``if TYPE_CHECKING:`` count as well: an annotation is a dependency too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = "nanzhou_desktop"


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name → file, for every .py file of ``package`` under ``root``."""
    out: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module → the package's modules it imports anywhere in its source.

    ``from a.b import c`` is an edge to ``a.b.c`` when that is a module, else to ``a.b``.
    Parent packages are not added: importing ``a.b.c`` runs ``a/__init__`` too, but a package
    that imports its own submodules would then always count as a cycle.
    """
    modules = module_files(root, package)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    if target in modules:
                        graph[name].add(target)
                    elif base in modules:
                        graph[name].add(base)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module, or a module importing
    itself (Tarjan's algorithm, iterative so a deep chain cannot hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(sorted(component))
    return found


def forbidden(graph: dict[str, set[str]], lower: str, upper: tuple[str, ...]) -> list[str]:
    """``module → target`` for every import from the ``lower`` layer into one of ``upper``."""
    return sorted(f"{m} → {t}" for m, targets in graph.items() if m == lower or m.startswith(lower + ".")
                  for t in targets if any(t == u or t.startswith(u + ".") for u in upper))


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, PACKAGE)


def test_the_package_has_no_import_cycle(graph):
    assert len(graph) > 50  # the walk found the package
    assert cycles(graph) == []


def test_the_store_imports_neither_printing_nor_the_window(graph):
    assert any(m.startswith(f"{PACKAGE}.store.") for m in graph)
    assert forbidden(graph, f"{PACKAGE}.store", (f"{PACKAGE}.render", f"{PACKAGE}.gui")) == []


def test_export_lives_above_store_and_print(graph):
    export = f"{PACKAGE}.exchange.export"
    assert f"{PACKAGE}.render.pdf" in graph[export]
    assert any(t.startswith(f"{PACKAGE}.store.") for t in graph[export])


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checks_catch_what_they_are_for(tmp_path):
    """The walker sees lazy, relative and TYPE_CHECKING imports and reports the circles and the
    store reaching up; a package importing its own submodules is not a circle."""
    _write(tmp_path, {
        "pkg/__init__.py": "from pkg import a\n",
        "pkg/a.py": "def f():\n    from pkg.b import thing\n",
        "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n",
        "pkg/c.py": "import pkg.c\n",
        "pkg/store/__init__.py": "",
        "pkg/store/file.py": "from ..render import pdf\nfrom pkg.d import x\n",
        "pkg/render/__init__.py": "",
        "pkg/render/pdf.py": "",
        "pkg/d.py": "x = 1\n",
    })
    g = import_graph(tmp_path, "pkg")
    assert g["pkg.a"] == {"pkg.b"} and g["pkg.b"] == {"pkg.a"}
    assert cycles(g) == [["pkg.a", "pkg.b"], ["pkg.c"]]
    assert forbidden(g, "pkg.store", ("pkg.render", "pkg.gui")) == ["pkg.store.file → pkg.render.pdf"]
