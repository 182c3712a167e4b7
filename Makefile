# The two set-up commands of the README:
#   make run   create .venv, install, create the database (demo data if empty), start the app
#   make test  create the venv, install runtime + test requirements, run every test
# Others:
#   make run DEMO=0         start on the database as it is (no demo data), e.g. an empty one
#   make run ADDRESS=0.0.0.0 listen on every interface (default: this machine only)
#   make demo               demo data into an empty database, without starting the app
#   make cli ARGS="kpi targets --by region"   the CLI inside the venv
#   make screenshots        take the README's pictures in docs/ (the browser tests, saving them)
# VENV can point elsewhere (.ci/run passes a brand-new one so a missing requirement fails there).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8501
ADDRESS ?= 127.0.0.1
DEMO ?= 1
SIZE ?= S

.PHONY: run test lint bench load demo cli install screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) cli.py db init
	@$(PY) cli.py check || true

run: install
ifeq ($(DEMO),1)
	$(PY) cli.py db demo --size S --seed 7 --if-empty
endif
	$(PY) -m streamlit run dashboard.py --server.address $(ADDRESS) --server.port $(PORT) \
		--browser.gatherUsageStats false

demo: install
	$(PY) cli.py db demo --size S --seed 7 --if-empty

cli: install
	$(PY) cli.py $(ARGS)

test: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

# The browser tests that take the README's pictures, saving them into docs/ (make test saves
# them to a scratch folder, so a checkout stays clean).
screenshots: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	CRM_SCREENSHOTS=1 $(PY) -m pytest tests/e2e/test_browser.py tests/e2e/test_director_touch.py \
		tests/e2e/test_meeting_room.py tests/e2e/test_forward_views.py

lint: $(PY)
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy

# Benchmark one demo size (S, M or L): results in bench/results/$(SIZE).json and .md
bench: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) bench/run.py --size $(SIZE)

# Load test of the running app (USERS sessions for MINUTES while reps write): bench/results/load-$(SIZE).json
load: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) bench/load.py --size $(SIZE) --users $(or $(USERS),20) --minutes $(or $(MINUTES),10)
