"""The database goes away mid-run and comes back: every callback sent meanwhile is answered,
journaled, replayed, and ends as a voicemail and a ticket. PostgreSQL, a fresh database."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from hotline.schema import Ticket, Voicemail, VoicemailState
from hotline.services import Hotline
from hotline.web import create_app
from tests.conftest import POSTGRES_ADMIN_URL
from tests.intake.conftest import RecordingQueue, intake_settings, make_pipeline
from tests.intake.phone import VOICEMAIL
from tests.intake.test_recording_callbacks import post_callback

pytestmark = pytest.mark.postgres


class Outage:
    """Refuses new connections to one database and ends the open ones, as a crash would."""

    def __init__(self, database_url: str):
        self.name = sa.engine.make_url(database_url).database
        self.admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def _sql(self, *statements: str) -> None:
        with self.admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))

    def begin(self) -> None:
        self._sql(
            f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'",
        )

    def end(self) -> None:
        self._sql(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        self.admin.dispose()


def test_callbacks_sent_while_postgres_is_down_all_become_tickets(settings, fake_twilio, postgres_url):
    hotline = Hotline(intake_settings(settings, fake_twilio).with_overrides(database_url=postgres_url))
    hotline.db.upgrade()
    queue = RecordingQueue()
    outage = Outage(postgres_url)
    sent, outcomes, stop = [], [], threading.Event()

    with TestClient(create_app(hotline, queue)) as client:

        def send_steadily():
            while not stop.is_set():
                sid, response = post_callback(client, fake_twilio)
                fake_twilio.media[sid] = VOICEMAIL
                sent.append(sid)
                outcomes.append((response.status_code, response.json()["result"]))
                time.sleep(0.05)

        sender = threading.Thread(target=send_steadily)
        sender.start()
        time.sleep(0.5)
        outage.begin()
        time.sleep(1.0)
        outage.end()
        time.sleep(2.5)  # past the intake's pause: the next callback finds the database back
        stop.set()
        sender.join()

    assert {status for status, _ in outcomes} == {200}
    results = [result for _, result in outcomes]
    assert "journaled" in results and results[-1] == "stored"
    assert hotline.settings.journal_path.read_text() == ""

    pipeline = make_pipeline(hotline)
    for voicemail_id in queue.ids:
        pipeline.run(voicemail_id)
    with hotline.db.session() as s:
        rows = {v.recording_sid: v for v in s.scalars(sa.select(Voicemail))}
        assert set(rows) == set(sent)
        assert {v.state for v in rows.values()} == {VoicemailState.ROUTED}
        assert s.scalar(sa.select(sa.func.count()).select_from(Ticket)) == len(sent)
    hotline.db.dispose()
