# The two commands of the README: `make run` and `make test`. Everything installs into .venv,
# config/graphiql/node_modules and tests/console/axe/node_modules from the project's own files
# (pyproject.toml, package-lock.json).
# `make wheel` builds dist/mandates-<version>-py3-none-any.whl, as the Dockerfile does.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
GRAPHIQL := config/graphiql/node_modules/.package-lock.json
AXE := tests/console/axe/node_modules/.package-lock.json
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST := $(BIN)/python -m pytest -q -p no:randomly
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run lint test test-sqlite test-postgres schema wheel bench clean

$(INSTALLED): pyproject.toml
	@echo "== creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "== installing mandates (editable) and its pinned dependencies, with the test tools, into $(VENV)"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(INSTALLED)

$(GRAPHIQL): config/graphiql/package-lock.json
	@echo "== installing GraphiQL's assets from config/graphiql/package-lock.json (npm ci) into config/graphiql/node_modules"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix config/graphiql

$(AXE): tests/console/axe/package-lock.json
	@echo "== installing axe-core for the console's accessibility tests from tests/console/axe/package-lock.json (npm ci)"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix tests/console/axe

install: $(INSTALLED) $(GRAPHIQL) $(AXE)

run: install
	@echo "== applying the database migrations (mandates migrate)"
	$(BIN)/mandates migrate
	@echo "== loading the demo data (once) into the data directory (.data unless MANDATES_DATA_DIR is set)"
	$(BIN)/mandates demo
	@echo "== serving http://$(HOST):$(PORT)/graphql and http://$(HOST):$(PORT)/console/ (Ctrl-C stops)"
	$(BIN)/mandates serve --host $(HOST) --port $(PORT)

schema: $(INSTALLED)
	@echo "== exporting the GraphQL schema to schema.graphql"
	$(BIN)/mandates export-schema schema.graphql
	$(BIN)/mandates export-console-schema console/js/schema.js
	@echo "== exporting the console's words from the message catalogue (config/locale/*.po) to console/js/strings.js"
	$(BIN)/mandates export-console-strings console/js/strings.js

# The wheel carries GraphiQL's assets, so npm ci runs first (the Dockerfile's stages do the same).
wheel: install
	@echo "== building the wheel into dist/ (with the console, the reference data and GraphiQL's assets)"
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

# The static gate, run by CI before the tests: mypy as configured in [tool.mypy] of pyproject.toml
# (strict on models/ and resolvers/, the default level on schema/, config/ and documents/).
lint: install
	@echo "== ruff: lint rules and formatting of the whole tree (pyproject.toml [tool.ruff])"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "== type-checking models/ resolvers/ schema/ config/ documents/ with mypy"
	$(BIN)/mypy

# The whole suite on SQLite under coverage (floor 90 % per package), then the behaviour and use-case
# tests again on PostgreSQL when it answers.
test: install
	bash tests/run.sh

bench: install
	bash tests/bench/run.sh

clean:
	rm -rf $(VENV) .data config/graphiql/node_modules tests/console/axe/node_modules build dist
