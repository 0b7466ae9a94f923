# ProfileLens. `make setup && make run` runs the product; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/lib/chromium/chromium
FIREFOX := /usr/lib/firefox-esr/firefox-esr
PORT ?= 8642

.PHONY: setup python-deps extension-deps browser run test lint bench train extension clean

setup: python-deps extension-deps

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e . --group dev
	touch $@

extension-deps: extension/node_modules/.installed
extension/node_modules/.installed: extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium and firefox-esr for the real-browser tests (Playwright cannot download browsers here;
# Firefox is driven over its own WebDriver BiDi).
browser:
	@test -x $(CHROMIUM) -a -x $(FIREFOX) || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium firefox-esr; }

run: python-deps extension
	@echo "Load the unpacked extension from extension/ (chrome://extensions, Developer mode) or"
	@echo "dist/profilelens-firefox.zip in Firefox; paste the pairing token below into its options."
	$(VENV)/bin/profilelens token
	$(VENV)/bin/profilelens serve --port $(PORT)

# pytest exits 5 when it collected nothing: that is a failure here too, never hidden.
test: setup browser
	$(PY) -m pytest

lint: python-deps
	$(VENV)/bin/ruff check server tests
	$(VENV)/bin/ruff format --check server tests
	$(VENV)/bin/mypy

bench: python-deps
	@for f in tests/bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

train: python-deps
	$(PY) -m profilelens.training

extension: extension-deps
	cd extension && npm run --silent build

clean:
	rm -rf $(VENV) extension/node_modules dist .pytest_cache
