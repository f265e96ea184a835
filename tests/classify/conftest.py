"""One model per test session, trained from the committed corpus into a temporary directory."""
from __future__ import annotations

from pathlib import Path

import pytest

from classify import Classifier
from classify.corpus_writer import CORPUS_DIR, read_jsonl
from classify.training import train
from registry import load_register

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
    model_dir = tmp_path_factory.mktemp("classifier")
    metrics = train(read_jsonl(CORPUS_DIR / "train.jsonl"), register, model_dir)
    return model_dir, metrics


@pytest.fixture(scope="session")
def classifier(trained, register):
    return Classifier.load(trained[0], register)
