# One entry point for people and CI. `make test` works from a fresh clone with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lint format test unit functional demo bench schemas lock clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check reconciler tests bench
	$(BIN)/ruff format --check reconciler tests bench
	$(BIN)/mypy --strict reconciler
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix reconciler tests bench
	$(BIN)/ruff format reconciler tests bench

test: lint
	$(BIN)/pytest -n 2 --dist loadfile --cov --cov-report=term:skip-covered

unit: $(STAMP)
	$(BIN)/pytest tests/unit

functional: $(STAMP)
	$(BIN)/pytest tests/functional

demo: $(STAMP)
	$(BIN)/reconciler sandbox reset --config examples/reconciler.yaml
	$(BIN)/reconciler validate examples/
	$(BIN)/reconciler plan examples/
	$(BIN)/reconciler apply --yes examples/
	$(BIN)/reconciler plan --detailed-exitcode examples/

bench: $(STAMP)
	$(BIN)/python bench/run.py

schemas: $(STAMP)
	$(BIN)/reconciler schema -o schemas

lock: $(STAMP)
	$(BIN)/python tools/lock.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage build dist
