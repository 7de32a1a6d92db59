# tradetalks: `make demo` sets up and runs the main job; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLES := $(filter-out samples/README.md,$(wildcard samples/*))

.PHONY: demo test install dev quality speed lint clean

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

demo: install
	$(BIN)/tradetalks extract --format table $(SAMPLES)

test: dev
	$(BIN)/python -m pytest

quality: install
	$(BIN)/python benchmarks/quality.py

speed: install
	$(BIN)/python benchmarks/speed.py

lint: dev
	$(BIN)/ruff check tradetalks tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
