# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench bench-whole evaluate evaluate-test notebook kb-notebook kb-evaluate kb-bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/rufakt extract corpus/dev/docs -o out/facts.jsonl

test: $(VENV)/.installed-dev
	$(BIN)/ruff check pipeline tests
	$(BIN)/python -m pytest

evaluate: $(VENV)/.installed-run
	$(BIN)/rufakt extract corpus/dev/docs -o out/facts.jsonl -q
	$(BIN)/rufakt evaluate --gold corpus/dev/gold.jsonl --pred out/facts.jsonl --by-rule
	$(BIN)/rufakt evaluate --factru ../shared/factru-dev

# the sealed test split: once, at the end of a round of work (corpus/README.md)
evaluate-test: $(VENV)/.installed-run
	$(BIN)/rufakt extract corpus/test/docs -o out/test.jsonl -q
	$(BIN)/rufakt evaluate --gold corpus/test/gold.jsonl --pred out/test.jsonl

bench: $(VENV)/.installed-run
	$(BIN)/rufakt bench

bench-whole: $(VENV)/.installed-run
	$(BIN)/rufakt bench --whole

notebook: $(VENV)/.installed-dev
	$(BIN)/jupyter execute --inplace notebooks/explore.ipynb

kb-notebook: $(VENV)/.installed-dev
	cd notebooks && ../$(BIN)/jupyter execute --inplace knowledge_base.ipynb

kb-evaluate: $(VENV)/.installed-run
	$(BIN)/rufakt kb evaluate --corpus corpus/kb --extract

kb-bench: $(VENV)/.installed-run
	$(BIN)/python tests/bench/kb.py

clean:
	rm -rf out $(VENV)
