# The project's verbs. `make help` lists them. Every target builds the pinned environment first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ENV    := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help env validate test stamp bench docs sql query build sql-schema dist cite-check site

help: ## List the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

CFF_VENV := .venv-cff
CFF_ENV  := $(CFF_VENV)/.installed

$(ENV): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip sync -q --compile-bytecode --python $(PY) requirements.lock
	@touch $@

# cffconvert pins jsonschema<4, which breaks frictionless: it gets an environment of its own
$(CFF_ENV): requirements-cff.lock $(ENV)
	$(PYTHON) -m venv $(CFF_VENV)
	$(VENV)/bin/uv pip sync -q --python $(CFF_VENV)/bin/python requirements-cff.lock
	@touch $@

env: $(ENV) ## Build the pinned environment in .venv (from requirements.lock)

validate: $(ENV) ## Validate the package: every problem, with file, line, field and rule
	$(PY) -m scripts.validate

test: $(ENV) $(CFF_ENV) ## Run the test suite
	$(PY) -m pytest -q

stamp: $(ENV) ## Re-stamp bytes and hashes in datapackage.json after editing data
	$(PY) -m scripts.stamp

bench: $(ENV) ## Time validation on synthetic packages of 10^3 to 10^6 observations
	$(PY) -m scripts.bench

docs: $(ENV) ## Regenerate the README's data dictionary and rule table
	$(PY) -m scripts.docs

sql-schema: $(ENV) ## Regenerate sql/tables.sql (typed tables) from the Table Schemas
	$(PY) -m scripts.sql_schema

build: $(ENV) ## Write dist/: DuckDB database, Parquet files, xlsx workbook
	$(PY) -m scripts.build

sql: build ## Open the DuckDB shell on the package (database read-only, SQL file access off)
	$(VENV)/bin/duckdb -readonly dist/zhumadian-2023-economic-work-report.duckdb \
	  -cmd "SET enable_external_access = false" -cmd "SET lock_configuration = true"

FORMAT ?= table
query: $(ENV) ## Run SQL="..." over the package; FORMAT=table|csv|json|markdown
	@test -n "$$SQL" || { echo 'usage: make query SQL="SELECT * FROM ranks" [FORMAT=csv]'; exit 2; }
	@$(PY) -m scripts.query --format $(FORMAT) "$$SQL"

dist: $(ENV) ## Write the release zip, its SHA256SUMS and the schema.org JSON-LD to dist/
	$(PY) -m scripts.dist

cite-check: $(CFF_ENV) ## Validate CITATION.cff with cffconvert
	$(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff

site: build dist ## Build the datasheet page: site/index.html (self-contained) and site/downloads/
	$(PY) -m scripts.site
