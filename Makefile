# Two commands do all the set-up on a fresh machine:
#   make site   builds the seed briefing's site into site/
#   make test   runs the whole test suite, the browser tests included
VENV := .venv
PY := $(VENV)/bin/python
# axe-core, injected into pages by the browser tests; npm ci rewrites node_modules/, so a stamp says it is done
AXE := node_modules/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make test: npm is needed to install axe-core for the browser tests: apt-get install npm" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

.PHONY: site test
site: $(VENV)/.installed
	$(VENV)/bin/crossbrief build .

# The browser tests fail, saying what to install, rather than skip (as a bare `pytest` does without Chromium).
# One test file per worker, a worker per core: a file's shared fixtures (the seed site, the browser) are made once.
test: $(VENV)/.installed $(AXE)
	$(VENV)/bin/ruff check crossbrief tests scripts
	$(VENV)/bin/ruff format --check crossbrief tests scripts
	CROSSBRIEF_REQUIRE_TOOLS=1 $(PY) -m pytest -q -n auto --dist loadfile
