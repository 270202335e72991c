#!/usr/bin/env bash
# `make deb-check` (and CI, after `make test`): install the .deb as an office's IT would,
# use the program from PATH as a new user would, then remove it and check it left nothing
# behind but the user's own files.
#
#   apt install ./nanzhou-desktop_*.deb → nanzhou-desktop --version, demo, check, print,
#   the window (offscreen), the menu entry and the report file type → dpkg -r → nothing left
#
# Needs root (sudo is used when not root).  Prints the package's size and the install time.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
deb=$(ls -t dist/nanzhou-desktop_*.deb 2>/dev/null | head -n 1 || true)
[ -n "$deb" ] || { echo "deb-check: 没有找到 dist/nanzhou-desktop_*.deb，请先运行 make deb" >&2; exit 2; }
deb=$(realpath "$deb")
fail() { echo "deb-check FAILED: $*" >&2; exit 1; }
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=600)

if dpkg -s nanzhou-desktop >/dev/null 2>&1; then
  echo "deb-check: removing an earlier nanzhou-desktop first"
  $SUDO dpkg -r nanzhou-desktop >/dev/null
fi

echo "== apt install $deb"
start=$(date +%s.%N)
if ! $SUDO "${APT[@]}" install "$deb" >/tmp/nanzhou-deb-install.log 2>&1; then
  # a dependency not yet known to apt: refresh the package lists once and try again
  $SUDO "${APT[@]}" update >/dev/null 2>&1 || true
  $SUDO "${APT[@]}" install "$deb" >/tmp/nanzhou-deb-install.log 2>&1 \
    || { tail -20 /tmp/nanzhou-deb-install.log >&2; fail "apt install"; }
fi
install_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
grep -E "^(Need to get|After this operation|[0-9]+ upgraded)" /tmp/nanzhou-deb-install.log || true

