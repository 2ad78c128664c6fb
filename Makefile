# Two-command quick start: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test check format bench screenshots validate schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/workbench

serve: $(STAMP)
	$(BIN)/workbench serve

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff check workbench tests bench
	$(BIN)/ruff format --check workbench tests bench
	$(BIN)/mypy workbench tests bench
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format workbench tests bench
	$(BIN)/ruff check --fix workbench tests bench

validate: $(STAMP)
	$(BIN)/workbench validate

schema: $(STAMP)
	$(BIN)/workbench schema --write

bench: $(STAMP)
	$(BIN)/python -m bench

screenshots: $(STAMP)
	$(BIN)/python -m workbench.cli.screenshots screenshots

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
