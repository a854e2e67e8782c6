# Two commands matter: `make demo` and `make test`. Everything else is a step they share.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
LEADS ?= 10000
SEED ?= 7
LANDING ?= data/landing

.PHONY: install manifest generate demo dev test lint clean

install: $(INSTALLED)

# Installs from the lock file (uv: ~10x faster than pip); the stamp re-installs when the lock changes.
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# dagster-dbt needs dbt's manifest before the Dagster definitions load.
manifest: install
	$(BIN)/python -m orchestration.manifest

generate: install
	$(BIN)/python -m sample_exports generate --leads $(LEADS) --seed $(SEED) --out $(LANDING)

demo: generate manifest
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster job execute -m orchestration.definitions -j refresh_warehouse_job
	$(BIN)/python -m orchestration.summary

dev: manifest
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -m orchestration.definitions

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf data/warehouse.duckdb* $(LANDING) dbt_project/target dbt_project/logs .dagster_home/storage
