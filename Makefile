# Merkkipaja: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run worker install install-test migrate demo test test-postgres test-browser chromium badgecheck messages check clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

tests/interop/node_modules/.installed: tests/interop/package-lock.json
	npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test tests/interop/node_modules/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "Merkkipaja is starting at http://$(HOST):$(PORT)/"
	@echo "Demo logins (password merkkipaja-demo): owner, editor, instructor"
	@echo "A background worker (emails, bulk issuing) runs beside the web server."
	@echo "Stop both with Ctrl+C."
	@echo ""
	$(BIN)/python manage.py rundev $(HOST):$(PORT)

# The background worker alone, for a second terminal or a production unit.
worker: migrate
	$(BIN)/python manage.py worker

# Debian's chromium for the browser tests; Playwright drives it (it does not
# download a browser of its own).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
		else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# 1EdTech's Open Badges 2.0 validator needs Python 3.9, so it gets its own
# environment in tests/interop/badgecheck/.venv (pyenv provides 3.9 here).
badgecheck: install-test
	$(BIN)/python -m tests.interop.badgecheck_runner

test: install-test chromium badgecheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install-test badgecheck
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install-test chromium
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# Regenerate and compile the translation catalogues (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale fi --locale sv --locale en --ignore '.venv/*' --ignore 'tests/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

check: install
	$(BIN)/python manage.py check
	MERKKIPAJA_ENV=production $(BIN)/python manage.py check --deploy || true

clean:
	rm -rf $(VENV) tests/interop/node_modules tests/interop/badgecheck/.venv staticfiles
