# The two commands of the README: `make run` and `make test`. Each does its own set-up.
# Also: `make serve` (the production server), `make bench` (every benchmark), `make worker`, `make beat`.
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

# make serve: the Procfile's gunicorn (web), Celery worker and beat, under honcho: one command
# starts them all, and Ctrl-C (or any one of them exiting) stops them all. Production settings
# (no DEBUG): DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY and ALLOWED_HOSTS
# come from the environment. Behind a TLS proxy that sets X-Forwarded-Proto; whitenoise serves
# /static/ from gunicorn. LOG_FORMAT=json for one JSON object a log line (then without honcho's prefix).
BIND ?= 127.0.0.1:8000
WEB_CONCURRENCY ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
GUNICORN_THREADS ?= 1
GUNICORN_TIMEOUT ?= 30
CELERY_CONCURRENCY ?= $(shell nproc 2>/dev/null || echo 2)
FORWARDED_ALLOW_IPS ?= 127.0.0.1,::1
SERVE_ENV := DATABASE_URL CELERY_BROKER_URL SECRET_KEY ALLOWED_HOSTS

.PHONY: run test worker beat serve serve-env serve-prepare bench fuzz

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(ADDR)

test: $(VENV)/.installed
	scripts/test.sh $(ARGS)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

serve: serve-env serve-prepare
	PATH="$(abspath $(VENV))/bin:$$PATH" BIND="$(BIND)" WEB_CONCURRENCY="$(WEB_CONCURRENCY)" \
	GUNICORN_THREADS="$(GUNICORN_THREADS)" GUNICORN_TIMEOUT="$(GUNICORN_TIMEOUT)" \
	CELERY_CONCURRENCY="$(CELERY_CONCURRENCY)" FORWARDED_ALLOW_IPS="$(FORWARDED_ALLOW_IPS)" \
		exec $(VENV)/bin/honcho start --no-colour $$([ "$${LOG_FORMAT:-}" = json ] && echo --no-prefix) -f Procfile

# Refuse before anything starts when a setting is missing, or the database or broker is not
# the shared kind (SQLite and the in-process checks are for development only).
serve-env:
	@missing=""; for name in $(SERVE_ENV); do \
		[ -n "$$(printenv $$name)" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
		echo "make serve: set$$missing in the environment (see README, Production)." >&2; exit 2; fi
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make serve: DATABASE_URL must be a PostgreSQL URL (postgres://...)." >&2; exit 2;; esac
	@case "$$CELERY_BROKER_URL" in redis://*|rediss://*) ;; \
		*) echo "make serve: CELERY_BROKER_URL must be a Redis URL (redis://...)." >&2; exit 2;; esac
	@case "$${DEBUG:-}" in ""|0|false|no|off) ;; \
		*) echo "make serve: unset DEBUG; it is the production server." >&2; exit 2;; esac

# What runs once before the processes start: the deployment checks, the migrations, the static files.
serve-prepare: serve-env $(VENV)/.installed
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Every script in benchmarks/, one after the other; figures only, never pass/fail of the tests.
bench: $(VENV)/.installed
	@status=0; for script in benchmarks/*.py; do \
		echo "== $$script"; $(PY) $$script || { echo "($$script failed: exit $$?)"; status=1; }; \
	done; $(MAKE) --no-print-directory fuzz || status=1; exit $$status

# The long import fuzz (the test suite runs a slice of it): 10,000 mutated articles on PostgreSQL.
FUZZ_EXAMPLES ?= 10000
fuzz: $(VENV)/.installed
	STET_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) STET_FUZZ_REPORT=1 \
	DATABASE_URL=$${STET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/stet} \
		$(VENV)/bin/pytest -q -s -p no:cacheprovider tests/editorial/test_import_fuzz.py -k postgres
