# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test quick lint slow clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,feeds,scrapy]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/timeline demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy timeline store config client producer worker service api bench tools

# everything, the slow fault-injection tests included
test: lint
	$(BIN)/pytest -q

# everything but the slow fault-injection tests
quick: lint
	$(BIN)/pytest -q -m "not slow"

# only the slow fault-injection tests
slow: $(STAMP)
	$(BIN)/pytest -q -m slow

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
