"""Whisper engine (faster-whisper on CTranslate2): its model installs from pip, no download.

Whisper often writes Mandarin in traditional characters; the transcript promises
simplified, so text and words go through OpenCC t2s.

The initial prompt, a simplified-Chinese sentence, lowered CER on the 72 corpus
voicemails from 0.215 to 0.200. Place names as `hotwords` did not (0.218) and made
decoding 3.3 times slower on average, up to 45 s for one message: a list long enough to
matter (about 100 names, 750 tokens) is cut to 223 tokens and sends Whisper into
repetition loops and temperature fallbacks. So the engine takes no vocabulary;
matching place names is the classifier's work.
"""
from __future__ import annotations

from pathlib import Path

import opencc
from faster_whisper import WhisperModel

from asr.audio import Audio
from asr.errors import AsrUnavailable
from asr.model_cache import ModelCache
from asr.records import Transcript, Word
from asr.text import remove_cjk_spaces
from asr.transcriber import Transcriber

BEAM_SIZE = 5
INITIAL_PROMPT = "以下是普通话的句子。"

_MODELS: ModelCache[WhisperModel] = ModelCache()


class WhisperTranscriber(Transcriber):
    name = "whisper"

    def __init__(
        self,
        model_dir: Path,
        *,
        compute_type: str = "int8",
        threads: int = 2,
    ) -> None:
        self._model_dir = Path(model_dir)
        key = (self._model_dir.resolve(), compute_type, threads)
        self._whisper = _MODELS.get(key, lambda: self._load(compute_type, threads))
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
            initial_prompt=INITIAL_PROMPT,
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
