# ProfileLens. `make setup && make run` runs the product; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FIREFOX := /usr/lib/firefox-esr/firefox-esr

.PHONY: setup python-deps dev-deps extension-deps browser run test lint bench train validate extension clean

setup: python-deps extension-deps

# What the product needs to run, nothing more.
python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e .
	touch $@

# The tools that test, lint and measure it (pytest, Playwright, mypy, ruff, ...): pyproject's dev group.
dev-deps: $(VENV)/.dev-installed
$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e . --group dev
	touch $@

extension-deps: extension/node_modules/.installed
extension/node_modules/.installed: extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browsers for the browser tests. Chromium: the one tests/browserkit.py finds (PROFILELENS_CHROMIUM,
# Debian's, another install, Playwright's own). Firefox: PROFILELENS_FIREFOX, else Debian's firefox-esr
# (driven over its own WebDriver BiDi). What is missing comes from apt-get where there is one (as on CI).
browser: dev-deps
	@$(PY) tests/browserkit.py; found=$$?; need=""; 	[ $$found = 1 ] && need="chromium"; 	[ -x "$${PROFILELENS_FIREFOX:-$(FIREFOX)}" ] || need="$$need firefox-esr"; 	if [ -n "$$need" ] && command -v apt-get >/dev/null; then 	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); 	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$need; 	elif [ $$found = 1 ]; then $(PY) -m playwright install chromium; 	elif [ $$found != 0 ]; then exit $$found; fi

run: python-deps extension
	@echo "Load the unpacked extension from extension/ (chrome://extensions, Developer mode) or"
	@echo "dist/profilelens-firefox.zip in Firefox; paste the pairing token below into its options."
	$(VENV)/bin/profilelens token
	$(VENV)/bin/profilelens serve $(if $(PORT),--port $(PORT))

# pytest exits 5 when it collected nothing: that is a failure here too, never hidden.
test: setup dev-deps browser
	$(PY) -m pytest

lint: dev-deps
	$(VENV)/bin/ruff check server tests
	$(VENV)/bin/ruff format --check server tests
	$(VENV)/bin/mypy

# Peers measured beside ours (twscrape's parser), in a venv of their own; without a network, skipped.
PEERS := .venv-peers
$(PEERS)/.installed:
	-python3 -m venv $(PEERS) && $(PEERS)/bin/python -m pip install --quiet twscrape orjson && touch $@

bench: dev-deps $(PEERS)/.installed
	@for f in tests/bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

train: python-deps
	$(PY) -m profilelens.training

# Checks of the ratings that have no model file (the audience), on the real data: rewrites their cards.
validate: python-deps
	$(PY) -m profilelens.validation.audience

extension: extension-deps
	cd extension && npm run --silent build

clean:
	rm -rf $(VENV) extension/node_modules dist .pytest_cache
