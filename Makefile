# Quick start: `make demo` and `make test` (each creates .venv and installs the package if needed).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m lpsched.demo --out out/demo
	$(VENV)/bin/lpsched verify --markdown | tee out/demo/verify.md

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/exact.py --quick
	$(PY) benchmarks/sortedf_selectors.py
	$(PY) benchmarks/ratio.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
