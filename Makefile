# The project's verbs. `make help` lists them. Every target builds the pinned environment first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
TOOL   := $(VENV)/bin/figpack
ENV    := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: diff zenodo csvw help env validate test stamp bench docs sql query build sql-schema dist cite-check site lint clean fuzz serve sqlite

help: ## List the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

CFF_VENV := .venv-cff
CFF_ENV  := $(CFF_VENV)/.installed

# Python writes each module's bytecode when it is first imported, so that no later process compiles
# it again; a shell that sets PYTHONDONTWRITEBYTECODE would make every process compile from source.
# Compiling every installed module ahead (uv's --compile-bytecode) took longer than the suite.
unexport PYTHONDONTWRITEBYTECODE

# The pinned libraries, then the tool itself (editable: the command runs this checkout's code).
# uv is installed by the interpreter's own pip where it has one (pip 22.3+ installs into another
# environment): a venv made with pip installs and compiles pip first, 5 s of a fresh clone's set-up.
# Without it, pip is bootstrapped in the venv (ensurepip) and installs uv there.
UV := uv==0.13.9
$(ENV): requirements.lock pyproject.toml figpack/_scan.c
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install -q --disable-pip-version-check $(UV) 2>/dev/null \
		|| { $(PY) -m ensurepip >/dev/null && $(PY) -m pip install -q --disable-pip-version-check $(UV); }
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --no-deps --no-build-isolation --python $(PY) -e .
	@touch $@

# cffconvert pins jsonschema<4, which breaks frictionless: it gets an environment of its own (no pip: uv installs)
$(CFF_ENV): requirements-cff.lock $(ENV)
	$(PYTHON) -m venv --without-pip $(CFF_VENV)
	$(VENV)/bin/uv pip sync -q --python $(CFF_VENV)/bin/python requirements-cff.lock
	@touch $@

env: $(ENV) ## Build the pinned environment in .venv (from requirements.lock)

validate: $(ENV) ## Validate the package: every problem, with file, line, field and rule
	$(TOOL) validate

test: $(ENV) $(CFF_ENV) ## Run the test suite (workers: one per core)
	$(PY) -m pytest -q

fuzz: $(ENV) ## Run the property-based suites (bad input; the scale paths against pandas) with the large profile (see README)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:randomly tests/test_bad_input.py tests/test_frames.py tests/test_fields.py

lint: $(ENV) ## ruff check, ruff format --check and mypy (pinned; settings in pyproject.toml)
	$(VENV)/bin/ruff check figpack scripts tests
	$(VENV)/bin/ruff format --check figpack scripts tests
	$(VENV)/bin/mypy
	$(TOOL) docs --check

clean: ## Remove what the verbs write: dist/, site/, caches (the environments stay)
	rm -rf dist site .pytest_cache .hypothesis .ruff_cache
	find . -name __pycache__ -prune -not -path './.venv*' -exec rm -rf {} +

stamp: $(ENV) ## Re-stamp bytes and hashes in datapackage.json after editing data
	$(TOOL) stamp

bench: $(ENV) ## Time validation on synthetic packages of 10^3 to 10^7 observations; writes docs/benchmark.md and the README section
	$(PY) -m scripts.bench --write

docs: $(ENV) ## Regenerate the README's data dictionary and rule table
	$(TOOL) docs

sql-schema: $(ENV) ## Regenerate sql/tables.sql (typed tables) from the Table Schemas
	$(TOOL) sql-schema

build: $(ENV) ## Validate, then write dist/: DuckDB database, Parquet, xlsx workbook, Stata .dta files
	$(TOOL) build

sql: $(ENV) ## An interactive read-only SQL prompt over the package (no file access, no dot commands)
	$(TOOL) sql

# The query reaches the program exactly as typed: $(value SQL) is not expanded by make, and it
# travels in the environment, never through the shell's command line.
DIFF_FROM := $(value FROM)
DIFF_TO := $(value TO)
export DIFF_FROM DIFF_TO
diff: $(ENV) ## List figure-level changes from FROM=<release zip, folder or git ref> to TO (default: this package); FORMAT=text|markdown
	@$(TOOL) diff --from-env --format $(if $(filter markdown,$(value FORMAT)),markdown,text)

RAW_SQL := $(value SQL)
export RAW_SQL
# make would export SQL, FROM, TO and FORMAT given on its command line to every recipe, expanded
# (running a $(shell ...) inside them): only the unexpanded copies above travel
unexport SQL FROM TO FORMAT
QUERY_FORMAT := $(or $(filter table csv json markdown,$(value FORMAT)),table)
query: $(ENV) ## Run SQL="..." (or SQL from stdin: echo "..." | make query) over the package; FORMAT=table|csv|json|markdown
	@if [ -n "$$RAW_SQL" ]; then $(TOOL) query --format $(QUERY_FORMAT) --from-env RAW_SQL; \
	else $(TOOL) query --format $(QUERY_FORMAT) -; fi

sqlite: $(ENV) ## Write dist/: a SQLite database (frictionless's SQL route) and Datasette metadata
	$(TOOL) sqlite

serve: $(ENV) ## Serve the package with Datasette on 127.0.0.1:8001 (PORT=...)
	$(TOOL) serve --port $(or $(PORT),8001)

dist: $(ENV) ## Write the release zip, its SHA256SUMS and the schema.org JSON-LD to dist/
	$(TOOL) dist

zenodo: $(CFF_ENV) ## Regenerate .zenodo.json (deposit metadata) from CITATION.cff with cffconvert
	$(CFF_VENV)/bin/cffconvert -i CITATION.cff -f zenodo > .zenodo.json

csvw: $(ENV) ## Regenerate csv-metadata.json (W3C CSV on the Web) from the Table Schemas
	$(TOOL) csvw

cite-check: $(CFF_ENV) ## Validate CITATION.cff with cffconvert
	$(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff

site: build dist ## Build the datasheet page: site/index.html (self-contained) and site/downloads/
	$(TOOL) site
