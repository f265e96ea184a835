"""Intake fixtures: a fake Twilio REST API on loopback, a hotline pointed at it, the web app,
a queue that records what was queued, and a pipeline with a fake ear and the real classifier."""
from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from asr import Audio, Transcriber, Transcript
from hotline.pipeline import Pipeline
from hotline.services import Hotline
from hotline.web import create_app
from tests.intake.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.intake.phone import PUBLIC_URL, Phone

HEARD = "你好，阿斯哈图街九十五号那段路，路灯黑了好几天了，麻烦给修修。"


class RecordingQueue:
    """The queue's interface, remembering (voicemail id, delay) instead of running anything."""

    def __init__(self):
        self.queued: list[tuple[int, float | None]] = []

    def enqueue(self, voicemail_id: int, delay: float | None = None) -> None:
        self.queued.append((voicemail_id, delay))

    @property
    def ids(self) -> list[int]:
        """Each queued voicemail once, in order (a held message is queued again when kept)."""
        return list(dict.fromkeys(voicemail_id for voicemail_id, _ in self.queued))


class FixedTranscriber(Transcriber):
    """Hears the same words in any audio: intake is under test here, not speech recognition."""

    name = "fixed"

    @property
    def model(self) -> str:
        return "fixed"

    def _decode(self, audio: Audio) -> Transcript:
        return Transcript(text=HEARD, words=(), engine=self.name, model=self.model, duration=audio.duration)


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


def intake_settings(settings, fake_twilio, **twilio):
    """The shared test settings, with Twilio at the fake and the SMS on."""
    return settings.with_overrides(
        twilio=dataclasses.replace(
            settings.twilio,
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            public_url=PUBLIC_URL,
            api_base=fake_twilio.base_url,
            download=dataclasses.replace(settings.twilio.download, first_delay_seconds=0.01, attempts=3),
            **twilio,
        ),
        sms=dataclasses.replace(settings.sms, enabled=True),
    )


@pytest.fixture
def hotline(settings, fake_twilio):
    h = Hotline(intake_settings(settings, fake_twilio))
    h.db.upgrade()
    yield h
    h.db.dispose()


@pytest.fixture
def queue():
    return RecordingQueue()


@pytest.fixture
def app(hotline, queue):
    return create_app(hotline, queue)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def phone(client, fake_twilio):
    return Phone(client, fake_twilio)


def make_pipeline(hotline) -> Pipeline:
    """The real pipeline and classifier, with a fixed transcriber; SMS through the fake."""
    return Pipeline(
        hotline.settings,
        hotline.db,
        register=hotline.register,
        classifier=hotline.classifier,
        transcriber=FixedTranscriber,
        media=hotline.media,
        on_routed=hotline.sms.send_reference,
    )


@pytest.fixture
def pipeline(hotline) -> Pipeline:
    return make_pipeline(hotline)
