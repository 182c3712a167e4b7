# The two set-up commands of the README:
#   make run   create .venv, install, create the database (demo data if empty), start the app
#   make test  create the venv, install runtime + test requirements, run every test
# VENV can point elsewhere (.ci/run passes a brand-new one so a missing requirement fails there).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8501
SIZE ?= S

.PHONY: run test lint bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

run: $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) cli.py db init
	$(PY) cli.py db demo --size S --seed 7 --if-empty
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --browser.gatherUsageStats false

test: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(PY)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

# Benchmark one demo size (S, M or L): results in bench/results/$(SIZE).json and .md
bench: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) bench/run.py --size $(SIZE)
