# The two commands of the README: `make run` and `make test`. Each does its own set-up.
# Also: `make serve` (the production server), `make bench` (every benchmark), `make worker`, `make beat`.
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

# make serve: gunicorn with the production settings (no DEBUG: SECRET_KEY and ALLOWED_HOSTS
# must be set), behind a TLS proxy that sets X-Forwarded-Proto and serves /static/ from var/static.
BIND ?= 127.0.0.1:8000
WEB_CONCURRENCY ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
GUNICORN_THREADS ?= 1
GUNICORN_TIMEOUT ?= 30
FORWARDED_ALLOW_IPS ?= 127.0.0.1,::1
ACCESS_LOG ?= -

.PHONY: run test worker beat serve bench fuzz

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

serve: $(VENV)/.installed
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	exec $(VENV)/bin/gunicorn config.wsgi:application \
		--bind $(BIND) --workers $(WEB_CONCURRENCY) --threads $(GUNICORN_THREADS) \
		--timeout $(GUNICORN_TIMEOUT) --graceful-timeout $(GUNICORN_TIMEOUT) \
		--max-requests 1000 --max-requests-jitter 100 \
		--forwarded-allow-ips "$(FORWARDED_ALLOW_IPS)" \
		--access-logfile $(ACCESS_LOG) --error-logfile - \
		--control-socket var/gunicorn.ctl

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
