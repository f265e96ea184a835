"""The errors `asr/` raises: one coded exception per way the stage can fail.

`code` is a stable English key for logs and events; the message is Chinese because it
reaches operators (CLI, operator page) and tells them what to do.
"""
from __future__ import annotations


class AsrError(Exception):
    """Base of everything `asr/` raises on purpose; unknown errors are wrapped `from err`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class AudioError(AsrError):
    """The input is not usable audio: not audio at all, empty, or too long."""


class AsrUnavailable(AsrError):
    """No engine can run: its package or its model is missing. The message names the fix."""


class TranscriptionError(AsrError):
    """An engine failed on audio that decoded fine."""


class ModelStoreError(AsrError):
    """Installing a model failed: missing source package, bad checksum, bad archive."""


class ModelDownloadError(ModelStoreError):
    """Fetching a model over the network failed: unreachable, interrupted, wrong size."""
