# The two commands: `make run` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo $$p && break; done)
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Python may write its bytecode caches (__pycache__, ignored by git) even where the environment
# says otherwise (PYTHONDONTWRITEBYTECODE): without them every test process compiles the project
# and pytest rewrites the asserts of every test module again, about 17 s of each worker's start.
unexport PYTHONDONTWRITEBYTECODE
# Test processes (pytest-xdist): each gets its own test database and browser.
WORKERS ?= 2

.PHONY: run demo-code serve-prod test install lint typecheck test-postgres bench bench-load messages clean oidc-provider

# The OpenID Connect provider the single sign-on tests run as a separate process (Node.js,
# tests/oidc-provider): its npm packages exactly as in its package-lock.json. Without npm the
# tests that need it are skipped (and fail in CI, where HALLBAR_REQUIRE_BROWSER is set).
OIDC_PROVIDER := tests/oidc-provider
OIDC_STAMP := $(OIDC_PROVIDER)/node_modules/.hallbar-installed
$(OIDC_STAMP): $(OIDC_PROVIDER)/package.json $(OIDC_PROVIDER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing the OpenID Connect test provider (npm ci in $(OIDC_PROVIDER))…"; \
		(cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error) && touch $@; \
	else echo "npm not found: the single sign-on tests will be skipped"; fi

oidc-provider: $(OIDC_STAMP)

# `make serve-prod`: the production stack on this machine, against PostgreSQL.
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hallbar_prod
PROD_DATA_DIR ?= var-prod
WEB_CONCURRENCY ?= 3

$(STAMP): requirements.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "hallbar needs Python 3.11 or newer (python3 --version)"; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON) and installing the pinned dependencies…"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# The demo is served as in production: DEBUG off (the project's own error pages, whitenoise
# serves the static files), with a random SECRET_KEY made once and kept in var/demo-secret-key.
# It is served on plain http on this machine, so HALLBAR_PLAIN_HTTP turns off the https-only
# settings (secure cookies, HSTS, the redirect to https) that are on by default without DEBUG.
run: $(STAMP)
	@mkdir -p var
	@test -s var/demo-secret-key || (umask 077; $(BIN)/python -c \
		'import secrets; print(secrets.token_urlsafe(50))' >var/demo-secret-key)
	@export SECRET_KEY="$$(cat var/demo-secret-key)" HALLBAR_PLAIN_HTTP=true \
		HALLBAR_STATIC_MANIFEST=false HALLBAR_LOG_FORMAT=text; \
	$(BIN)/python manage.py migrate --noinput -v 0 && $(BIN)/python manage.py load_demo
	@echo
	@echo "hallbar is served on http://$(HOST):$(PORT)/  (Ctrl+C stops it and the task worker)"
	@export SECRET_KEY="$$(cat var/demo-secret-key)" HALLBAR_PLAIN_HTTP=true \
		HALLBAR_STATIC_MANIFEST=false HALLBAR_LOG_FORMAT=text; \
	$(BIN)/python manage.py db_worker --queue-name default >var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# The current code of the demo's published authenticator key (the second factor of the demo
# logins that need one), for a tester without an authenticator app.
demo-code: $(STAMP)
	@$(BIN)/python manage.py demo_code
# The production stack (docs/deploy.md) on this machine: PostgreSQL (PROD_DATABASE_URL; the
# database is created when missing), gunicorn with WEB_CONCURRENCY workers, the task worker, static
# files with hashed names (collected again only when static/ or the lock changed), JSON logs on
# standard output. The demo is loaded into an empty database. Plain http on HOST:PORT, as `make
# run`; behind the TLS proxy of deploy/nginx a deployment leaves HALLBAR_PLAIN_HTTP unset.
PROD_ENV = export SECRET_KEY="$$(cat var/demo-secret-key)" HALLBAR_PLAIN_HTTP=true \
	DATABASE_URL="$(PROD_DATABASE_URL)" HALLBAR_DATA_DIR="$(abspath $(PROD_DATA_DIR))" \
	HALLBAR_BIND="$(HOST):$(PORT)" WEB_CONCURRENCY="$(WEB_CONCURRENCY)"
