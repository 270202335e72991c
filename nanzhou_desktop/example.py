"""The built-in example: the real 2022 report of 广州市海珠区南洲街道办事处.

It is shipped as content data (``resources/examples/nanzhou_2022.json``, the same
serialisation as ``nanzhou-desktop dump``) and is what a new user sees first.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from nanzhou_desktop.content import from_content
from nanzhou_desktop.model import Report
from nanzhou_desktop.resources import resource_path

EXAMPLE_FILE = "nanzhou_2022.json"


def example_content() -> dict:
    return json.loads(resource_path("examples", EXAMPLE_FILE).read_text(encoding="utf-8"))


def example_report(*, fresh_uuid: bool = False) -> Report:
    """The example report.  ``fresh_uuid`` gives a copy with its own identity (打开示例 makes
    a new copy each time, so two copies never pass for one report at the district)."""
    report = from_content(example_content())
    if fresh_uuid:
        report.uuid = str(uuid.uuid4())
    return report


def write_example(path: str | Path, *, overwrite: bool = False) -> Path:
    from nanzhou_desktop.store.reportfile import create_report_file

    return create_report_file(path, example_report(fresh_uuid=True), overwrite=overwrite)
