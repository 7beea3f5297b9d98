# Kokous: `make run` starts the demo, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help python sync run demo-code test browser fonts vnu translations lint typecheck \
	bench messages

PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never

# The first Python 3.13+ found: on PATH, then pyenv's versions (whose shims may point
# elsewhere outside this directory). Its real path, not a shim's, so that uv keeps the
# existing .venv. Override with `make PY=/path/to/python3.13 ...`.
ifndef PY
PY := $(shell for candidate in python3.14 python3.13 python3 \
		$$HOME/.pyenv/versions/3.1[3-9]*/bin/python; do \
	"$$candidate" -c 'import sys; assert sys.version_info >= (3, 13); \
		print(sys.executable)' 2>/dev/null && break; done)
endif
VENV_PY := .venv/bin/python
MANAGE := $(VENV_PY) manage.py
# The demo is always embedded (SQLite under var/, no Redis), whatever the shell exports.
DEMO_ENV := env -u DATABASE_URL -u REDIS_URL -u CACHE_URL -u CELERY_BROKER_URL \
	-u EMAIL_URL DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT)

help:
	@echo "make run     the demo at http://127.0.0.1:$(PORT)/ (PORT=8123 make run)"
	@echo "make demo-code  the demo organiser's current sign-in code (second step)"
	@echo "make test    the whole test suite, with its coverage"
	@echo "make lint    ruff check and format check, import direction"
	@echo "make typecheck  mypy on services, selectors and config/"
	@echo "make bench   the benchmarks (see bench/README.md)"
	@echo "make messages  update the translation catalogues under locale/"

python:
	$(if $(PY),,$(error No Python 3.13 or newer found (tried python3.13, python3 and \
		~/.pyenv/versions/3.13*): install Python 3.13 or name one with PY=))
	@$(PY) -m uv --version >/dev/null 2>&1 || { echo "Installing uv for $(PY)..."; \
		$(PY) -m pip install --quiet uv; }

sync: python
	$(PY) -m uv sync --frozen --python $(PY)

run: sync translations
	@$(DEMO_ENV) $(MANAGE) migrate --noinput
	@$(DEMO_ENV) $(MANAGE) load_demo
	@echo "Kokous runs at http://127.0.0.1:$(PORT)/ ; mail goes to var/mail/ ; Ctrl-C stops."
	@# The periodic jobs (reminders, sweeps, offer expiry) run beside the server and
	@# stop with it. The server is gunicorn with threads (config/gunicorn.conf.py):
	@# one process, as the embedded cache lives in its memory, and 4 threads, as SQLite
	@# takes one writer at a time (more threads only lengthen each writer's turn).
	@trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(MANAGE) run_periodic --every 60 & periodic=$$!; \
	$(DEMO_ENV) .venv/bin/gunicorn config.wsgi -c config/gunicorn.conf.py \
		--workers 1 --threads 4 --bind 127.0.0.1:$(PORT)

# The second step of the demo organiser's sign-in, while `make run` runs.
demo-code:
	@$(DEMO_ENV) $(MANAGE) demo_totp

# The whole suite, with the coverage of the apps and config/ ([tool.coverage] in
# pyproject.toml); below the floor, the level reached (rounded down), it fails.
COVERAGE_FLOOR := 95
test: sync browser fonts vnu translations
	$(VENV_PY) -m pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR)

# Finnish and Swedish: compile locale/*/LC_MESSAGES/django.po into the .mo files
# Django reads (compiled here, not committed). Needs GNU gettext's msgfmt.
translations: sync
	@if ! command -v msgfmt >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing gettext for the translations..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			gettext >/dev/null || true; fi
	@if command -v msgfmt >/dev/null; then \
		DEBUG=1 $(MANAGE) compilemessages --ignore .venv --verbosity 0; \
	else echo "note: gettext (msgfmt) is missing: pages show in English only" \
		"(apt-get install gettext)."; fi

# The browser tests drive Debian's Chromium; install it when we may.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing chromium and chromium-driver for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver >/dev/null \
		|| echo "note: could not install chromium: browser tests will skip."; \
	else echo "note: /usr/bin/chromium is missing and we are not root:" \
		"browser tests will skip (apt-get install chromium chromium-driver)."; fi

# Badges are drawn by WeasyPrint through Pango and HarfBuzz, with fonts for every
# script a name may be written in: DejaVu (Latin with the Sámi letters, Greek,
# Hebrew, Arabic) and WenQuanYi Zen Hei (Chinese). Installed when missing, as root.
BADGE_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
	fontconfig fonts-dejavu-core fonts-wqy-zenhei
fonts:
	@missing=$$(for package in $(BADGE_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' \
		|| echo $$package; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing" $$missing "for the badges..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			$$missing >/dev/null \
		|| echo "note: could not install" $$missing": the badge tests will fail."; \
	else echo "note:" $$missing "missing and we are not root: the badge tests" \
		"will fail (apt-get install" $$missing")."; fi

# The W3C's Nu Html Checker, which the browser tests run over the pages they save:
# vnu.jar from the npm package vnu-jar, fetched once into .cache/ (needs npm; Java
# runs it).
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/$(VNU_VERSION)/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR):
	@if command -v npm >/dev/null; then \
		echo "Fetching vnu.jar $(VNU_VERSION) (npm package vnu-jar) into .cache/vnu/..."; \
		rm -rf .cache/vnu/tmp && mkdir -p .cache/vnu/tmp && \
		(cd .cache/vnu/tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
			tar xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar) && \
		mkdir -p $(@D) && mv .cache/vnu/tmp/package/build/dist/vnu.jar $@ && \
		rm -rf .cache/vnu/tmp; \
	else echo "note: npm is missing: the HTML checks will skip (install npm)."; fi
	@command -v java >/dev/null || echo "note: Java is missing: the HTML checks will skip."

lint: sync
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

# mypy with django-stubs on what pyproject.toml's [tool.mypy] names (services,
# selectors, config/); its plugin loads the settings, hence DEBUG=1.
typecheck: sync
	DEBUG=1 .venv/bin/mypy

bench: sync
	@for script in bench/*.py; do echo "== $$script"; $(VENV_PY) $$script || exit 1; done

messages: sync
	mkdir -p locale
	DEBUG=1 $(MANAGE) makemessages --locale fi --locale sv --ignore .venv --ignore var \
		--ignore bench --ignore tests
	DEBUG=1 $(MANAGE) compilemessages --ignore .venv