# A new user: their own home, nothing cached.
home=$(mktemp -d /tmp/nanzhou-deb-user.XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache"
cd "$home"
unset NANZHOU_HOME NANZHOU_CACHE_DIR

[ "$(command -v nanzhou-desktop)" = /usr/bin/nanzhou-desktop ] || fail "nanzhou-desktop is not on PATH"
echo "== nanzhou-desktop --version"
nanzhou-desktop --version | tee version.txt
grep -q "^nanzhou-desktop " version.txt || fail "--version"
echo "== nanzhou-desktop demo 南洲2022.sqlite"
nanzhou-desktop demo 南洲2022.sqlite
echo "== nanzhou-desktop check 南洲2022.sqlite"
set +e
nanzhou-desktop check 南洲2022.sqlite > check.txt
rc=$?
set -e
head -n 5 check.txt
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "check exited $rc"  # 1: the example's sign-off is not filled in
grep -q "得分" check.txt || fail "check printed no score"
echo "== nanzhou-desktop print 南洲2022.sqlite -o 南洲2022.pdf"
nanzhou-desktop print 南洲2022.sqlite -o 南洲2022.pdf
[ "$(stat -c %s 南洲2022.pdf)" -gt 10000 ] || fail "print wrote no PDF"
head -c 5 南洲2022.pdf | grep -q "%PDF-" || fail "the PDF is not a PDF"
echo "== the window, offscreen, on the report"
QT_QPA_PLATFORM=offscreen NANZHOU_SCREENSHOT_DIR="$home/shots" nanzhou-desktop "$home/南洲2022.sqlite" >/dev/null
ls "$home"/shots/*.png >/dev/null 2>&1 || fail "the window wrote no screenshot"

echo "== nanzhou-desktop district load: 240 files, read by worker processes"
# A batch this size is read by worker processes (district/parallel.py): in the frozen build
# they are this executable started again, which multiprocessing.freeze_support() turns into a
# worker.  One report and 239 copies of it: 1 loaded, 239 已装入过.
mkdir -p "$home/inbox"
for i in $(seq -w 1 240); do cp 南洲2022.sqlite "$home/inbox/单位$i.sqlite"; done
(
  seen=0  # the most worker processes seen at once (children of the fork server)
  while [ ! -e "$home/load.done" ]; do
    for server in $(pgrep -f "multiprocessing.forkserver" || true); do
      n=$( (pgrep -P "$server" || true) | wc -l)
      [ "$n" -gt "$seen" ] && seen=$n
    done
    sleep 0.05
  done
  echo "$seen" > "$home/workers.seen"
) &
watcher=$!
set +e
timeout 600 nanzhou-desktop district load "$home/汇总.sqlite" "$home"/inbox/*.sqlite > load.txt 2> load.err
rc=$?
set -e
touch "$home/load.done"
wait "$watcher"
tail -n 1 load.txt
[ "$rc" -eq 0 ] || { tail -5 load.err >&2; fail "district load exited $rc"; }
grep -q "共 240 个文件，拒收 0 个；汇总库中现有 1 份报告" load.txt || fail "district load: unexpected result"
[ "$(grep -c "已装入过" load.txt)" -eq 239 ] || fail "district load: the copies were not all found present"
workers=$(cat "$home/workers.seen")
echo "worker processes seen at once: $workers"
[ "$workers" -ge 1 ] || fail "district load: no worker processes were started"
! grep -q "Traceback" load.err || { head -20 load.err >&2; fail "district load: a traceback"; }

echo "== menu entry and file type"
desktop=/usr/share/applications/nanzhou-desktop.desktop
grep -q "^Categories=Office;" "$desktop" || fail "not in the Office (办公) menu"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop" || fail "desktop entry"; fi
[ -f /usr/share/icons/hicolor/48x48/apps/nanzhou-desktop.png ] || fail "icon"
[ -f /usr/share/mime/application/x-nanzhou-report.xml ] || fail "the MIME database was not updated"
if command -v gio >/dev/null; then
  type=$(gio info -a standard::content-type "$home/南洲2022.sqlite" | sed -n 's/.*standard::content-type: //p')
  echo "gio: 南洲2022.sqlite is $type"
  [ "$type" = application/x-nanzhou-report ] || fail "a report file is not recognised ($type)"
  other="$home/other.sqlite"
  python3 -c "import sqlite3; c = sqlite3.connect('$other'); c.execute('create table t(x)'); c.commit()"
  type=$(gio info -a standard::content-type "$other" | sed -n 's/.*standard::content-type: //p')
  [ "$type" != application/x-nanzhou-report ] || fail "any SQLite file is taken for a report"
fi
if [ -f /usr/share/applications/mimeinfo.cache ]; then
  grep -q "application/x-nanzhou-report=.*nanzhou-desktop.desktop" /usr/share/applications/mimeinfo.cache \
    || fail "double-click: the file type is not given to nanzhou-desktop"
fi
if command -v xdg-mime >/dev/null; then
  echo "xdg-mime: opened by $(xdg-mime query default application/x-nanzhou-report)"
fi

echo "== dpkg -r nanzhou-desktop"
files=$(dpkg -L nanzhou-desktop | sort -r)
$SUDO dpkg -r nanzhou-desktop >/dev/null
left=""
while IFS= read -r f; do
  [ -z "$f" ] && continue
  if [ -e "$f" ] && [ ! -d "$f" ]; then left+="$f "; fi
done <<< "$files"
[ -z "$left" ] || fail "left behind: $left"
[ ! -e /opt/nanzhou-desktop ] || fail "/opt/nanzhou-desktop left behind"
[ ! -e /usr/bin/nanzhou-desktop ] || fail "/usr/bin/nanzhou-desktop left behind"
[ -s "$home/南洲2022.sqlite" ] && [ -s "$home/南洲2022.pdf" ] || fail "the user's files were touched"
size=$(stat -c %s "$deb")
size_mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')
echo "deb-check ok: $(basename "$deb"), $size_mb MB; apt install took $install_s s; --version, demo, check, print" \
  "and the window ran from PATH; removed cleanly, the user's report and PDF kept."
