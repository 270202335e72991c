#!/usr/bin/env bash
# Make sure VENV holds a working virtual environment of a supported Python (3.11–3.13) with
# the pinned dependencies installed (editable, with the given extras), each at the version in
# constraints.txt.
#
#   tools/venv.sh VENV [PYTHON] [EXTRAS]      e.g. tools/venv.sh .venv "" dev
#
# - No VENV: it is made with PYTHON, or with the newest supported Python found
#   (tools/find-python.sh), which says which to install when there is none.
# - A VENV whose Python still runs and is 3.11–3.13 is kept as it is, so a developer's
#   existing environment goes on working; asking for another version with PYTHON remakes it.
# - A VENV whose Python no longer runs (an interpreter removed or upgraded under it) or is
#   unsupported is removed and made again, and the reason is printed.
set -euo pipefail
VENV=$1
PY=${2:-}
EXTRAS=${3:-dev}
HERE=$(cd "$(dirname "$0")" && pwd)

version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }
supported() { case "$1" in 3.11|3.12|3.13) return 0 ;; *) return 1 ;; esac; }

if [ -e "$VENV" ]; then
  have=$(version_of "$VENV/bin/python" || true)
  reason=""
  if [ -z "$have" ]; then
    reason="它的 Python 已不能运行 / its Python no longer runs"
  elif ! supported "$have"; then
    reason="它的 Python $have 不在 3.11–3.13 之内 / Python $have is not supported"
  elif [ -n "$PY" ] && [ "$(version_of "$PY" || true)" != "$have" ]; then
    reason="要求改用 $PY / another Python was asked for"
  fi
  if [ -n "$reason" ]; then
    echo "重建 $VENV：$reason"
    rm -rf "$VENV"
  fi
fi

if [ ! -e "$VENV" ]; then
  [ -z "$PY" ] && PY=$("$HERE/find-python.sh" | head -n 1)
  echo "用 $PY（Python $(version_of "$PY")）创建 $VENV / creating $VENV"
  "$PY" -m venv "$VENV"
fi
# Every package at the version in constraints.txt (a .venv that drifted is brought back to it).
"$VENV/bin/python" -m pip install -q -c "$HERE/../constraints.txt" --upgrade pip
"$VENV/bin/python" -m pip install -q -c "$HERE/../constraints.txt" -e ".[$EXTRAS]"
