# PrimeNews: `make demo` and `make test` each set up .venv when missing, then run.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# reinstall when the project's dependencies change; torch first, pinned (the ml extra's
# CPU build), so nothing that depends on it pulls a CUDA build
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev,ml,onnx]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/primenews demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/copies.py
	$(BIN)/python bench/embedding.py
	$(BIN)/python bench/clustering.py
	$(BIN)/python bench/cluster_startup.py
	$(BIN)/python bench/synthesis.py --grounding
	$(BIN)/python bench/web.py --br

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
