#!/usr/bin/env bash
# Install the system packages the app and its tests need, only where they are missing.
# CJK TrueType fonts for print and screen, poppler (pdftotext/pdftoppm/pdffonts) for the
# print tests, Qt's runtime libraries for offscreen and real windows.
set -u
need=()
have_font() { fc-list 2>/dev/null | grep -qi "$1"; }
have_font "AR PL SungtiL GB" || need+=(fonts-arphic-gbsn00lp)
have_font "AR PL UKai" || need+=(fonts-arphic-ukai)
have_font "LXGW WenKai" || need+=(fonts-lxgw-wenkai)
have_font "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
have_font "cwTeX" || need+=(fonts-cwtex-fs)  # a 仿宋 with rarer characters (滘) than Fandol's
# Fandol 仿宋 and 宋 (TeX Live; converted to TrueType at the first print): the body and title
# faces where the office fonts are absent.  Installed without TeX Live's recommends.
fandol=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
tex=()
[ -f "$fandol" ] || tex=(texlive-lang-chinese)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v zbarimg >/dev/null || need+=(zbar-tools)  # reads the printed QR back in the tests
# LibreOffice: the tests open the Word and Excel copies with it (28 characters a line, the
# formulas' values and their recalculation), and `make bench` compares printing with it.
# Only for those (NANZHOU_TESTS=1 from `make test`/`make test-all`, NANZHOU_BENCH=1): the app
# does not need it, so `make run` does not install its ~300 MB.
if [ -n "${NANZHOU_TESTS:-}${NANZHOU_BENCH:-}" ]; then
  command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
  [ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)
fi
command -v fc-list >/dev/null || need+=(fontconfig)
for lib in libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0; do
  dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
done
[ ${#need[@]} -eq 0 ] && [ ${#tex[@]} -eq 0 ] && exit 0
echo "安装系统依赖 / installing system packages: ${need[*]} ${tex[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v apt-get >/dev/null; then
  echo "没有 apt-get：请手动安装 ${need[*]} / no apt-get: install these by hand" >&2
  exit 0
fi
$SUDO apt-get update -qq >/dev/null 2>&1 || true
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || echo "部分系统依赖安装失败：${need[*]} / some system packages failed to install" >&2
fi
if [ ${#tex[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${tex[@]}" >/dev/null 2>&1 \
    || echo "仿宋字体（${tex[*]}）安装失败，正文将以宋体打印 / failed to install ${tex[*]}" >&2
fi
exit 0
