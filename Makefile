# Reformstyr. `make run` serves the demo; `make test` runs every test (SQLite, then PostgreSQL).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ASSETS := app/static/vendor/htmx.min.js

.PHONY: setup run test test-sqlite test-postgres lint system-deps clean reliability bench

setup: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p app/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js app/static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js app/static/vendor/axe.min.js

# The demo is seen as of a day in the middle of the Svendborg project (see app/clock.py).
DEMO_TODAY ?= 2013-05-15

run: setup
	$(BIN)/reformstyr demo
	REFORMSTYR_TODAY=$(DEMO_TODAY) $(BIN)/reformstyr serve --host 127.0.0.1 --port 8000

# Debian's chromium (browser tests) and postgresql (the PostgreSQL run), installed when missing.
system-deps:
	scripts/system-deps.sh

test: setup system-deps lint test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

test-postgres: setup
	scripts/with-postgres.sh $(BIN)/python -m pytest -q -n 2 --dist loadfile

# The long runs: load (1 and 2 workers, SQLite and PostgreSQL), 50 SIGKILLs, backup under load,
# long Schemathesis runs. RELIABILITY_MINUTES=1 for a quick round; see docs/reliability.md.
reliability: setup system-deps
	scripts/reliability/run.sh

# The performance benchmark (not part of `make test`): load at S and L, the Gantt in chromium.
# Figures land in bench/results/; see bench/README.md.
bench: setup system-deps
	$(BIN)/python -m bench.runner --sizes S L
	$(BIN)/python -m bench.runner --sizes L --rounds 1 --think-ms 1000
	$(BIN)/python -m bench.runner --sizes S L --rounds 1 --workers 2
	scripts/with-postgres.sh $(BIN)/python -m bench.runner --sizes S L --rounds 1 --workers 2 --postgres
	$(BIN)/python -m bench.browser
	$(BIN)/python -m bench.pdf
	$(BIN)/python -m bench.pdf --tasks 3000
	$(BIN)/python -m bench.peer  # side by side with ../shared/peer-redmine (setup.sh start first)

lint: setup
	$(BIN)/ruff check app tests migrations
	$(BIN)/ruff format --check app tests migrations
	$(BIN)/mypy app

clean:
	rm -rf $(VENV) node_modules app/static/vendor data/*.db*
