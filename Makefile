# The two commands a new user needs: `make run` (build the graph from data/docs and answer the
# main saved queries) and `make test` (the whole test suite). Both create and reuse .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= data/store
DOCS   ?= data/docs
PORT   ?= 8000

.PHONY: run test lint bench serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files make both targets idempotent: a second run reuses the installed .venv.
$(VENV)/.installed: pyproject.toml setup.py constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/kg build $(DOCS) --store $(STORE)
	$(BIN)/kg query meetings --store $(STORE)
	$(BIN)/kg query offices --store $(STORE)
	$(BIN)/kg query co-participants --store $(STORE)
	$(BIN)/kg query topics-between --store $(STORE) --param country_a=Azerbaijan --param country_b=Kazakhstan

# The graph in a browser: http://127.0.0.1:8000/ (SPARQL at /sparql, saved queries at /queries).
serve: $(VENV)/.installed
	$(BIN)/kg serve --store $(STORE) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(STORE)
