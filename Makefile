# The two commands of the contract: `make run` and `make test`, on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/weir serve $(ARGS)

# The suite, then the style gates: ruff and mypy --strict on the packages. The shared-state
# tests start their own redis-server: scripts/install-redis.sh makes sure there is one.
test: $(STAMP)
	bash scripts/install-redis.sh $(VENV)/redis
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)
	$(MAKE) --no-print-directory lint

lint: $(STAMP)
	$(BIN)/ruff check gateway config policies inference vectors tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/proxy_overhead.py

clean:
	rm -rf $(VENV) weir-data .pytest_cache .mypy_cache
