"""From the call to the ticket and the SMS, against the fake Twilio: download with retries,
caps, content that is not audio, deletion at Twilio."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from hotline import schema
from hotline.errors import TransientError
from hotline.pipeline import NO_MESSAGE_REASON
from hotline.schema import VoicemailState


def leave_message(phone, **speak) -> str:
    call = phone.call().press("1")
    sid = call.speak(**speak)
    call.press("1")
    return sid


def voicemail(hotline, sid) -> schema.Voicemail:
    with hotline.db.session() as s:
        return s.scalar(select(schema.Voicemail).where(schema.Voicemail.recording_sid == sid))


def ticket_of(hotline, sid) -> schema.Ticket:
    with hotline.db.session() as s:
        vm = s.scalar(select(schema.Voicemail).where(schema.Voicemail.recording_sid == sid))
        ticket = s.scalar(select(schema.Ticket).where(schema.Ticket.voicemail_id == vm.id))
        ticket.events  # loaded for the caller
        return ticket


def run_until_done(pipeline, voicemail_id: int, tries: int = 5) -> str:
    for _ in range(tries):
        try:
            return pipeline.run(voicemail_id)
        except TransientError:
            continue
    raise AssertionError("still not done")


def test_a_message_becomes_a_ticket_an_sms_and_leaves_twilio(phone, hotline, queue, pipeline, fake_twilio):
    sid = leave_message(phone)
    [voicemail_id] = queue.ids
    assert pipeline.run(voicemail_id) == VoicemailState.ROUTED

    stored = voicemail(hotline, sid)
    assert open(stored.audio_path, "rb").read() == fake_twilio.media[sid]
    assert fake_twilio.deleted == [sid]
    ticket = ticket_of(hotline, sid)
    assert ticket.caller == "+8619900000002" and ticket.grid_id
    [sms] = fake_twilio.messages
    assert sms["To"] == "+8619900000002" and sms["From"] == hotline.settings.sms.from_number
    assert ticket.id in sms["Body"] and hotline.settings.sms.service_line in sms["Body"]
    assert [e.kind for e in ticket.events] == ["created", "sms"]
    assert ticket.events[-1].detail["status"] == "sent"


def test_the_download_waits_for_twilio_with_backoff(phone, hotline, queue, pipeline, fake_twilio):
    sid = leave_message(phone)
    fake_twilio.media_script[sid] = [404, 503]  # not ready yet, then Twilio errs
    [voicemail_id] = queue.ids
    with pytest.raises(TransientError):
        pipeline.run(voicemail_id)
    assert pipeline.retry_delay(voicemail_id) == pytest.approx(0.01)
    with pytest.raises(TransientError):
        pipeline.run(voicemail_id)
    assert pipeline.retry_delay(voicemail_id) == pytest.approx(0.02)
    assert pipeline.run(voicemail_id) == VoicemailState.ROUTED


def test_a_recording_that_never_comes_ends_in_a_review_ticket(phone, hotline, queue, pipeline, fake_twilio):
    sid = leave_message(phone)
    fake_twilio.media_script[sid] = [500] * 10
    assert run_until_done(pipeline, queue.ids[0]) == VoicemailState.FAILED
    assert "gave up after 3 attempts" in voicemail(hotline, sid).last_error
    assert ticket_of(hotline, sid).needs_review


@pytest.mark.parametrize(
    "twilio_change, audio, code",
    [
        ({}, b"<html><body>Twilio error page</body></html>", "audio-unreadable"),
        ({"max_bytes": 1000}, None, "recording-too-large"),
        ({"max_seconds": 5}, None, "audio-too-long"),
    ],
)
def test_content_that_cannot_be_used_is_a_clear_error_and_a_ticket_for_review(
    phone, hotline, queue, pipeline, fake_twilio, twilio_change, audio, code
):
    download = dataclasses.replace(hotline.settings.twilio.download, **twilio_change)
    pipeline.settings = hotline.settings.with_overrides(
        twilio=dataclasses.replace(hotline.settings.twilio, download=download)
    )
    pipeline.media.settings = pipeline.settings.twilio
    sid = leave_message(phone, audio=audio)
    assert pipeline.run(queue.ids[0]) == VoicemailState.FAILED
    assert code in voicemail(hotline, sid).last_error
    ticket = ticket_of(hotline, sid)
    assert ticket.needs_review and code in ticket.summary
    assert fake_twilio.deleted == []  # not stored safely: left at Twilio for a person to fetch


def test_a_redirect_to_twilio_storage_is_followed(phone, queue, pipeline, fake_twilio):
    fake_twilio.redirect_media = True
    leave_message(phone)
    assert pipeline.run(queue.ids[0]) == VoicemailState.ROUTED


def test_recordings_stay_at_twilio_when_configured(phone, hotline, queue, pipeline, fake_twilio):
    pipeline.settings = hotline.settings.with_overrides(
        twilio=dataclasses.replace(hotline.settings.twilio, delete_after_download=False)
    )
    leave_message(phone)
    assert pipeline.run(queue.ids[0]) == VoicemailState.ROUTED
    assert fake_twilio.deleted == []


def test_a_call_without_a_message_asks_for_a_call_back(phone, hotline, queue, pipeline, fake_twilio):
    sid = phone.call().press("1").stay_silent()
    assert pipeline.run(queue.ids[0]) == VoicemailState.ROUTED
    ticket = ticket_of(hotline, sid)
    assert ticket.needs_review and ticket.summary == NO_MESSAGE_REASON
    assert len(fake_twilio.messages) == 1  # the reference goes out all the same


def test_a_replaced_message_never_becomes_a_ticket(phone, hotline, queue, pipeline):
    call = phone.call().press("1")
    first = call.speak()
    call.press("2")
    second = call.speak()
    call.press("1")
    for voicemail_id in queue.ids:
        pipeline.run(voicemail_id)
    assert voicemail(hotline, first).state == VoicemailState.FAILED
    with hotline.db.session() as s:
        assert [t.voicemail_id for t in s.scalars(select(schema.Ticket))] == [voicemail(hotline, second).id]
