# The two commands of the README: `make demo` (the main job) and `make test`. Both install first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install test demo bench references release notebooks student train clean browser pictures

install: $(STAMP)

$(STAMP): requirements.in constraints.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11); set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.in -c constraints.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $(STAMP)

# Tests run on JOBS cores (pytest-xdist; tests/conftest.py groups them): `make test JOBS=1` runs them serially.
JOBS ?= 2
test: install
	$(PY) -m pytest -q -ra --durations=25 -n $(JOBS) --dist loadgroup --no-loadscope-reorder

# The browser tests' browser (tests/browser/, `pytest -m browser`): Debian's chromium and chromedriver, installed
# with apt-get as root; selenium, which drives them, is pinned in requirements.in. Without them `make test`
# skips the browser tests (under CI=true it fails them); .ci/run runs this first.
browser: install
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
		echo "chromium and chromedriver are installed: $$(chromium --version 2>/dev/null | head -1)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "make browser: no apt-get here; install chromium and its chromedriver (same version) yourself"; exit 1; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "make browser: apt-get needs root: run \`sudo make browser\` (installs chromium chromium-driver)"; exit 1; \
	else \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

demo: install
	$(PY) -m autograder.demo

bench: install
	$(PY) -m bench.run_all --out bench/results/bench.json

# Regenerate the autograder's reference outputs (commit the result).
references: install
	$(PY) -m autograder.make_references

# Regenerate the source notebooks from the library, then the student releases (commit both).
notebooks: install
	$(PY) -m tools.build_notebooks

release: install
	$(PY) -m tools.release

# The student edition in dist/student/: releases, libraries with graded bodies stubbed, public checks only.
student: install
	$(PY) -m tools.student_edition --out dist/student

# The pictures README.md and docs/ show (docs/images/), drawn by the weeks' own code from the committed models;
# the feedback picture needs chromium (`make browser`).
pictures: install
	$(PY) -m tools.pictures --out docs/images

# Train the reference models that the notebooks load (writes w1_nmt/, w2_summarizer/ and w3_qa/assets/), and
# Week 3's transfer curve's pre-training (about 45 minutes on one core; resumable); the curve itself is
# `python -m w3_qa.transfer --jobs 2` after these (about 2 hours on 2 cores).
train: install
	$(PY) -m w1_nmt.train --out w1_nmt/assets
	$(PY) -m w1_nmt.train --out w1_nmt/assets --baseline
	$(PY) -m w2_summarizer.train --out w2_summarizer/assets
	$(PY) -m w3_qa.train pretrain --out w3_qa/assets
	$(PY) -m w3_qa.train finetune --out w3_qa/assets
	$(PY) -m w3_qa.train pretrain --out w3_qa/assets --recipe cloze_heavy --steps 9000

clean:
	rm -rf $(VENV) build *.egg-info bench/results dist
