# The README's two commands: `make run` and `make test`. Everything they need is set up here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
export VNU_JAR
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test worker setup lint check bench e2e clean install install-dev

$(VENV)/bin/python:
	@# Debian and Ubuntu ship Python without venv/ensurepip: install it when we can.
	@if ! $(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv (Python's venv module is missing)"; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; \
	  else \
	    echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' and try again." >&2; \
	    exit 1; \
	  fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(VNU_JAR)

## The Nu HTML Checker (the W3C validator) for the HTML validity tests: its jar comes from the
## npm registry and runs on Java. Without npm the tests say plainly that they skip.
$(VNU_JAR): | $(VENV)/bin/python
	@if command -v npm >/dev/null; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION) >/dev/null; \
	else \
	  echo "npm not found: the Nu HTML Checker tests will be skipped"; \
	fi

## setup: migrations, compiled translations, static files and demo content.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_catalogues
	$(PY) manage.py load_demo

## run: serve on http://127.0.0.1:$(PORT) with one task worker beside it.
run: setup
	@echo "Starting one task worker and the web server on http://127.0.0.1:$(PORT)/ (Ctrl-C stops both)"
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

## worker: one more task worker in the foreground (scale out by starting more).
worker: install
	$(PY) manage.py db_worker --no-reload

lint: install-dev
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

check: install-dev
	DJANGO_SETTINGS_MODULE=buddysite.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=buddysite.settings.test $(PY) manage.py makemigrations --check --dry-run
	@# The production settings must pass Django's deployment check (example values).
	DJANGO_SETTINGS_MODULE=buddysite.settings.production \
	  SECRET_KEY=check-deploy-only-$$(printf '%064d' 0 | tr 0 x)Zq8 \
	  ALLOWED_HOSTS=buddy.example.be BASE_URL=https://buddy.example.be DATABASE_URL= \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py audit_dependencies
	$(PY) manage.py compile_catalogues

## test: lint, Django's checks, the migration check, catalogues, the whole suite.
test: lint check
	$(PY) -m pytest --create-db -rs -m "not e2e" $(PYTEST_ARGS)
	TEST_DB_SUFFIX=_e2e $(PY) -m pytest --create-db -rs -m e2e tests/e2e $(PYTEST_ARGS)

e2e: install-dev
	TEST_DB_SUFFIX=_e2e $(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

## bench: bench/http.py loads the site with Debian's wrk, installed here when run as root.
bench: install-dev
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's wrk for bench/http.py"; \
	    { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
	      || echo "Could not install wrk: bench/http.py falls back to its Python client"; \
	  else \
	    echo "wrk not found ('sudo apt-get install wrk'): bench/http.py falls back to its Python client"; \
	  fi; \
	fi
	$(PY) manage.py compile_catalogues
	$(PY) bench/http.py
	$(PY) bench/startup.py
	$(PY) bench/api.py
	$(PY) bench/ical.py
	$(PY) bench/poster.py
	$(PY) bench/registration.py
	$(PY) bench/registration_sites.py
	$(PY) bench/matching.py
	$(PY) bench/newsletter.py
	$(PY) bench/outbox.py
	$(PY) bench/report.py

clean:
	rm -rf $(VENV) var
