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
# The demo's exports and scores are as of this date, so the same seed prints the same figures on any
# day: the README's demo figures are these (tests/test_demo_figures.py checks them).
DEMO_AS_OF ?= 2026-11-01
LANDING ?= $(or $(LEAD_WAREHOUSE_LANDING_DIR),data/landing)
# Where dbt builds: duckdb (the embedded file) or spark (a local Spark session; README, "Apache Spark").
ENGINE ?= $(or $(LEAD_WAREHOUSE_ENGINE),duckdb)
export LEAD_WAREHOUSE_ENGINE := $(ENGINE)
# The loader reads the folder the generator wrote to.
export LEAD_WAREHOUSE_LANDING_DIR := $(abspath $(LANDING))

.PHONY: install engine java manifest generate demo refresh retrain backtest scorecard dev report dashboard metrics alert-test writeback bench test clean

install: $(INSTALLED)

# Installs from the lock file (uv: ~10x faster than pip); the stamp re-installs when the lock changes.
# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on the machines here) Python
# would otherwise recompile dbt from source in every process, about 4 s per dbt command.
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# Spark needs a Java runtime: installed with apt when missing (as root), else explained.
engine: install
ifeq ($(ENGINE),spark)
	@command -v java >/dev/null || $(MAKE) --no-print-directory java
endif

java:
	@[ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null || \
		{ echo "ENGINE=spark needs Java 17 or later: install it (apt install openjdk-17-jre-headless), then run again." >&2; exit 1; }
	@echo "Installing a Java runtime for Spark (openjdk-17-jre-headless) ..."
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null

# dagster-dbt needs dbt's manifest before the Dagster definitions load.
manifest: engine
	$(BIN)/python -m orchestration.manifest

generate: install
	$(BIN)/python -m sample_exports generate --leads $(LEADS) --seed $(SEED) --as-of $(DEMO_AS_OF) --out $(LANDING)

demo: generate manifest $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m orchestration.refresh --as-of $(DEMO_AS_OF) --retrain
	$(BIN)/python -m reporting.summary
	@echo "ダッシュボード Dashboard: run 'make dashboard', then open http://127.0.0.1:8501"

# Your own exports: make refresh LANDING=path/to/exports [AS_OF=YYYY-MM-DD] [VARS='{"var": value}'].
refresh: manifest
	$(BIN)/python -m orchestration.refresh $(if $(AS_OF),--as-of $(AS_OF)) $(if $(VARS),--vars '$(VARS)')
	$(BIN)/python -m reporting.summary

# Fit rule points and train the predictive model now (the schedule does it every Monday).
retrain: manifest $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster job execute -m orchestration.definitions -j retrain_models_job

# Print the backtest of the current rules, the variants, the suggested rules and the fitted scorecard
# (RULES_DIR=dir adds one).
backtest: install
	$(BIN)/python -m lead_evaluation backtest $(if $(RULES_DIR),--rules-dir $(RULES_DIR))

# Fit the scorecard (a points table learned from outcomes) now, print it and write its seed CSVs.
scorecard: install
	$(BIN)/python -m lead_evaluation fit-scorecard

# Benchmarks are not part of `make test`: BENCH_SIZES=10000,100000 make bench for a quicker run;
# ENGINE=spark builds on Spark (results in bench/results/latest-spark.json).
# BENCH_WORK=/mnt/xfs builds the bench's warehouses there (on XFS or Btrfs each build file is a clone).
BENCH_SIZES ?= 10000,100000,1000000
BENCH_REPEATS ?= 3
bench: manifest
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --repeats $(BENCH_REPEATS) $(if $(BENCH_WORK),--work $(BENCH_WORK)) \
		$(if $(filter spark,$(ENGINE)),--out bench/results/latest-spark.json)

report: install
	$(BIN)/python -m reporting.report

# Send a test message to every alert route whose variable is set (README, "Acting on scores").
alert-test: install
	$(BIN)/python -m alerting test $(if $(ROUTE),--route $(ROUTE))

# The CRM import files of the leads whose scores changed (README, "Writing scores back to the CRM").
writeback: install
	$(BIN)/python -m crm_writeback

# The dashboard on the published warehouse, on 127.0.0.1:8501 (README, "Dashboard").
dashboard: install
	$(BIN)/python -m dashboard

# The semantic layer: an example MetricFlow query (README, "Metrics"); METRICS and GROUP_BY change it.
METRICS ?= leads,mqls,mql_to_sql_rate,sql_to_won_rate,cac_jpy
GROUP_BY ?= metric_time__month
metrics: install
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir . && \
		DBT_PROFILES_DIR=. ../$(BIN)/mf query --metrics $(METRICS) --group-by $(GROUP_BY) --order metric_time__month --decimals 3

dev: manifest $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m orchestration.definitions

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster_instance.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

clean:
	# The generated sample exports only: a LANDING of your own exports is never deleted.
	rm -rf data/warehouse.* data/models data/landing reports/suggested_rules reports/fitted_scorecard dbt_project/target dbt_project/logs .dagster_home/storage
