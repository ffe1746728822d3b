# C-TIP Planner — `make help` lists the targets. Everything the project needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MESSAGES := src/ctip/web/locale/fr/LC_MESSAGES/django.mo
PYTEST_ARGS ?= -n 2 --dist loadgroup  # both cores (pytest-xdist; tests marked xdist_group stay on one worker); `make test PYTEST_ARGS=` runs in one process

.DEFAULT_GOAL := help
.PHONY: help install messages messages-update browser lint test test-sqlite test-postgres demo serve clean docs bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(INSTALLED) messages ## create .venv and install C-TIP Planner with its test tools

$(MESSAGES): src/ctip/web/locale/fr/LC_MESSAGES/django.po | $(INSTALLED)
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get install -y -q gettext || (apt-get update -q && apt-get install -y -q gettext)); }
	cd src/ctip/web && ../../../$(BIN)/django-admin compilemessages --settings=ctip.web.config.settings.test -l fr >/dev/null

messages: $(MESSAGES) ## compile the translation catalogues

messages-update: $(INSTALLED) ## collect new strings (code and templates) into the French catalogue
	cd src/ctip && ../../$(BIN)/django-admin makemessages -l fr --settings=ctip.web.config.settings.test --ignore='web/*/migrations/*' --no-obsolete


browser: ## install the test tools from Debian when missing (Chromium, LibreOffice headless, poppler), as root
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Missing test tools:$$missing (install them with apt-get as root)"; exit 1; fi; \
	  echo "Installing$$missing from Debian"; \
	  apt-get install -y -q $$missing >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null); \
	fi

lint: install ## ruff, ruff format --check, mypy, import-linter, makemigrations --check
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/django-admin makemigrations --check --dry-run --settings=ctip.web.config.settings.test

test: install browser lint ## lint, then the whole suite on SQLite and on PostgreSQL
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: install browser
	@echo "===== Test run 1 of 2: SQLite ====="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install browser
	@url=$$($(BIN)/python scripts/postgres_url.py); status=$$?; \
	if [ $$status -ne 0 ]; then \
	  if [ "$$CI" = "true" ]; then echo "FAIL: CI=true and PostgreSQL is not available; the PostgreSQL run cannot be skipped."; exit 1; fi; \
	  echo "===== Test run 2 of 2: PostgreSQL SKIPPED (not available; set CTIP_TEST_POSTGRES_URL) ====="; exit 0; \
	fi; \
	echo "===== Test run 2 of 2: PostgreSQL ($$url) ====="; \
	DATABASE_URL=$$url $(BIN)/pytest $(PYTEST_ARGS)

demo: install ## set everything up, build the demo, write out/ and serve at http://127.0.0.1:8000
	$(BIN)/ctip demo --out out

serve: install ## serve the web app at http://127.0.0.1:8000
	$(BIN)/ctip serve

bench: install ## run the benchmarks and write BENCHMARKS.md (machine noted, ratios to a baseline of the same run)
	$(BIN)/python -m benchmarks.run --out BENCHMARKS.md

docs: install ## regenerate docs/cli.md from the command's help
	COLUMNS=100 $(BIN)/python scripts/cli_docs.py > docs/cli.md

clean: ## remove the virtual environment, caches and generated files (keeps var/)
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache tests/e2e/artifacts
