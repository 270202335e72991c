"""Child process for the kill tests of 导出上报 and of a district load.

Usage: python -m tests.kill_child export WORKFILE OUTROOT
       python -m tests.kill_child district DBDIR FILE...   (a new database dbN.sqlite per load)
Prints "OK n" after each completed export / load, and loops until killed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nanzhou_desktop.district.db import open_district_db
from nanzhou_desktop.exchange.export import export_report
from nanzhou_desktop.store.reportfile import open_report_file


def main() -> None:
    mode = sys.argv[1]
    n = 0
    if mode == "export":
        rf = open_report_file(sys.argv[2])
        root = Path(sys.argv[3])
        print("READY", flush=True)
        while True:
            n += 1
            out = root / f"out{n}"
            out.mkdir()
            export_report(rf, out)
            print(f"OK {n}", flush=True)
    else:
        files = sys.argv[3:]
        print("READY", flush=True)
        while True:
            n += 1
            db = open_district_db(Path(sys.argv[2]) / f"db{n}.sqlite")
            db.load_files(files)
            db.close()
            print(f"OK {n}", flush=True)


if __name__ == "__main__":
    main()
