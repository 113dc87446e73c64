# Two commands for a fresh machine (Python 3.11+):
#   make run    start the bot on SQLite, waiting for a OneBot V11 client
#   make test   run the whole test suite (set TEST_DATABASE_URL to also use PostgreSQL)
#   make bench  run every benchmark, each printing its figures (docs/PERFORMANCE.md)
#   make demo   the real bot plays a day in the groups over the OneBot simulator (KEEP=1: stay up)
# Each creates .venv and installs what is missing by itself.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench demo clean

$(BIN)/python:
	@test -n "$(PYTHON)" || (echo "需要 Python 3.11 或更新版本 / Python 3.11+ is required" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python -m bot

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

format: $(VENV)/.dev
	$(BIN)/ruff check --fix bot tests bench
	$(BIN)/ruff format bot tests bench

# Every benchmark (bench/run.py: arguments that fit 15 minutes; the national data is generated
# once into bench/.cache); BENCH_POSTGRES_URL=postgresql+asyncpg://u:p@host/postgres for PostgreSQL.
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# A day in the groups on a temporary SQLite database, printed as a transcript (under a minute);
# KEEP=1 leaves the bot running (the board can be browsed) until Ctrl-C.
demo: $(VENV)/.runtime
	$(BIN)/python -m bot.devtools.demo $(if $(filter-out 0,$(KEEP)),--keep)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
