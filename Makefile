# iadsim — two commands: `make demo` and `make test`. Each creates .venv if missing and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test bench docs venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# stamps reinstall when pyproject.toml changes
# each install ends by compiling the numba kernels once, so the first command after it starts in seconds
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m iadsim.engine.warmup
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m iadsim.engine.warmup
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,validate]'
	$(BIN)/python -m iadsim.engine.warmup
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

venv: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/iadsim run homs-2021 --out $(OUT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-bench
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

docs: $(VENV)/.installed
	$(BIN)/python -m iadsim.scenario.docs > docs/scenario-format.md

clean:
	rm -rf $(VENV) $(OUT) runs .pytest_cache
