"""The whole pipeline on real audio: Whisper hears it, the trained classifier places it,
the router makes the ticket, the outbox carries it. Storage on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hotline import batch, schema, store
from hotline.errors import PermanentError, TransientError
from hotline.services import Hotline
from hotline.twilio_media import TwilioMedia

from tests.conftest import REPO

SAMPLES = REPO / "samples"
TICKET_ID = re.compile(r"^XLML-\d{8}-\d{4}$")


@pytest.fixture
def hotline(settings):
    h = Hotline(settings)
    h.db.upgrade()
    yield h
    h.db.dispose()


def outbox_count(h: Hotline, ticket_id: str) -> int:
    with h.db.session() as s:
        return s.scalar(select(func.count()).select_from(schema.OutboxMessage).where(
            schema.OutboxMessage.ticket_id == ticket_id))


def test_a_voicemail_file_becomes_a_routed_ticket(hotline):
    result = batch.process_file(hotline, SAMPLES / "v33.wav")

    assert TICKET_ID.match(result["ticket_id"])
    assert "路灯" in result["transcript"]
    assert result["category"] == "roads_parking"
    assert result["grid_id"] == "AS-09"  # 阿斯哈图街 1-199 is the 9th grid of 阿斯哈图社区
    assert result["worker_id"] == "AS-09-B"  # the grid's duty worker takes ordinary tickets
    assert outbox_count(hotline, result["ticket_id"]) == 1


def test_an_emergency_goes_to_the_grid_leader_due_now(hotline):
    result = batch.process_file(hotline, SAMPLES / "v14.wav")  # 煤气味 at 锦绣华庭 8号楼

    assert result["urgency"] == "emergency"
    assert result["worker_id"].endswith("-A")
    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, result["ticket_id"])
        assert ticket.sla_due - ticket.created_at <= timedelta(seconds=1)
        assert [e.kind for e in ticket.events] == ["created"]


def test_processing_a_file_twice_posts_one_ticket_and_again_adds_a_transcript_version(hotline):
    first = batch.process_file(hotline, SAMPLES / "v33.wav")
    second = batch.process_file(hotline, SAMPLES / "v33.wav")
    assert second["ticket_id"] == first["ticket_id"]
    assert outbox_count(hotline, first["ticket_id"]) == 1

    again = batch.process_file(hotline, SAMPLES / "v33.wav", again=True)
    assert again["ticket_id"] == first["ticket_id"]
    with hotline.db.session() as s:
        versions = s.scalars(select(schema.Transcript.version).order_by(schema.Transcript.version)).all()
        assert versions == [1, 2]
        kinds = [e.kind for e in s.get(schema.Ticket, first["ticket_id"]).events]
        assert kinds == ["created", "reclassified"]


def test_a_file_that_is_not_audio_is_refused_with_a_clear_error(hotline, tmp_path):
    bogus = tmp_path / "note.wav"
    bogus.write_text("这不是录音", encoding="utf-8")
    with pytest.raises(batch.BatchError, match="not usable audio"):
        batch.process_file(hotline, bogus)


class ScriptedMedia(TwilioMedia):
    """Twilio's media endpoint answering from a script: one answer per fetch."""

    def __init__(self, settings, answers):
        super().__init__(settings)
        self.answers = list(answers)
        self.deleted = []

    def fetch(self, recording_url: str) -> bytes:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def delete(self, recording_sid: str) -> bool:
        self.deleted.append(recording_sid)
        return True


def add_callback(h: Hotline, *, status="completed", caller="+8619900000095", sid="RE" + "a" * 32) -> int:
    from hotline import store

    with h.db.session() as s:
        row, _ = store.add_voicemail(
            s,
            recording_sid=sid,
            call_sid="CA" + "b" * 32,
            caller=caller,
            recording_status=status,
            recording_url=h.settings.twilio.api_base + "/2010-04-01/Accounts/AC1/Recordings/" + sid,
            duration_seconds=12,
        )
        return row.id


def ticket_of(h: Hotline, voicemail_id: int) -> schema.Ticket:
    with h.db.session() as s:
        return s.scalar(select(schema.Ticket).where(schema.Ticket.voicemail_id == voicemail_id))


def test_a_caller_who_left_no_message_gets_a_call_back_ticket_in_their_grid(hotline):
    voicemail_id = add_callback(hotline, status="absent", caller="+8619900000095")

    assert hotline.pipeline.run(voicemail_id) == schema.VoicemailState.ROUTED
    ticket = ticket_of(hotline, voicemail_id)
    assert ticket.needs_review and ticket.category == "other"
    assert ticket.grid_id == hotline.register.resident("+8619900000095").grid_id
    assert "回电" in ticket.summary


