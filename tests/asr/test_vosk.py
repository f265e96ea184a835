"""The real Vosk engine, on the small Korean model: loading, streaming, timed words.

The speech is Mandarin, so the Korean words are nonsense; what is tested is mechanics.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from scipy.signal import resample_poly

from asr.audio import load_audio
from asr.text import join_tokens
from asr.vosk_engine import VoskTranscriber


@pytest.fixture(scope="module")
def transcriber(korean_vosk_model) -> VoskTranscriber:
    return VoskTranscriber(korean_vosk_model)


@pytest.fixture(scope="module")
def v33_transcript(transcriber, voicemail):
    return transcriber.transcribe(load_audio(voicemail("v33")))


def test_model_is_loaded_once_per_directory(transcriber, korean_vosk_model):
    again = VoskTranscriber(korean_vosk_model)
    assert again._vosk_model is transcriber._vosk_model


def test_words_have_times_and_confidences(v33_transcript):
    words = v33_transcript.words
    assert len(words) >= 5
    for word in words:
        assert word.text
        assert 0 <= word.start < word.end <= v33_transcript.duration + 0.1
        assert 0 <= word.confidence <= 1
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert words[0].start > 0.3  # the recording opens with silence


def test_record_fields(v33_transcript, korean_vosk_model):
    assert v33_transcript.engine == "vosk"
    assert v33_transcript.model == korean_vosk_model.name
    assert v33_transcript.duration == pytest.approx(8.564, abs=0.01)
    assert v33_transcript.text == join_tokens(w.text for w in v33_transcript.words)


def test_silence_gives_an_empty_transcript(transcriber):
    silence = io.BytesIO()
    soundfile.write(silence, np.zeros(16000), 8000, format="WAV", subtype="PCM_16")
    transcript = transcriber.transcribe(load_audio(silence.getvalue()))
    assert transcript.text == "" and transcript.words == ()


def test_44k_stereo_input_decodes_like_the_8k_original(transcriber, voicemail, v33_transcript):
    """Resampling happens once at the way in, so the engine sees (nearly) the same audio."""
    samples, rate = soundfile.read(voicemail("v33"), dtype="float32")
    upsampled = resample_poly(samples, 441, 80)
    stereo = io.BytesIO()
    soundfile.write(stereo, np.stack([upsampled, upsampled], axis=1), 44100, format="WAV", subtype="PCM_16")

    transcript = transcriber.transcribe(load_audio(stereo.getvalue()))

    assert transcript.duration == pytest.approx(v33_transcript.duration, abs=0.01)
    original = [w.text for w in v33_transcript.words]
    shared = sum(1 for w in transcript.words if w.text in original)
    assert shared >= 0.7 * len(original)
