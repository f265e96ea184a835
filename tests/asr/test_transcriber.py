"""The interface's contract: an engine's own failure reaches callers as a coded error."""
from __future__ import annotations

import numpy as np
import pytest

from asr.audio import Audio
from asr.errors import AudioError, TranscriptionError
from asr.transcriber import Transcriber


class BrokenEngine(Transcriber):
    name = "broken"

    def __init__(self, failure: Exception) -> None:
        self._failure = failure

    @property
    def model(self) -> str:
        return "none"

    def _decode(self, audio: Audio):
        raise self._failure


def test_unexpected_engine_failure_is_wrapped_with_its_cause():
    cause = RuntimeError("CUDA out of memory")
    with pytest.raises(TranscriptionError) as caught:
        BrokenEngine(cause).transcribe(Audio(samples=np.zeros(160, dtype=np.int16)))
    assert caught.value.code == "stt-failed"
    assert caught.value.__cause__ is cause


def test_asr_errors_pass_through_unchanged():
    with pytest.raises(AudioError):
        BrokenEngine(AudioError("audio-empty", "录音文件为空。")).transcribe(Audio(samples=np.zeros(0, dtype=np.int16)))