def test_a_download_that_is_not_audio_ends_as_a_review_ticket_not_a_crash(hotline):
    hotline.pipeline.media = ScriptedMedia(hotline.settings.twilio, [b"<html>error</html>"])
    voicemail_id = add_callback(hotline)

    assert hotline.pipeline.run(voicemail_id) == schema.VoicemailState.FAILED
    ticket = ticket_of(hotline, voicemail_id)
    assert ticket.needs_review
    assert "audio-unreadable" in ticket.summary
    with hotline.db.session() as s:
        assert "无法识别的音频文件" in s.get(schema.Voicemail, voicemail_id).last_error


def test_a_recording_not_ready_is_retried_with_backoff_then_stored_and_deleted_at_twilio(hotline):
    audio = (SAMPLES / "v33.wav").read_bytes()
    media = ScriptedMedia(hotline.settings.twilio, [TransientError("download-not-ready", "404"), audio])
    hotline.pipeline.media = media
    voicemail_id = add_callback(hotline)

    with pytest.raises(TransientError):
        hotline.pipeline.run(voicemail_id)
    assert hotline.pipeline.retry_delay(voicemail_id) == hotline.settings.twilio.download.first_delay_seconds
    assert hotline.pipeline.run(voicemail_id) == schema.VoicemailState.ROUTED
    assert media.deleted == ["RE" + "a" * 32]
    assert ticket_of(hotline, voicemail_id).category == "roads_parking"


def test_after_the_last_attempt_the_voicemail_goes_to_review(hotline):
    attempts = hotline.settings.twilio.download.attempts
    hotline.pipeline.media = ScriptedMedia(
        hotline.settings.twilio, [TransientError("download-not-ready", "404")] * attempts
    )
    voicemail_id = add_callback(hotline)
    for _ in range(attempts - 1):
        with pytest.raises(TransientError):
            hotline.pipeline.run(voicemail_id)
    assert hotline.pipeline.run(voicemail_id) == schema.VoicemailState.FAILED
    assert ticket_of(hotline, voicemail_id).needs_review


def test_a_caller_an_operator_placed_once_is_placed_the_next_time(hotline):
    """An unregistered number whose message names no place: the first ticket waits for an
    operator to set the grid; the next message from that number goes to the same grid."""
    from hotline import ticket_actions
    from hotline.auth import CurrentUser

    caller, audio = "+8613912345678", (SAMPLES / "v58.wav").read_bytes()  # 暖气片上头热乎下头凉, no place
    hotline.pipeline.media = ScriptedMedia(hotline.settings.twilio, [audio, audio])
    first_id = add_callback(hotline, caller=caller, sid="RE" + "1" * 32)
    assert hotline.pipeline.run(first_id) == schema.VoicemailState.ROUTED
    first = ticket_of(hotline, first_id)
    assert first.grid_id is None and first.worker_id is None and first.status == schema.TicketStatus.NEW  # to place

    operator = CurrentUser(id=1, name="王芳", role=schema.UserRole.OPERATOR, worker_id=None)
    with hotline.db.session() as s:
        ticket_actions.edit_labels(s, hotline.settings, hotline.register, ticket_id=first.id, user=operator,
                                   category=first.category, urgency=first.urgency, grid_id="GG-04")

    second_id = add_callback(hotline, caller=caller, sid="RE" + "2" * 32)
    assert hotline.pipeline.run(second_id) == schema.VoicemailState.ROUTED
    second = ticket_of(hotline, second_id)
    assert second.grid_id == "GG-04" and second.worker_id.startswith("GG-04")
    with hotline.db.session() as s:
        placement = store.latest_classification(s, second_id).detail["placement"]
    assert placement["method"] == "history" and first.id in placement["evidence"][0]


@pytest.mark.postgres
def test_the_pipeline_on_postgresql(settings, postgres_url):
    h = Hotline(settings.with_overrides(database_url=postgres_url))
    h.db.upgrade()
    try:
        first = batch.process_file(h, SAMPLES / "v33.wav")
        again = batch.process_file(h, SAMPLES / "v33.wav")
        assert again["ticket_id"] == first["ticket_id"] and first["category"] == "roads_parking"
        assert outbox_count(h, first["ticket_id"]) == 1
        assert h.db.engine.dialect.name == "postgresql"
    finally:
        h.db.dispose()
