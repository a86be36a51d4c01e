# Two commands for a newcomer: `make run` (set up, index, serve the chat) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup models browser index run ask test test-fast lint eval eval-llm fit faults probe bench bench-scale compare load clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

models: setup
	$(PY) -m assistant models install

index: models
	$(PY) -m assistant index

run: index
	$(PY) app.py

ask: models
	$(PY) -m assistant ask "$(Q)"

lint: setup
	$(VENV)/bin/ruff check assistant evals tests app.py
	$(VENV)/bin/mypy assistant

# The browser tests drive Debian's Chromium; CJK and emoji fonts so screenshots show text, not boxes.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null; \
	fi

test: models browser
	$(PY) -m pytest

# The tests that need no model, server or browser (the answer stage, scoring, parsing): seconds, not minutes.
test-fast: setup
	$(PY) -m pytest -m "not slow"

# Both splits of the default notice; then a second notice, never tuned on, in its own corpus and index.
eval: models
	$(PY) -m evals.run
	CORPUS_DIR=tests/data/yunxi INDEX_DIR=evals/out-yunxi/index $(PY) -m evals.run --dataset evals/yunxi.jsonl --out evals/out-yunxi

# Refit the answerability thresholds of assistant/data/rules.toml on the dev split (never the test split).
fit: models
	$(PY) -m evals.fit

# Damage a copy of the index 26 ways; a fresh process must start on each and answer (SECURITY.md).
faults: models
	$(PY) -m evals.faults

# The hostile-client probes of SECURITY.md against the app in its own process; figures printed.
probe: models
	$(PY) -m evals.probe

# ANSWERER=llm against a scripted LLM that plants errors: the guard must keep every answer exact.
eval-llm: models
	$(PY) -m evals.run --scripted-llm mixed --out evals/out-llm --thresholds evals/thresholds-llm.toml

bench: models browser
	$(PY) -m evals.bench_web
	$(PY) -m evals.bench_browser
	$(PY) -m evals.bench

# Index the notice plus N generated distractor notices, for each N; figures go to docs/eval/scale.json.
N ?= 0 1000 10000
bench-scale: models
	$(PY) -m evals.bench_scale $(N)

load: models
	$(PY) -m evals.load

compare: models
	$(PY) -m evals.compare

clean:
	rm -rf index/* evals/out test-artifacts