PROD_STATIC := $(PROD_DATA_DIR)/staticfiles/staticfiles.json

$(PROD_STATIC): $(STAMP) $(shell find static -type f 2>/dev/null) requirements.lock
	@echo "Collecting the static files (hashed and compressed; a few minutes the first time)…"
	@mkdir -p $(PROD_DATA_DIR)
	@$(PROD_ENV); $(BIN)/python manage.py collectstatic --noinput -v 0

serve-prod: $(STAMP)
	@mkdir -p var $(PROD_DATA_DIR)
	@test -s var/demo-secret-key || (umask 077; $(BIN)/python -c \
		'import secrets; print(secrets.token_urlsafe(50))' >var/demo-secret-key)
	@$(PROD_ENV); $(BIN)/python manage.py create_database && \
	$(BIN)/python manage.py migrate --noinput -v 0 && \
	if $(BIN)/python manage.py shell -v 0 -c 'from hallbar.core.backup import database_has_data; \
		raise SystemExit(0 if database_has_data() else 1)'; then echo "The demo is loaded."; \
	else $(BIN)/python manage.py load_demo; fi
	@$(MAKE) --no-print-directory $(PROD_STATIC)
	@echo
	@echo "hallbar is served by gunicorn on http://$(HOST):$(PORT)/  (health: /healthz; Ctrl+C stops it and the task worker)"
	@$(PROD_ENV); \
	$(BIN)/python manage.py db_worker --queue-name default & worker=$$!; \
	trap "kill $$worker 2>/dev/null; wait $$worker" EXIT INT TERM; \
	$(BIN)/gunicorn -c config/gunicorn.conf.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .

# The type checker alone (also part of lint): strict for the Django-free packages (pyproject).
typecheck: $(STAMP)
	$(BIN)/mypy .

test: lint oidc-provider
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal

# The suite against PostgreSQL (used by .ci/run, after `make test`); DATABASE_URL may be
# overridden. The presentation tests (axe-core, widths, CSP, screenshots: marked `presentation`)
# check only how pages look, which no database changes; they ran in `make test`, so they are left
# out here (PYTEST_ARGS= runs them too). Every other browser test runs on both databases.
PYTEST_ARGS ?= -m "not presentation"
test-postgres: $(STAMP) oidc-provider
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hallbar} $(BIN)/python -m pytest -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

# Every benchmark once at a small size: checks that they run and pass their own checks, in a
# few minutes. Measurements use the default sizes (bench/README.md).
bench: $(STAMP)
	$(BIN)/python -m bench.planner --quick
	$(BIN)/python -m bench.supplier_matching --suppliers 1000
	$(BIN)/python -m bench.risk_screen --rows 100000 --suppliers 2000
	$(BIN)/python -m bench.imports --rows 1000 --suppliers 100
	$(BIN)/python -m bench.tabular --quick

# The load benchmark (bench/README.md, "load"): locust users against gunicorn + PostgreSQL on a
# scratch database (hallbar_bench), at the demo's size and ten times its contracts. locust is
# the bench extra (requirements-bench.lock), installed here on first use, not by `make install`.
# Options: make bench-load BENCH_LOAD_ARGS="--users 50 --seconds 60 --scale 1,10 --workers 3"
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_LOAD_ARGS ?=
$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	@echo "Installing the bench extra (locust; requirements-bench.lock)…"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock \
		-r requirements-bench.lock
	@touch $@

bench-load: $(BENCH_STAMP)
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l sv -l en --no-obsolete --no-location -i ".venv/*" -i "var/*"
	$(BIN)/python manage.py compilemessages -l sv -l en

clean:
	rm -rf $(VENV) var var-prod
