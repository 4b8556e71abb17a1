# ZhilyeGO: `make dev` runs the whole stack, `make test` the whole suite (fresh machine: Python 3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHAT_ID ?= 777000
PHONE ?= +77015550123

.DEFAULT_GOAL := help
.PHONY: help install lock dev chat wa-chat test chromium lint fmt migrate seed bench bench-analytics load drills clean-data

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the versions in requirements.lock (reproducible), then the project itself;
# again only when the lock or pyproject.toml changed. `make lock` refreshes the lock.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.lock
	$(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

lock: | $(BIN)/python ## Re-resolve requirements.lock from pyproject.toml (newest allowed versions)
	$(BIN)/python -m pip install -q 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--upgrade -o requirements.lock

install: $(STAMP) ## Create .venv and install the project with dev tools

dev: $(STAMP) ## Run everything: embedded Postgres/Redis/Temporal, migrations, demo data, worker, API, Kaspi sandbox, Telegram bot
	$(BIN)/python -m devstack up

chat: $(STAMP) ## Chat with the bot in this terminal while `make dev` runs (CHAT_ID=700002: a demo owner)
	$(BIN)/python -m devstack.chat --chat-id $(CHAT_ID)

wa-chat: $(STAMP) ## Chat with the WhatsApp bot as a guest while `make dev` runs (PHONE=+7...)
	$(BIN)/python -m devstack.wa_chat --phone $(PHONE)

test: $(STAMP) chromium ## Run the whole test suite
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The web admin is tested in headless Chromium (Debian package, /usr/bin/chromium).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update && apt-get install -y --no-install-recommends chromium; }

lint: $(STAMP) ## ruff check, ruff format --check, mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

fmt: $(STAMP) ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP) ## alembic upgrade head (embedded Postgres unless DATABASE_URL is set)
	$(BIN)/python -m devstack migrate

seed: $(STAMP) ## Load demo data; idempotent (embedded Postgres unless DATABASE_URL is set)
	$(BIN)/python -m devstack seed

bench: $(STAMP) ## Booking throughput benchmark
	$(BIN)/python bench/booking_throughput.py

bench-analytics: $(STAMP) ## Analytics/search query speed on 10k apartments and ~1M calendar nights
	$(BIN)/python bench/analytics_queries.py

load: $(STAMP) ## Load: concurrent guests searching and booking for 60 s on 10k apartments
	$(BIN)/python bench/load.py

drills: $(STAMP) ## Durability drills: kill -9 worker/API/Temporal, Postgres down 30 s, messenger/Kaspi 429/500 (~6 min)
	$(BIN)/python -m bench.drills

clean-data: ## Delete local dev data (.data/: Postgres, Redis, Temporal, dev secrets and tokens)
	rm -rf .data
