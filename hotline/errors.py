"""One coded exception per kind of failure, so the runner can decide: retry, or give up loudly."""
from __future__ import annotations


class HotlineError(Exception):
    def __init__(self, code: str, message: str = ""):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


class TransientError(HotlineError):
    """Worth another try later: the recording is not ready yet, Twilio or the network erred."""


class PermanentError(HotlineError):
    """Retrying will not help: not audio, too long, refused. The voicemail goes to review."""


class ModelMissing(RuntimeError):
    """A model file the hotline needs is not there; the message names the command that makes it."""
