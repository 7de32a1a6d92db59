# tradetalks: `make demo` sets up and runs the main job; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLES := $(filter-out samples/README.md,$(wildcard samples/*))
DEMO_DB ?= demo.db

.PHONY: demo test install dev postgres quality speed ingest-bench lint clean

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

# The store's tests run on a real PostgreSQL server: the tests start a throw-away cluster
# on loopback from Debian's binaries, installed here when they are missing.
postgres:
	@sh scripts/ensure-postgres.sh

demo: install
	$(BIN)/tradetalks extract --format table $(SAMPLES)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/tradetalks ingest --db $(DEMO_DB) --no-progress $(SAMPLES)
	$(BIN)/tradetalks timeline --db $(DEMO_DB) --each-relationship

test: dev postgres
	$(BIN)/python -m pytest

quality: install
	$(BIN)/python benchmarks/quality.py

speed: install
	$(BIN)/python benchmarks/speed.py

ingest-bench: install postgres
	$(BIN)/python benchmarks/ingest.py

lint: dev
	$(BIN)/ruff check tradetalks tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
