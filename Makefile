# dagsorden: `make run` serves a demo archive, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
DEMO_MEETINGS ?= 120

.PHONY: setup install dev run test lint types pytest bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

run: install
	$(BIN)/dagsorden migrate --no-input
	$(BIN)/dagsorden demo --meetings $(DEMO_MEETINGS) --if-empty
	$(BIN)/dagsorden runserver $(HOST)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: dev
	$(BIN)/mypy dagsorden

pytest: dev node_modules/.package-lock.json
	$(BIN)/pytest -q

test: lint types pytest

bench: dev
	for b in parse import search page render pdf_import; do \
	  DAGSORDEN_DEBUG=0 $(BIN)/python bench/$${b}_bench.py || exit 1; done

# The English catalogue: collect new strings into dagsorden/locale/en, then compile the .mo
# (committed; nothing compiles at run time). Run from dagsorden/ so .venv is not scanned.
messages: install
	cd dagsorden && ../$(BIN)/dagsorden makemessages -l en --no-obsolete
	cd dagsorden && ../$(BIN)/dagsorden compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
