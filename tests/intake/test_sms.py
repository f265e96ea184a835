"""The reference SMS, through the twilio library's own client pointed at the fake API."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from sqlalchemy import select

from hotline import schema
from hotline.services import Hotline
from hotline.sms import SmsSender

CALLER = "+8619900000002"


def make_ticket(hotline, *, caller=CALLER, community="黄岗社区", number=1) -> str:
    ticket_id = f"XLML-20261129-{number:04d}"
    with hotline.db.session() as s:
        vm = schema.Voicemail(recording_sid="RE" + str(number) * 32, caller=caller, state="routed")
        s.add(vm)
        s.flush()
        now = datetime(2026, 11, 29, tzinfo=timezone.utc)
        s.add(schema.Ticket(id=ticket_id, voicemail_id=vm.id, category="water_supply", urgency="normal",
                            department="x", community=community, caller=caller, sla_due=now, created_at=now))
    return ticket_id


def sms_events(hotline, ticket_id) -> list[dict]:
    with hotline.db.session() as s:
        return list(s.scalars(select(schema.TicketEvent.detail).where(
            schema.TicketEvent.ticket_id == ticket_id, schema.TicketEvent.kind == "sms")))


def sender(hotline, **sms) -> SmsSender:
    settings = hotline.settings.with_overrides(sms=dataclasses.replace(hotline.settings.sms, **sms))
    return SmsSender(settings, hotline.db, sleep=lambda seconds: None)


def test_the_reference_names_the_ticket_and_the_community_line(hotline, fake_twilio):
    ticket_id = make_ticket(hotline)
    assert sender(hotline, community_lines={"黄岗社区": "0479-5220001"}).send_reference(ticket_id)
    [message] = fake_twilio.messages
    assert message["To"] == CALLER and ticket_id in message["Body"] and "0479-5220001" in message["Body"]
    [event] = sms_events(hotline, ticket_id)
    assert event["status"] == "sent" and event["message_sid"].startswith("SM")


def test_a_ticket_is_texted_once_even_when_routed_again(hotline, fake_twilio):
    ticket_id = make_ticket(hotline)
    assert sender(hotline).send_reference(ticket_id)
    assert not sender(hotline).send_reference(ticket_id)
    assert len(fake_twilio.messages) == 1


def test_twilio_errors_are_retried_then_recorded_never_raised(hotline, fake_twilio):
    ticket_id = make_ticket(hotline)
    fake_twilio.message_script[:] = [503]
    assert sender(hotline).send_reference(ticket_id)  # the second try went out

    fake_twilio.message_script[:] = [400]  # e.g. not a mobile number: final
    other = make_ticket(hotline, caller="+8613800000000", number=2)
    assert not sender(hotline).send_reference(other)
    assert sms_events(hotline, other)[0]["status"] == "failed"
    assert len(fake_twilio.messages) == 1


def test_no_number_no_message(hotline, fake_twilio):
    ticket_id = make_ticket(hotline, caller=None)
    assert not sender(hotline).send_reference(ticket_id)
    assert fake_twilio.messages == [] and sms_events(hotline, ticket_id) == []


def test_the_sms_is_switched_in_config(hotline):
    off = Hotline(hotline.settings.with_overrides(sms=dataclasses.replace(hotline.settings.sms, enabled=False)))
    assert off.pipeline.on_routed is None
    assert hotline.pipeline.on_routed == hotline.sms.send_reference
