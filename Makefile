# Rifada — `make run` to try it, `make test` to check it. Everything else is below.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install assets messages run serve test test-fast lint bench clean lock

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c requirements.lock -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) assets messages

assets:
	@if [ -f package.json ]; then \
		[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --silent; \
		node scripts/vendor-assets.mjs; \
	fi

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	$(PY) manage.py setup_schedules
	$(MAKE) --no-print-directory serve

# The web server and the django-q2 worker together; Ctrl-C stops both.
serve:
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py qcluster & \
	echo "Rifada: http://$(HOST):$(PORT)/ar/  (portal: /ar/portal/, admin: /admin/)"; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(PY) -m pytest tests/bench -p no:cacheprovider -o addopts="" -s

# Refresh the pinned versions after changing pyproject.toml's ranges.
lock:
	rm -rf /tmp/rifada-lock && $(PYTHON) -m venv /tmp/rifada-lock
	/tmp/rifada-lock/bin/pip install -q -e '.[test]'
	/tmp/rifada-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) var node_modules staticfiles static/vendor
