"""Speech to text for the hotline: audio in, a `Transcript` out.

Never imports `hotline/`, `classify/` or `routing/`; engines are imported only when chosen.
"""
from asr.audio import Audio, check_duration, load_audio
from asr.engines import load_transcriber
from asr.errors import AsrError, AsrUnavailable, AudioError, ModelDownloadError, ModelStoreError, TranscriptionError
from asr.records import Transcript, Word
from asr.settings import AsrSettings
from asr.transcriber import Transcriber

__all__ = [
    "AsrError",
    "AsrSettings",
    "AsrUnavailable",
    "Audio",
    "AudioError",
    "ModelDownloadError",
    "ModelStoreError",
    "Transcriber",
    "Transcript",
    "TranscriptionError",
    "Word",
    "check_duration",
    "load_audio",
    "load_transcriber",
]
