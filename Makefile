# The two commands of the README: `make run` and `make test`. Each does its own set-up.
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

.PHONY: run test worker beat

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
