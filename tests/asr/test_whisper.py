"""The real Whisper base engine on committed voicemails, scored by character error rate.

Bounds hold for Whisper base int8 with about 0.1 of headroom over its measured CER.
"""
from __future__ import annotations

import io

import pytest
import soundfile

from asr.audio import load_audio
from asr.engines import load_transcriber
from asr.scoring import cer
from asr.settings import AsrSettings

CER_BOUND = {"v13": 0.25, "v33": 0.25}


@pytest.fixture(scope="module")
def transcriber(whisper_models_dir):
    return load_transcriber(AsrSettings(engine="auto", models_dir=whisper_models_dir, threads=2))


def reencoded(path, file_format: str, subtype: str) -> bytes:
    samples, rate = soundfile.read(path, dtype="float32")
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=file_format, subtype=subtype)
    return buffer.getvalue()


def test_auto_picks_whisper_when_no_vosk_model(transcriber):
    assert (transcriber.name, transcriber.model) == ("whisper", "whisper-base")


@pytest.mark.parametrize("voicemail_id", sorted(CER_BOUND))
def test_transcribes_mandarin_voicemail(transcriber, voicemail, references, voicemail_id):
    transcript = transcriber.transcribe(load_audio(voicemail(voicemail_id)))

    assert cer(references[voicemail_id], transcript.text) <= CER_BOUND[voicemail_id], transcript.text
    assert " " not in transcript.text
    assert transcript.engine == "whisper" and transcript.language == "zh"
    assert transcript.words and all(0 <= w.confidence <= 1 for w in transcript.words)
    assert all(w.start <= w.end for w in transcript.words)


def test_output_is_simplified_chinese(transcriber, voicemail):
    """Whisper tends to write 陽光花園5號樓; the transcript promises simplified characters."""
    transcript = transcriber.transcribe(load_audio(voicemail("v13")))
    assert "号楼" in transcript.text
    assert not set("號樓們這麼腳喫時") & set(transcript.text)


@pytest.mark.parametrize(("file_format", "subtype"), [("WAV", "ULAW"), ("MP3", "MPEG_LAYER_III")])
def test_mu_law_and_mp3_input(transcriber, voicemail, references, file_format, subtype):
    content = reencoded(voicemail("v33"), file_format, subtype)
    transcript = transcriber.transcribe(load_audio(content))
    assert cer(references["v33"], transcript.text) <= CER_BOUND["v33"] + 0.05, transcript.text
