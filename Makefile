# The two commands of the README: `make run` and `make test`.  Both set themselves up on a
# fresh machine: system packages (CJK fonts, poppler, Qt's libraries) where missing, then
# a .venv with the pinned dependencies.
#
# Python: 3.11, 3.12 or 3.13.  A new .venv is made with the newest of them found (pyenv's too);
# `make venv PY=python3.12` asks for one.  An existing .venv of a supported Python is kept;
# one whose Python no longer runs is made again (tools/venv.sh says why).
PY ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

# The stamp stands only while the venv's Python runs and is supported (and is the one asked for).
VENV_PY := $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
WANT_PY := $(if $(PY),$(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null),$(VENV_PY))
ifeq ($(filter 3.11 3.12 3.13,$(VENV_PY)),)
$(shell rm -f $(STAMP))
else ifneq ($(VENV_PY),$(WANT_PY))
$(shell rm -f $(STAMP))
endif

.PHONY: run test test-all bench screenshots lint system-deps venv dist dist-check deb deb-check clean

$(STAMP): pyproject.toml constraints.txt
	@bash tools/system-deps.sh
	@bash tools/venv.sh $(VENV) "$(PY)" dev
	@# the free 仿宋/宋 (CFF) converted to TrueType once, here rather than at the first print
	-$(BIN)/python -m nanzhou_desktop.render.fonts
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python tools/run.py

test: $(STAMP)
	@NANZHOU_TESTS=1 bash tools/system-deps.sh
	$(BIN)/python -m pytest

# The suite on every supported Python installed (.venv-3.11, .venv-3.12, .venv-3.13).
test-all:
	@bash tools/test-all.sh

bench: $(STAMP)
	@NANZHOU_BENCH=1 bash tools/system-deps.sh
	$(BIN)/python bench/run_all.py

screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .

dist: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[build]'
	$(BIN)/pyinstaller --noconfirm --clean build.spec

dist-check: dist
	$(BIN)/python tools/dist_check.py

# A .deb of the one-folder build (Debian 12, Ubuntu, 统信UOS, 麒麟), and its install check
# (apt install, run from PATH, dpkg -r; needs root or sudo).
deb: dist
	$(BIN)/python tools/build_deb.py

deb-check: deb
	bash tools/deb_check.sh

clean:
	rm -rf build dist .pytest_cache
