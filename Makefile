# The README's commands. `make run` needs no server; `make test` needs PostgreSQL and Redis on localhost.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
GOVUK := node_modules/govuk-frontend/dist/govuk
MOJ := node_modules/@ministryofjustice/frontend/moj
BUILD := static/build

PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/probation
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist workers: the suite is Python, PostgreSQL and Chromium in turn, so two workers keep both cores busy
# (each has its own test database, test_probation_gw0 and _gw1). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)

.PHONY: help install assets run demo test test-replica test-dates test-fast lint format bench load load-closed drill clean

help:
	@echo "make run    - run the product on this machine (SQLite, no servers needed), with demo logins"
	@echo "make test   - run the whole test suite against PostgreSQL and Redis on localhost"
	@echo "make test-replica - the read replica against a real streaming standby (a primary and standby of its own)"
	@echo "make test-dates - the suite again on awkward days: a Saturday (Boxing Day), Christmas Day, a month end, 29 February"
	@echo "make lint   - ruff, mypy and the import contracts (import-linter)"
	@echo "make bench  - benchmarks at national scale"
	@echo "make load   - load test: 50 officers for 2 minutes against gunicorn (after make bench)"
	@echo "make load-closed - closed-loop throughput: officers logging calls with no think time (LOAD_KIND=office_visit: visits)"
	@echo "make drill  - fault drills on a PostgreSQL and Redis of their own (about 5 minutes)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock requirements-dev.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/.built: node_modules/.package-lock.json $(wildcard static/src/*)
	mkdir -p $(BUILD)/assets
	cp -R $(GOVUK)/assets/. $(BUILD)/assets/
	cp -R $(MOJ)/assets/. $(BUILD)/assets/
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map $(BUILD)/
	cp $(MOJ)/moj-frontend.min.js $(MOJ)/moj-frontend.min.js.map $(BUILD)/
	cp static/src/app.mjs static/src/session-timeout.mjs static/src/js-enabled.js $(BUILD)/
	npx sass --quiet --no-source-map --style=compressed --load-path=node_modules --load-path=. \
		static/src/govuk.scss:$(BUILD)/govuk.css static/src/moj.scss:$(BUILD)/moj.css static/src/app.scss:$(BUILD)/app.css
	touch $@

assets: $(BUILD)/.built

run: install assets
	@probation/scripts/run-local $(PORT)

test: install assets
	@probation/scripts/test-services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) STATIC_MANIFEST=false $(PYTEST)
	@$(MAKE) --no-print-directory test-replica

# The read replica for real: tools/replica.py initdb's a primary on a free port, makes a standby of it with
# pg_basebackup -R, runs the tests marked `replica` against the two, then stops and removes both (about 30 s).
# Never touches the shared cluster on 5432. `make test` runs it after the suite.
test-replica: install
	@probation/scripts/test-services
	$(BIN)/python -m tools.replica run -- env CELERY_BROKER_URL=$(TEST_BROKER_URL) STATIC_MANIFEST=false \
		$(BIN)/pytest -q -m replica tests/probation/test_replica_live.py

# No test may depend on the day it runs: tests/conftest.py pins the clock (25 November 2026 unless told), and
# this runs the suite again with PROBATION_TEST_TODAY on a Saturday that is also Boxing Day, on Christmas Day
# and on a month end. Browser tests aside; so are the property-based hostile-input and fault tests, which do
# not depend on the day and would take the three runs past 10 minutes (`make test` runs them).
TEST_DATES ?= 2026-12-26 2026-12-25 2026-11-30 2028-02-29
TEST_DATES_SKIP := tests/browser tests/probation/test_hostile_input.py tests/probation/test_faults.py

test-dates: install assets
	@probation/scripts/test-services
	@failed=""; for day in $(TEST_DATES); do \
		echo "make test-dates: the suite on $$day"; \
		PROBATION_TEST_TODAY=$$day DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
			STATIC_MANIFEST=false $(PYTEST) -q $(addprefix --ignore=,$(TEST_DATES_SKIP)) || failed="$$failed $$day"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-dates: failures on$$failed"; exit 1; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/probation_bench
BENCH_SCALE ?= national

bench: install assets
	probation/scripts/test-services
	$(BIN)/python manage.py collectstatic --noinput -v0
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))" 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py seed_demo --scale $(BENCH_SCALE) --if-empty
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=memory:// $(BIN)/python manage.py bench

load: install assets
	probation/scripts/test-services
	DATABASE_URL=$(BENCH_DATABASE_URL) probation/scripts/load-test

load-closed: install assets
	probation/scripts/test-services
	DATABASE_URL=$(BENCH_DATABASE_URL) LOAD_MODE=closed probation/scripts/load-test

drill: install
	$(BIN)/python -m tools.drill --record docs/OPERATIONS.md

clean:
	rm -rf $(BUILD) staticfiles var
