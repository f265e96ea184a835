"""The hotline's parts, built once from settings and shared by web, worker and CLI.

Heavy parts (the speech model, the classifier) load on first use and are cached, so the
web process that only receives callbacks never pays for them.
"""
from __future__ import annotations

import threading
from functools import cached_property

from asr import Transcriber, load_transcriber
from classify import Classifier
from hotline.config import Settings
from hotline.db import Database
from hotline.errors import ModelMissing
from hotline.pipeline import Pipeline
from hotline.sms import SmsSender
from hotline.twilio_media import TwilioMedia
from registry import Register, load_register


class Hotline:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.db = Database(settings.database_url)
        self._lock = threading.Lock()
        self._transcriber: Transcriber | None = None

    @cached_property
    def register(self) -> Register:
        paths = self.settings.register
        return load_register(paths.categories, paths.grids, paths.residents)

    @cached_property
    def classifier(self) -> Classifier:
        model_dir = self.settings.classifier_dir
        if not model_dir.exists():
            raise ModelMissing(f"no classifier in {model_dir}: run `hotline train` first")
        return Classifier.load(model_dir, self.register, review_threshold=self.settings.review_threshold)

    def transcriber(self) -> Transcriber:
        with self._lock:
            if self._transcriber is None:
                self._transcriber = load_transcriber(self.settings.asr)
            return self._transcriber

    @cached_property
    def media(self) -> TwilioMedia:
        return TwilioMedia(self.settings.twilio)

    @cached_property
    def sms(self) -> SmsSender:
        return SmsSender(self.settings, self.db)

    @cached_property
    def pipeline(self) -> Pipeline:
        return Pipeline(
            self.settings,
            self.db,
            register=self.register,
            classifier=self.classifier,
            transcriber=self.transcriber,
            media=self.media,
            on_routed=self.sms.send_reference if self.settings.sms.enabled else None,
        )

    def prepare_worker(self) -> None:
        """Load every stage before the first voicemail, so a missing model fails at start-up."""
        self.pipeline
        self.transcriber()
