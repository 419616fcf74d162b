# Build / test entry points. Works from a fresh clone: creates .venv, installs
# pinned Python deps, installs Chromium/Java/node_modules as needed.
#
#   make venv         .venv with runtime deps (requirements.txt)
#   make test-deps    + test deps (requirements-test.txt)
#   make system-deps  chromium, java, node_modules (scripts/install-system-deps.sh)
#   make build        build the site
#   make serve        build + serve with live reload
#   make example      build an example report into site-example/ (EXAMPLE=audit-report; see docs/examples.md)
#   make test         run pytest (extra args: make test PYTEST_ARGS="-k foo")
#   make clean        remove build output and caches
#   make distclean    clean + remove .venv and node_modules

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
PIP := $(VPY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

RUNTIME_STAMP := $(VENV)/.stamp-requirements
TEST_STAMP := $(VENV)/.stamp-requirements-test

.PHONY: help venv test-deps system-deps build serve example test clean distclean

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

venv: $(RUNTIME_STAMP)

test-deps: $(TEST_STAMP)

# Create the venv; on Debian without python3-venv, install it and retry.
$(VPY):
	$(PY) -m venv $(VENV) || { rm -rf $(VENV); bash scripts/install-system-deps.sh --venv; $(PY) -m venv $(VENV); }

$(RUNTIME_STAMP): requirements.txt | $(VPY)
	$(PIP) install -r requirements.txt
	touch $@

$(TEST_STAMP): requirements-test.txt requirements.txt $(RUNTIME_STAMP)
	$(PIP) install -r requirements-test.txt
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

build: venv
	$(VPY) build.py

serve: venv
	$(VPY) build.py serve

EXAMPLE ?= select-committee
example: venv
	$(VPY) build.py --content examples/$(EXAMPLE) --out site-example

test: venv test-deps system-deps
	$(VPY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf site site-example .site-* tests/artifacts .pytest_cache
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o \
	    -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules
