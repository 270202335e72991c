#!/usr/bin/env bash
# `make test-all`: the whole suite on every supported Python installed here (3.11–3.13),
# each in its own environment (.venv-3.11, .venv-3.12, .venv-3.13; `.venv` itself is reused
# for its own version).  Prints one line per version and exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
pythons=$(tools/find-python.sh --all) || exit 1
NANZHOU_TESTS=1 bash tools/system-deps.sh
summary=()
record=()
failed=0
main_version=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
for py in $pythons; do
  v=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  full=$("$py" -c 'import platform; print(platform.python_version())')
  venv=".venv-$v"
  [ "$v" = "$main_version" ] && venv=".venv"
  echo "== Python $full ($venv) =="
  if ! bash tools/venv.sh "$venv" "$py" dev; then
    summary+=("Python $full: 环境未能建立 / could not set up $venv")
    record+=("$full ✗")
    failed=1
    continue
  fi
  "$venv/bin/python" -m nanzhou_desktop.render.fonts || true  # as make venv does: the free fonts converted once
  log=$(mktemp)
  "$venv/bin/python" -m pytest -p no:cacheprovider 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed)' "$log" | tail -n 1 | sed 's/=//g; s/^ *//; s/ *$//')
  rm -f "$log"
  summary+=("Python $full: ${line:-no summary} (exit $rc)")
  if [ "$rc" -eq 0 ]; then record+=("$full ✓"); else record+=("$full ✗"); failed=1; fi
done
echo
echo "make test-all $(date -u +%Y-%m-%d):"
printf '  %s\n' "${summary[@]}"
# The README records the versions of the last run (between its test-all markers).
"$(echo "$pythons" | head -n 1)" - "$(date -u +%Y-%m-%d)" "${record[@]}" <<'PY'
import re, sys
from pathlib import Path
day, results = sys.argv[1], sys.argv[2:]
readme = Path("README.md")
text = readme.read_text(encoding="utf-8")
line = f"Python {' · '.join(results)} ({day})"
readme.write_text(re.sub(r"(<!-- test-all -->).*?(<!-- /test-all -->)", lambda m: m[1] + line + m[2], text),
                  encoding="utf-8")
PY
exit $failed
