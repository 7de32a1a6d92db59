# tradetalks: `make demo` sets up and runs the main job; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLES := $(filter-out samples/README.md,$(wildcard samples/*))
DEMO_DB ?= demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo serve test install dev system quality speed ingest-bench web-bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

# The store's tests run on a real PostgreSQL server (the tests start a throw-away cluster
# on loopback from Debian's binaries) and the web app's on a real headless Chromium: both
# are installed here from Debian's packages when they are missing.
system:
	@sh scripts/ensure-system.sh

demo: install
	$(BIN)/tradetalks extract --format table $(SAMPLES)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/tradetalks ingest --db $(DEMO_DB) --no-progress $(SAMPLES)
	$(BIN)/tradetalks timeline --db $(DEMO_DB) --each-relationship
	$(BIN)/tradetalks serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

# The web app over the demo record (after `make demo` has built it once).
serve: install
	$(BIN)/tradetalks serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

# ruff and mypy (0 findings, or the target fails; mypy's strict checks on models, store and
# link are set in pyproject.toml), the package's import graph (no cycle), the suite, then the
# quality gate on the shared gold answers, the cleaning gate on the public HTML-extraction suites
# and the linking gate on the hand-checked groups of
# reports (each skipped, saying so, when ../shared is not beside the clone).
test: dev system
	$(BIN)/ruff check tradetalks tests
	$(BIN)/mypy
	$(BIN)/python scripts/import_graph.py
	$(BIN)/python -m pytest
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/cleaning.py
	$(BIN)/python benchmarks/linking.py

quality: install
	$(BIN)/python benchmarks/quality.py

speed: install
	$(BIN)/python benchmarks/speed.py

ingest-bench: install system
	$(BIN)/python benchmarks/ingest.py

web-bench: install
	$(BIN)/python benchmarks/web.py

lint: dev
	$(BIN)/ruff check tradetalks tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
