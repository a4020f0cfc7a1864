# Two commands do everything on a fresh machine with Python 3.11+:
#   make run    create .venv, install the kiosk and the bundled packs, start the kiosk
#   make test   the same set-up if needed, then the whole test suite
#   make test-fast   only the unit tests, in seconds (no process, no Pilot, no SSH or web)
#   make lint   ruff (lint and format), the layer contracts and mypy; CI runs it before make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PACKS  := $(wildcard packs/*/pyproject.toml)

.PHONY: run test test-fast lint bench setup browser clean snapshot-update bundled-record

setup: $(STAMP)

$(STAMP): pyproject.toml $(PACKS)
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23.1"
	$(BIN)/python -m pip install --quiet -e ".[test,lint]" $(foreach p,$(dir $(PACKS)),-e ./$(p))
	$(MAKE) --no-print-directory browser
	touch $(STAMP)

# The web page's tests drive Debian's chromium (tests/web/test_browser.py). Installed when it is
# missing and this is a Debian-like machine where we may; otherwise those tests say why they skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
	      || echo "make: chromium could not be installed; the browser tests will be skipped"; \
	  else echo "make: no chromium, and no apt-get as root to install it; the browser tests will be skipped"; fi; }

# `make run` is for trying the kiosk at a desk: development mode, where Ctrl+Q quits.
# `make run RUN_MODE=` starts it locked down, exactly as `kiosk` on a branch terminal.
RUN_MODE ?= --no-kiosk

run: $(STAMP)
	$(BIN)/kiosk $(RUN_MODE) $(ARGS)

# Two workers: the suite is mostly Textual apps and subprocesses, CPU-bound, and CI machines here
# have two cores. `make test TEST_WORKERS=0` runs it in one process (easier to debug).
TEST_WORKERS ?= 2

test: $(STAMP) haproxy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The load-balancer test runs a real HAProxy in front of two `kiosk ssh` servers
# (tests/ssh/test_haproxy.py). Installed when missing and this is a Debian-like machine
# where we may; otherwise that test says why it skips.
.PHONY: haproxy
haproxy:
	@command -v haproxy >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy) \
	      || echo "make: haproxy could not be installed; the load-balancer test will be skipped"; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy) \
	      || echo "make: haproxy could not be installed; the load-balancer test will be skipped"; \
	  else echo "make: no haproxy, and no apt-get as root to install it; the load-balancer test will be skipped"; fi; }

# The unit tests only: what is not marked `slow` (tests/conftest.py says what slow means). One
# process, and without the snapshot plugins, which would import Textual for nothing.
test-fast: $(STAMP)
	$(BIN)/python -m pytest --fast -n 0 -q -p no:textual-snapshot -p no:syrupy $(PYTEST_ARGS)

# Style, layers and types: ruff (lint and format), import-linter's contracts, mypy.
LINT_PATHS := kiosk tests bench packs

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	# Installed code is byte-compiled by pip; the editable checkout must be too, or the kiosk
	# would be timed compiling its own sources against a precompiled baseline.
	$(BIN)/python -m compileall -q kiosk packs bench
	$(BIN)/python -m bench $(ARGS)

# After changing a bundled pack's document: record its new SHA-256 (kiosk/builtin/bundled.py).
bundled-record: $(STAMP)
	$(BIN)/python -m kiosk.builtin.record_bundled

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest tests/ui --snapshot-update -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist snapshot_report.html
