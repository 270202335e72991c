#!/usr/bin/env bash
# Print the Python the project should use: the newest supported python3.1x that runs.
#
#   tools/find-python.sh          → one interpreter (path or command), newest first
#   tools/find-python.sh --all    → every supported interpreter found, one per line, oldest first
#
# Candidates are python3.13, python3.12, python3.11 on PATH, then the same versions installed
# by pyenv (its shims only answer for the versions `pyenv global` names, so the interpreters
# are also looked up in "$(pyenv root)/versions" directly).  A candidate counts only if it runs
# and reports the version its name says.  With none, it says which to install and exits 1.
set -u
SUPPORTED=(3.13 3.12 3.11)   # newest first; pyproject.toml says requires-python >= 3.11

runs_as() {  # runs_as CMD X.Y → true if CMD starts and is Python X.Y
  local got
  got=$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || return 1
  [ "$got" = "$2" ]
}

find_version() {  # find_version X.Y → prints one working interpreter for X.Y
  local v=$1 cand root
  if command -v "python$v" >/dev/null 2>&1 && runs_as "python$v" "$v"; then
    command -v "python$v"
    return 0
  fi
  root=${PYENV_ROOT:-}
  [ -z "$root" ] && command -v pyenv >/dev/null 2>&1 && root=$(pyenv root 2>/dev/null)
  [ -z "$root" ] && root="$HOME/.pyenv"
  for cand in $(ls -d "$root"/versions/"$v".*/bin/"python$v" 2>/dev/null | sort -rV); do
    if runs_as "$cand" "$v"; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

if [ "${1:-}" = "--all" ]; then
  found=0
  for ((i = ${#SUPPORTED[@]} - 1; i >= 0; i--)); do
    find_version "${SUPPORTED[$i]}" && found=1
  done
  [ $found = 1 ] && exit 0
else
  for v in "${SUPPORTED[@]}"; do
    find_version "$v" && exit 0
  done
fi
{
  echo "没有找到可用的 Python 3.11、3.12 或 3.13。请安装其中一个（推荐 3.12）再运行："
  echo "  Debian 12 / 统信UOS / 麒麟：sudo apt install python3 python3-venv   （Debian 12 自带 3.11）"
  echo "  Ubuntu 24.04：sudo apt install python3.12 python3.12-venv"
  echo "  其他系统：从 python.org 安装 3.12，或 pyenv install 3.12"
  echo "No Python 3.11, 3.12 or 3.13 found: install one of them (3.12 recommended), then run make again."
} >&2
exit 1
