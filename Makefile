# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamp files so a second `make` does not reinstall; they depend on pyproject.toml.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# The tests install the spark, transformer and pii extras too: the engine parity tests, the accurate
# sentiment tier's tests and the named-entity redaction tests run (and must pass) in CI.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,spark,transformer,pii]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/parallax demo $(ARGS)

test: $(VENV)/.installed-dev
	bash scripts/ensure-test-services.sh
	$(BIN)/ruff check --output-format concise src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src
	$(BIN)/pytest $(ARGS)

bench: $(VENV)/.installed-dev
	$(BIN)/parallax bench all

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
