# Two commands for a new machine:
#   make demo   set up, process the sample voicemails, serve the API (embedded defaults: SQLite, no servers)
#   make test   set up and run the tests
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
HOTLINE  = $(BIN)/hotline
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: setup demo serve test bench

$(BIN)/hotline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

models/whisper-base/model.bin: | $(BIN)/hotline
	$(HOTLINE) models install whisper-base

# The ASR-noisy copy of the corpus is rebuilt, not kept: deterministic, and larger than the rest.
classify/corpus/train_noisy.jsonl: classify/corpus/train.jsonl $(wildcard classify/corpus/train_authored_*.jsonl) | $(BIN)/hotline
	$(BIN)/python -m classify.corpus_writer

models/classifier: classify/corpus/train.jsonl classify/corpus/train_noisy.jsonl | $(BIN)/hotline
	$(HOTLINE) train
	touch $@

setup: $(BIN)/hotline models/whisper-base/model.bin models/classifier
	$(HOTLINE) db upgrade

demo: setup
	$(HOTLINE) process samples/*.wav
	$(HOTLINE) serve --host $(HOST) --port $(PORT)

serve: setup
	$(HOTLINE) serve --host $(HOST) --port $(PORT)

test: $(BIN)/hotline classify/corpus/train_noisy.jsonl
	$(BIN)/python -m pytest -q -n auto --dist loadfile $(PYTEST_ARGS)
