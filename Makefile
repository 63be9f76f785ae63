# The two commands of the README: `make run` and `make test`. Everything installs into .venv and
# config/graphiql/node_modules from the project's own files (pyproject.toml, package-lock.json).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
GRAPHIQL := config/graphiql/node_modules/.package-lock.json
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST := $(BIN)/python -m pytest -q -p no:randomly

.PHONY: install run test test-sqlite test-postgres schema bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(INSTALLED)

$(GRAPHIQL): config/graphiql/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix config/graphiql

install: $(INSTALLED) $(GRAPHIQL)

run: install
	$(BIN)/mandates migrate
	$(BIN)/mandates demo
	$(BIN)/mandates serve --host 127.0.0.1 --port 8000

schema: $(INSTALLED)
	$(BIN)/mandates export-schema schema.graphql

# The whole suite on SQLite, then the behaviour tests again on PostgreSQL when it answers.
test: install
	bash tests/run.sh

bench: install
	bash tests/bench/run.sh

clean:
	rm -rf $(VENV) .data config/graphiql/node_modules
