"""Vosk (Kaldi) engine: small, fast, streaming; one shared Model, one recogniser per message."""
from __future__ import annotations

import json
from pathlib import Path

import vosk

from asr.audio import Audio
from asr.errors import AsrUnavailable
from asr.model_cache import ModelCache
from asr.records import Transcript, Word
from asr.text import join_tokens
from asr.transcriber import Transcriber

CHUNK_SAMPLES = 8000  # 0.5 s at 16 kHz: the size a live stream would arrive in

_MODELS: ModelCache[vosk.Model] = ModelCache()


class VoskTranscriber(Transcriber):
    name = "vosk"

    def __init__(self, model_dir: Path) -> None:
        self._model_dir = Path(model_dir)
        vosk.SetLogLevel(-1)
        self._vosk_model = _MODELS.get(self._model_dir.resolve(), self._load)

    def _load(self) -> vosk.Model:
        try:
            return vosk.Model(str(self._model_dir))
        except Exception as err:  # vosk raises a bare Exception("Failed to create a model")
            raise AsrUnavailable(
                "model-load-failed", f"无法加载 Vosk 模型 {self._model_dir}，目录可能不完整：{err}"
            ) from err

    @property
    def model(self) -> str:
        return self._model_dir.name

    def _decode(self, audio: Audio) -> Transcript:
        recogniser = vosk.KaldiRecognizer(self._vosk_model, audio.sample_rate)
        recogniser.SetWords(True)
        results = []
        for begin in range(0, len(audio.samples), CHUNK_SAMPLES):
            if recogniser.AcceptWaveform(audio.samples[begin : begin + CHUNK_SAMPLES].tobytes()):
                results.append(json.loads(recogniser.Result()))
        results.append(json.loads(recogniser.FinalResult()))
        words = tuple(
            Word(text=w["word"], start=w["start"], end=w["end"], confidence=w["conf"])
            for result in results
            for w in result.get("result", ())
        )
        return Transcript(
            text=join_tokens(w.text for w in words),
            words=words,
            engine=self.name,
            model=self.model,
            duration=audio.duration,
        )
