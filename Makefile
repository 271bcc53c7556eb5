# The two commands of the README: `make report` (verify the claims, write the report) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
REPORT_OPTIONS := --claims-report=REPORT.md --claims-json=results/claims.json \
	--claims-badges=badges --claims-plots=plots --claims-readme=README.md

.PHONY: test report structural

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

# pytest-xdist workers for `make test` (0: serially). Most tests wait on a pytest or Python subprocess's start, which
# uses one core; each worker's torch takes its share of the cores (claimbench.plugin), so none oversubscribes them.
TEST_WORKERS ?= 2

test: $(BIN)/.installed
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(ARGS)

report: $(BIN)/.installed
	$(BIN)/pytest benchmarks -p no:randomly -m "not throughput and not scale" $(REPORT_OPTIONS) $(ARGS)

structural: $(BIN)/.installed
	$(BIN)/pytest benchmarks -m "params or macs or layers or size" $(ARGS)
