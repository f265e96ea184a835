"""Every format Twilio sends becomes the same 16 kHz mono int16 audio."""
from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from asr.audio import SAMPLE_RATE, Audio, check_duration, load_audio
from asr.errors import AudioError


def tone(rate: int, seconds: float = 1.0, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    wave = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.repeat(wave[:, None], channels, axis=1)


def encode(samples: np.ndarray, rate: int, file_format: str, subtype: str | None = None) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=file_format, subtype=subtype)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("rate", "channels", "file_format", "subtype"),
    [
        (8000, 1, "WAV", "PCM_16"),
        (8000, 1, "WAV", "ULAW"),
        (8000, 1, "WAV", "ALAW"),
        (44100, 2, "WAV", "PCM_16"),
        (48000, 1, "WAV", "FLOAT"),
        (16000, 1, "WAV", "PCM_16"),
        (8000, 1, "MP3", "MPEG_LAYER_III"),
        (44100, 2, "MP3", "MPEG_LAYER_III"),
    ],
)
def test_any_format_becomes_16k_mono_int16(rate, channels, file_format, subtype):
    audio = load_audio(encode(tone(rate, channels=channels), rate, file_format, subtype))

    assert audio.sample_rate == SAMPLE_RATE
    assert audio.samples.dtype == np.int16 and audio.samples.ndim == 1
    # MP3 encoders pad a few milliseconds at each end
    assert audio.duration == pytest.approx(1.0, abs=0.1)
    # the tone survives: amplitude about 0.5 of full scale
    assert 0.35 * 32768 < np.abs(audio.samples[4000:12000]).max() < 0.6 * 32768


def test_reads_a_path(voicemail):
    audio = load_audio(voicemail("v33"))
    assert audio.duration == pytest.approx(8.564, abs=0.01)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "audio-empty"),
        (b"<html><body>Twilio error</body></html>", "audio-unreadable"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "audio-unreadable"),
        (encode(np.zeros((0, 1)), 8000, "WAV", "PCM_16"), "audio-empty"),
    ],
)
def test_content_that_is_not_audio_raises_a_clear_error(content, code):
    with pytest.raises(AudioError) as caught:
        load_audio(content)
    assert caught.value.code == code
    assert "录音" in str(caught.value) or "音频" in str(caught.value)


def test_duration_cap():
    audio = Audio(samples=np.zeros(SAMPLE_RATE * 10, dtype=np.int16))
    check_duration(audio, max_seconds=10)
    with pytest.raises(AudioError) as caught:
        check_duration(audio, max_seconds=9.5)
    assert caught.value.code == "audio-too-long"
