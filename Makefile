# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format superuser bench screenshots migrate content clean safety-report safety-held-out css profile lighthouse backup

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.runtime
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py createcachetable

content: migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_site_content

# The site and the task worker (emails), one command; Ctrl-C stops both.
run: content
	DJANGO_DEBUG=1 $(PY) scripts/run.py $(PORT)

test: $(VENV)/.dev
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	find templates -name '*.html' | xargs $(VENV)/bin/djhtml --check
	DJANGO_DEBUG=1 $(PY) manage.py check
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	find templates -name '*.html' | xargs $(VENV)/bin/djhtml

superuser: migrate
	DJANGO_DEBUG=1 $(PY) manage.py createsuperuser

# An online copy of the make run database (production: python manage.py backup PATH).
BACKUP ?= var/backups/db-$(shell date -u +%Y%m%dT%H%M%SZ).sqlite3
backup: $(VENV)/.runtime
	DJANGO_DEBUG=1 $(PY) manage.py backup $(BACKUP)

bench: $(VENV)/.dev
	$(PY) scripts/bench.py

# The medical-safety detector on its held-out test split (comments/safety/corpus).
safety-report: migrate
	DJANGO_DEBUG=1 $(PY) manage.py safety_report

# The held-out batch (comments/safety/corpus/held_out.jsonl): figures only, so it stays unread
# and measures the next round's detector on phrasings nobody tuned on.
safety-held-out: migrate
	DJANGO_DEBUG=1 $(PY) manage.py safety_report --file comments/safety/corpus/held_out.jsonl --figures-only

clean:
	rm -rf $(VENV) var

# PNGs of the main pages at phone and desktop widths (needs Chromium).
screenshots: $(VENV)/.dev
	$(PY) scripts/screenshots.py

# Rebuild static/vendor/bootstrap/bootstrap.min.css from Bootstrap's Sass sources
# (only the parts the site uses: assets/bootstrap/site-bootstrap.scss). Needs Node
# and npm; the built file is committed, so running the site does not.
css:
	cd assets/bootstrap && npm ci --no-audit --no-fund && npm run build

# Where a render of the article with 200 comments spends its time (pyinstrument).
profile: $(VENV)/.dev
	$(PY) scripts/profile_article.py --comments 200

# Lighthouse (mobile) scores of home, article and search (needs Node, npm and
# Chromium); scores in docs/lighthouse.json.
lighthouse: $(VENV)/.dev
	cd assets/lighthouse && npm ci --no-audit --no-fund
	$(PY) scripts/lighthouse.py
