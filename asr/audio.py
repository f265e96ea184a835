"""Normalising audio once, at the way in: whatever Twilio sends becomes 16 kHz mono int16.

Twilio delivers 8 kHz WAV (PCM or μ-law) or MP3; engines only ever see `Audio`, so no
engine converts formats and a new input format is handled here alone.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np
import soundfile
from scipy.signal import resample_poly

from asr.errors import AudioError

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Audio:
    """A recording ready for any engine: 16 kHz mono int16 PCM samples."""

    samples: np.ndarray  # int16, one dimension
    sample_rate: int = SAMPLE_RATE

    @property
    def duration(self) -> float:
        """Seconds of audio."""
        return len(self.samples) / self.sample_rate

    def to_float32(self) -> np.ndarray:
        """Samples in [-1, 1), as Whisper expects them."""
        return self.samples.astype(np.float32) / 32768.0


def load_audio(source: bytes | str | Path) -> Audio:
    """Decode WAV (PCM, μ-law, A-law) or MP3 from bytes or a path, at any rate and channels.

    libsndfile >= 1.1 (bundled with soundfile's wheels) reads MP3, so one decoder covers
    every format Twilio sends.
    """
    content = bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    if not content:
        raise AudioError("audio-empty", "录音文件为空。")
    try:
        data, rate = soundfile.read(io.BytesIO(content), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError) as err:
        raise AudioError("audio-unreadable", "无法识别的音频文件（仅支持 WAV 和 MP3）。") from err
    if data.size == 0:
        raise AudioError("audio-empty", "录音中没有声音数据。")
    mono = data.mean(axis=1)
    if rate != SAMPLE_RATE:
        common = gcd(int(rate), SAMPLE_RATE)
        mono = resample_poly(mono, SAMPLE_RATE // common, int(rate) // common)
    samples = np.clip(np.round(mono * 32768.0), -32768, 32767).astype(np.int16)
    return Audio(samples=samples)


def check_duration(audio: Audio, max_seconds: float) -> None:
    """Refuse recordings longer than `max_seconds` before spending minutes decoding them."""
    if audio.duration > max_seconds:
        raise AudioError(
            "audio-too-long", f"录音时长 {audio.duration:.0f} 秒，超过上限 {max_seconds:.0f} 秒。"
        )
