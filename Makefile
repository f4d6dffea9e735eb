# reflexbook: `make run` serves the demo, `make test` runs every test. Both set themselves up.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# The app starts with debug off and refuses to run without a secret key (a bare server is a
# production server); local runs and checks ask for debug, which allows a throwaway key.
LOCAL := DJANGO_DEBUG=1

.PHONY: run test lint format migrations-check e2e bench clean messages

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

# The translations: locale/<lang>/LC_MESSAGES/django.po compiled to .mo (not committed) in pure
# Python, so no GNU gettext is needed (reflexbook.lib.catalogs; only stale ones are written).
messages: $(STAMP)
	$(PY) -m reflexbook.lib.catalogs

# The server, a task worker and the periodic jobs (Procfile.dev), emails queued in the database
# and printed by the worker, as production sends them.
run: $(STAMP) messages
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py seed_demo
	$(LOCAL) DJANGO_TASKS_BACKEND=database HOST=$(HOST) $(VENV)/bin/honcho -f Procfile.dev start

# The non-browser tests run on every core (pytest-xdist: each worker has its own database);
# the browser tests share one live server and Chromium, so they run after, one at a time.
test: $(STAMP) messages lint migrations-check
	$(PY) -m pytest -m "not e2e" -n auto
	$(PY) -m pytest -m e2e

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	$(LOCAL) $(PY) manage.py makemigrations --check --dry-run

e2e: $(STAMP) messages
	$(PY) -m pytest -m e2e

# Not part of `make test`: the pages' server CPU against a bare Django page, with gunicorn and
# wrk over seeded data (README, "Performance"). BENCH_ARGS="--volumes 0 --seconds 2" for a quick run.
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "make bench needs wrk: sudo apt-get install wrk (macOS: brew install wrk)"; exit 1; }
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .local-field-key media .pytest_cache .import_linter_cache
