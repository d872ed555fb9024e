# dropin: `make run` serves the demo board, `make test` runs the whole suite.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PO      := $(wildcard dropin/translations/*/LC_MESSAGES/messages.po)
MO      := $(PO:.po=.mo)
PYTEST_ARGS ?=

.PHONY: run test setup system-deps js-deps translations extract-messages screenshots clean

run: setup
	$(BIN)/dropin db upgrade
	$(BIN)/dropin seed-demo --if-demo
	$(BIN)/dropin serve

test: setup system-deps js-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

setup: $(STAMP) $(MO)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# Debian's Chromium and PostgreSQL for the real-browser and real-database tests; nginx and Redis for
# the region set-up of deploy/ (tests/integration/test_deploy.py, with a throwaway openssl certificate).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v systemd-analyze >/dev/null || missing="$$missing systemd"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	command -v shellcheck >/dev/null || missing="$$missing shellcheck"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing (run 'sudo apt-get install$$missing')"; exit 1; \
	  fi; \
	fi

# Mozilla's ical.js (the parser Thunderbird's calendar uses) checks the regions' iCalendar feed in the tests.
ICAL_JS := .tools/node_modules/ical.js/package.json
js-deps: $(ICAL_JS)

$(ICAL_JS):
	npm install --prefix .tools --no-save --no-audit --no-fund --loglevel=error ical.js@2.2.1

# --ignore-dirs: Babel skips directories starting with "_" by default, which would miss templates/_macros.
extract-messages: setup
	mkdir -p dropin/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* __pycache__' -o dropin/translations/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i dropin/translations/messages.pot -d dropin/translations --no-fuzzy-matching --ignore-obsolete

screenshots: setup system-deps
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) $(MO)
