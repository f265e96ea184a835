"""The one interface every engine implements, so the pipeline never knows which one runs."""
from __future__ import annotations

from abc import ABC, abstractmethod

from asr.audio import Audio
from asr.errors import AsrError, TranscriptionError
from asr.records import Transcript


class Transcriber(ABC):
    """A loaded engine: construction prepares the model, `transcribe` only decodes.

    Implementations are safe to call from several threads at once (the queue runs more
    than one worker), so callers may use `asyncio.to_thread(transcriber.transcribe, audio)`.
    """

    name: str  # "vosk" | "whisper"

    @property
    @abstractmethod
    def model(self) -> str:
        """The model directory's name, as recorded on each transcript."""

    def transcribe(self, audio: Audio) -> Transcript:
        """Decode one message; an engine's own failure becomes a `TranscriptionError`."""
        try:
            return self._decode(audio)
        except AsrError:
            raise
        except Exception as err:
            raise TranscriptionError("stt-failed", f"语音识别失败（{self.name}）：{err}") from err

    @abstractmethod
    def _decode(self, audio: Audio) -> Transcript:
        """The engine's decoding of one message."""
