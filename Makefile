# Every target bootstraps .venv on a fresh clone; only python3 (3.11+) is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test fuzz lint bench emulator clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sigma serve

demo: $(STAMP)
	$(BIN)/sigma demo

emulator: $(STAMP)
	$(BIN)/sigma emulator

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Four workers (pytest-xdist) even on two cores: the suite mostly waits (servers, Shopify's
# emulated latency and bulk operations, leases), its CPU time is about a fifth of its workers'
# time; tests/e2e took 64-95 s with -n 4 against 90-103 s with -n 2 on a loaded machine.
# With SIGMA_TEST_DATABASE_URL each worker uses its own database (<name>_gw0 .. <name>_gw3,
# created on that server). Plain `pytest` still runs in one process. `worksteal`: a worker that
# runs out takes tests queued on another, so one long test does not hold the end (116 s against
# 124 s with the default distribution, both databases, quiet machine). Schemathesis' pytest
# plugin is only for `make fuzz`: loading it cost every worker about 2 s of CPU.
test: lint
	$(BIN)/pytest -n 4 --dist worksteal --durations=20 -p no:schemathesis

# Generated requests against a running server (about 5,800 per database; a few minutes).
# CI=true fixes the sequence; SIGMA_FUZZ_SCALE=0.1 makes a quick local run.
fuzz: $(STAMP)
	$(BIN)/pytest tests/fuzz -m fuzz -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
