"""One model per test session, trained from the committed corpus into a temporary directory."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from classify import Classifier
from classify.corpus_writer import CORPUS_DIR, read_jsonl
from classify.model import METRICS_FILE
from classify.training import train
from registry import load_register
from tests.conftest import built_once

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def register():
    return load_register()


@pytest.fixture(scope="session")
def trained(tmp_path_factory, register):
    """(model_dir, metrics): the clean training corpus is enough for these tests and quick to fit."""
    model_dir = built_once(tmp_path_factory, "classifier-clean",
                           lambda folder: train(read_jsonl(CORPUS_DIR / "train.jsonl"), register, folder))
    return model_dir, json.loads((model_dir / METRICS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def classifier(trained, register):
    return Classifier.load(trained[0], register)
