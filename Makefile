# dsplaybook: `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORES ?= all
# make setup GPU=1: a CUDA-enabled TensorFlow instead of tensorflow-cpu (same version)
GPU ?= 0
ARGS ?=  # extra snakemake arguments, e.g. ARGS="--config branches=[data,lineups]"
INSTALLED := $(VENV)/.installed$(if $(filter 1,$(GPU)),-gpu)
MIRROR := resources/mirror/fashion-mnist

.PHONY: setup demo run app draw test test-fast lint format settings report bench clean

# Create .venv if missing and install the pinned library with its test extra. With GPU=1,
# tensorflow-cpu is swapped for the same TensorFlow with its CUDA libraries (the `gpu`
# extra): both ship the `tensorflow` package, so one must go before the other comes.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	if [ "$(GPU)" = 1 ]; then \
	  $(BIN)/python -m pip uninstall -q -y tensorflow-cpu && \
	  $(BIN)/python -m pip install -q "tensorflow[and-cuda]==2.21.0"; fi
	touch $@

# Offline Fashion-MNIST from Debian's package, used as the default mirror.
$(MIRROR)/train-images-idx3-ubyte.gz:
	bash scripts/fetch-debian-fashion-mnist.sh $(MIRROR)

setup: $(INSTALLED) $(MIRROR)/train-images-idx3-ubyte.gz

demo: setup  ## set up, then run the whole workflow on the embedded default config
	$(BIN)/snakemake --cores $(CORES) $(ARGS)

run: setup  ## run a target: make run TARGET=results/data/fashion_mnist.h5
	$(BIN)/snakemake --cores $(CORES) $(ARGS) $(TARGET)

DATASET ?= fashion_mnist
PORT ?=  # default: config app.port (7860)
# snakemake prints its progress only: a folder's every input path was ~70 KB of log
QUIET := --quiet rules host reason
APP := $(BIN)/python -m dsplaybook.app $(if $(PORT),--port $(PORT))
app: setup  ## label + drawing pages: make app DATASET=<name> [PORT=<port>] (builds what they read)
	$(APP) --dataset $(DATASET) --check-port
	$(BIN)/snakemake --cores $(CORES) $(QUIET) $(ARGS) $$($(APP) --dataset $(DATASET) --queue-path)
	$(APP) --dataset $(DATASET)

draw: setup  ## the drawing page alone: make draw [PORT=<port>] (builds only dadc.human.dataset)
	$(APP) --draw-only --check-port
	$(BIN)/snakemake --cores $(CORES) $(QUIET) $(ARGS) $$($(APP) --draw-only --queue-path)
	$(APP) --draw-only

test: $(INSTALLED)  ## lint, then the whole test suite
	bash scripts/install-browser.sh
	$(MAKE) lint
	$(BIN)/pytest

test-fast: $(INSTALLED)  ## the inner loop: no snakemake runs, browser or slow tests (~5 min, ~720 tests)
	$(BIN)/pytest -m "not workflow and not browser and not slow"

# ruff (RUF100 too), ruff format, snakefmt, snakemake --lint, lint-imports and mypy: the
# hooks of .pre-commit-config.yaml, run on every file with the .venv's tools
lint: $(INSTALLED)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# The schema and docs/config.md, generated from the settings tree (a test checks them)
settings: $(INSTALLED)
	$(BIN)/python -m dsplaybook.settings_export

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/snakefmt Snakefile workflow/

report: setup
	$(BIN)/snakemake --cores $(CORES)
	$(BIN)/snakemake --report results/report.html

# bench/_*.py are helpers the benchmarks call, not benchmarks
bench: setup
	$(BIN)/python -m pip install -q -e ".[bench]"
	for script in bench/[!_]*.py; do $(BIN)/python "$$script" || exit 1; done

clean:  ## results, logs and caches; never annotations/ (what people entered)
	rm -rf results logs benchmarks .snakemake
