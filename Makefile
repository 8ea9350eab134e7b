# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_STORE := demo-store/banso.sqlite

.PHONY: demo test test-fast lint bench install clean

$(BIN)/banso: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/banso

## Run banso on demo data (a synthetic Saitama history, made once in ./demo-store).
demo: install
	@test -f $(DEMO_STORE) || $(BIN)/banso --store $(DEMO_STORE) demo --scale prefecture
	$(BIN)/banso --store $(DEMO_STORE)

## Run the whole test suite (slow tests included), with a throwaway PostgreSQL; the
## benchmark guard runs last and alone, so other tests do not skew its timings.
test: install
	scripts/with-postgres $(BIN)/pytest -n 2 -q -m "not bench"
	$(BIN)/pytest -q -m bench

## The quick suite for development (no slow tests, no PostgreSQL).
test-fast: install
	$(BIN)/pytest -n 2 -q -m "not slow and not bench"

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) demo-store .pytest_cache .mypy_cache .ruff_cache
