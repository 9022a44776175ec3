# Journeymap: `make run` opens the app on a sample map; `make test` runs every test.
# Both create .venv, install the package and the system programs it needs (Graphviz `dot`,
# the libraries Qt needs on Linux) when they are missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE ?= sample-map.json

# Debian/Ubuntu packages: Graphviz for layout and rendering; the rest are what Qt's
# xcb (real window) and offscreen platforms load (libxcb-cursor0 above all, since Qt 6.5).
APT_PACKAGES := graphviz python3-venv libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 \
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core

.PHONY: run test setup system-deps bench lint clean

run: setup
	@test -f $(SAMPLE) || $(BIN)/journeymap new --template enterprise -o $(SAMPLE)
	$(BIN)/journeymap $(SAMPLE)

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv: install python3-venv (sudo apt-get install python3-venv) and run make again."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

system-deps:
	@sh scripts/system-deps.sh $(APT_PACKAGES)

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

# The checks CI runs after the tests: lint, formatting, the architecture contracts, types.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
