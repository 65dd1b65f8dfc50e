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

# Passed to pelicanconf.py through the environment: make html DATADIR=… BUILD_DATE=YYYY-MM-DD
DATADIR ?=
BUILD_DATE ?=
export DATADIR BUILD_DATE

PELICANOPTS ?= --fatal warnings
PORT ?= 8000
SERVER ?= 127.0.0.1
SSH_HOST ?=
SSH_TARGET_DIR ?=

BUILD = PYTHONPATH=$(BASEDIR)/plugins $(PYTHON) -m svportal build
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
	@echo ''
	@echo 'Set DATADIR=path to build from other data, OUTPUTDIR=path to build elsewhere,'
	@echo 'BUILD_DATE=YYYY-MM-DD to build as at another date.'

$(VENV)/.site-deps: requirements.txt constraints.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.site-deps requirements-test.txt constraints.txt
	$(PIP) -r requirements-test.txt
	touch $@

html: $(VENV)/.site-deps
	$(BUILD) --settings $(CONFFILE) --output $(OUTPUTDIR)

clean:
	rm -rf $(OUTPUTDIR) $(BASEDIR)/.cache

regenerate: $(VENV)/.site-deps
	$(PELICAN) -r $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

serve: html
	$(PELICAN) -l $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -p $(PORT) -b $(SERVER)

devserver: $(VENV)/.site-deps
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS) -p $(PORT) -b $(SERVER)

publish: $(VENV)/.site-deps
	$(BUILD) --settings $(PUBLISHCONF) --output $(OUTPUTDIR)

rsync_upload: publish
	test -n "$(SSH_HOST)" && test -n "$(SSH_TARGET_DIR)"
	rsync -e ssh -P -rvzc --include tags --cvs-exclude --delete "$(OUTPUTDIR)"/ "$(SSH_HOST):$(SSH_TARGET_DIR)"

test: $(VENV)/.test-deps
	$(PYTHON) -m pytest

.PHONY: help html clean regenerate serve devserver publish rsync_upload test
