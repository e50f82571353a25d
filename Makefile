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
# Test processes (pytest-xdist): each gets its own test database and browser.
WORKERS ?= 2

.PHONY: run test install lint typecheck test-postgres bench messages clean

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
	@export SECRET_KEY="$$(cat var/demo-secret-key)" HALLBAR_PLAIN_HTTP=true; \
	$(BIN)/python manage.py migrate --noinput -v 0 && $(BIN)/python manage.py load_demo
	@echo
	@echo "hallbar is served on http://$(HOST):$(PORT)/  (Ctrl+C stops it and the task worker)"
	@export SECRET_KEY="$$(cat var/demo-secret-key)" HALLBAR_PLAIN_HTTP=true; \
	$(BIN)/python manage.py db_worker --queue-name default >var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .

# The type checker alone (also part of lint): strict for the Django-free packages (pyproject).
typecheck: $(STAMP)
	$(BIN)/mypy .

test: lint
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(WORKERS)

# The suite against PostgreSQL (used by .ci/run); DATABASE_URL may be overridden.
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hallbar} $(BIN)/python -m pytest -n $(WORKERS)

# Every benchmark once at a small size: checks that they run and pass their own checks, in a
# few minutes. Measurements use the default sizes (bench/README.md).
bench: $(STAMP)
	$(BIN)/python -m bench.planner --quick
	$(BIN)/python -m bench.supplier_matching --suppliers 1000
	$(BIN)/python -m bench.risk_screen --rows 100000 --suppliers 2000
	$(BIN)/python -m bench.imports --rows 1000 --suppliers 100
	$(BIN)/python -m bench.tabular --quick

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l sv -l en --no-obsolete --no-location -i ".venv/*" -i "var/*"
	$(BIN)/python manage.py compilemessages -l sv -l en

clean:
	rm -rf $(VENV) var
