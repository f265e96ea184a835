"""The records `asr/` hands to the rest of the hotline: a transcript and its timed words."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the recording
    end: float
    confidence: float  # 0..1, as the engine reports it


@dataclass(frozen=True)
class Transcript:
    text: str  # simplified Chinese, no spaces between Chinese words
    words: tuple[Word, ...]
    engine: str  # "vosk" | "whisper"
    model: str  # model directory name, e.g. "vosk-model-small-cn-0.22"
    duration: float  # seconds of audio
    language: str = "zh"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "Transcript":
        words = tuple(Word(**w) for w in raw.get("words", ()))
        return cls(**{**raw, "words": words})
