"""The district side: safe loading of received files, the district database, the summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def expand_paths(items: Iterable[str | Path]) -> list[Path]:
    """Files as given; a folder stands for the report files directly inside it."""
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.suffix.lower() == ".sqlite" and not x.name.startswith("."))
            out.extend(found if found else [p])  # an empty folder is reported, not silently skipped
        else:
            out.append(p)
    return out
