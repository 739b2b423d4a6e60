# Two commands do all the set-up on a fresh machine:
#   make site   builds the seed briefing's site into site/
#   make test   runs the whole test suite
VENV := .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

.PHONY: site test
site: $(VENV)/.installed
	$(VENV)/bin/crossbrief build .

test: $(VENV)/.installed
	$(PY) -m pytest -q
