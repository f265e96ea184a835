"""Whisper engine (faster-whisper on CTranslate2): more accurate on noisy telephone audio.

Whisper often writes Mandarin in traditional characters; the transcript promises
simplified, so text and words go through OpenCC t2s.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import opencc
from faster_whisper import WhisperModel

from asr.audio import Audio
from asr.errors import AsrUnavailable
from asr.model_cache import ModelCache
from asr.records import Transcript, Word
from asr.text import remove_cjk_spaces
from asr.transcriber import Transcriber

BEAM_SIZE = 5

_MODELS: ModelCache[WhisperModel] = ModelCache()


class WhisperTranscriber(Transcriber):
    name = "whisper"

    def __init__(
        self,
        model_dir: Path,
        *,
        compute_type: str = "int8",
        threads: int = 2,
        initial_prompt: str | None = None,
        vocabulary: Sequence[str] = (),
    ) -> None:
        self._model_dir = Path(model_dir)
        key = (self._model_dir.resolve(), compute_type, threads)
        self._whisper = _MODELS.get(key, lambda: self._load(compute_type, threads))
        self._initial_prompt = initial_prompt
        self._hotwords = "、".join(dict.fromkeys(vocabulary)) or None
        self._to_simplified = opencc.OpenCC("t2s")

    def _load(self, compute_type: str, threads: int) -> WhisperModel:
        try:
            return WhisperModel(
                str(self._model_dir), device="cpu", compute_type=compute_type, cpu_threads=threads
            )
        except (RuntimeError, ValueError, OSError) as err:
            raise AsrUnavailable(
                "model-load-failed", f"无法加载 Whisper 模型 {self._model_dir}：{err}"
            ) from err

    @property
    def model(self) -> str:
        return self._model_dir.name

    def _decode(self, audio: Audio) -> Transcript:
        segments, _info = self._whisper.transcribe(
            audio.to_float32(),
            language="zh",
            beam_size=BEAM_SIZE,
            word_timestamps=True,
            initial_prompt=self._initial_prompt,
            hotwords=self._hotwords,
        )
        pieces, words = [], []
        for segment in segments:
            pieces.append(segment.text)
            for w in segment.words or ():
                text = self._to_simplified.convert(w.word.strip())
                if text:
                    words.append(
                        Word(text=text, start=float(w.start), end=float(w.end), confidence=float(w.probability))
                    )
        return Transcript(
            text=remove_cjk_spaces(self._to_simplified.convert("".join(pieces))),
            words=tuple(words),
            engine=self.name,
            model=self.model,
            duration=audio.duration,
        )
