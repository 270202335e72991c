# The two commands of the README: `make run` and `make test`.  Both set themselves up on a
# fresh machine: system packages (CJK fonts, poppler, Qt's libraries) where missing, then
# a .venv with the pinned dependencies.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test bench screenshots lint system-deps venv dist dist-check clean

$(STAMP): pyproject.toml
	@bash tools/system-deps.sh
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@# the free 仿宋/宋 (CFF) converted to TrueType once, here rather than at the first print
	-$(BIN)/python -m nanzhou_desktop.render.fonts
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python tools/run.py

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	@NANZHOU_BENCH=1 bash tools/system-deps.sh
	$(BIN)/python bench/run_all.py

screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .

dist: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[build]'
	$(BIN)/pyinstaller --noconfirm --clean build.spec

dist-check: dist
	$(BIN)/python tools/dist_check.py

clean:
	rm -rf build dist .pytest_cache
