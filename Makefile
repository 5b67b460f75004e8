# Two commands for a new user: `make run` (set up and serve with demo data) and `make test`.
# DATABASE_URL selects PostgreSQL; without it everything uses the embedded SQLite file.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local targets run in development mode unless the caller says otherwise.
export DJANGO_DEBUG ?= 1

.PHONY: run setup install test lint format check-migrations loadrun

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

setup: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seed_fixtures
	$(BIN)/python manage.py ensure_local_curator

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# `make test TESTS=tests/test_replicas.py` runs part of the suite, on every core (pytest-xdist;
# TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(TESTS)

# A bounded load run (readers and curators writing) against gunicorn on the database of `make setup`.
LOAD_SECONDS ?= 60
loadrun: setup
	$(BIN)/python manage.py loadrun --seconds $(LOAD_SECONDS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run
