# harmledger: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo-ledger.db

.PHONY: demo test test-postgres lint format bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "harmledger needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet -e ".[dev,postgres]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/harmledger run examples/ --db $(DEMO_DB)
	$(BIN)/harmledger incidents --db $(DEMO_DB) --format table
	$(BIN)/harmledger fused --db $(DEMO_DB) --min-sources 2 --format table

test: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(BIN)/python scripts/fuzz.py --seconds 10 --seed 1 all

# The suite with the ledger's tests on SQLite and on a throwaway PostgreSQL server
# (installed with apt-get if missing; scripts/postgres-test-server --stop stops it).
test-postgres: $(STAMP)
	url="$$(scripts/postgres-test-server)" && HARMLEDGER_TEST_POSTGRES="$$url" $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/ruff check --fix src tests scripts benchmarks

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_size.py
	$(BIN)/python benchmarks/hostile_corpus.py
	$(BIN)/python scripts/fuzz.py --seconds 300

clean:
	rm -rf $(VENV) $(DEMO_DB) build dist src/*.egg-info .pytest_cache .ruff_cache
