"""The reference a caller can keep: one SMS per ticket, with its number and a service line.

Sent through Twilio's Messages API by the twilio library's own client, pointed at
`twilio.api_base`. Each try is recorded on the ticket as a `sms` event (sent or failed);
a ticket that already has a sent one is never texted again, since reprocessing routes a
ticket again. Sending never fails the pipeline: the ticket is what matters.
"""
from __future__ import annotations

import logging
import time

from sqlalchemy import select
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from hotline import schema, store
from hotline.config import Settings
from hotline.db import Database
from hotline.logs import mask_phone

log = logging.getLogger(__name__)

ATTEMPTS = 3
FIRST_DELAY_SECONDS = 0.5
TIMEOUT_SECONDS = 10.0


def twilio_client(settings: Settings) -> Client:
    """The library's client, its API domain moved to `twilio.api_base` (a local fake in tests)."""
    twilio = settings.twilio
    client = Client(twilio.account_sid, twilio.auth_token, http_client=TwilioHttpClient(timeout=TIMEOUT_SECONDS))
    client.api.base_url = twilio.api_base
    return client


def service_line(settings: Settings, community: str | None) -> str:
    """The grid's own line when its community has one, else the hotline's."""
    return settings.sms.community_lines.get(community or "", settings.sms.service_line)


class SmsSender:
    def __init__(self, settings: Settings, db: Database, client: Client | None = None, sleep=time.sleep):
        self.settings = settings
        self.db = db
        self._client = client
        self.sleep = sleep

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = twilio_client(self.settings)
        return self._client

    def send_reference(self, ticket_id: str) -> bool:
        """The pipeline's `on_routed` hook; True when a message went out now."""
        with self.db.session() as s:
            ticket = s.get(schema.Ticket, ticket_id)
            if ticket is None or not ticket.caller or _already_sent(s, ticket_id):
                return False
            to, line = ticket.caller, service_line(self.settings, ticket.community)
        body = self.settings.sms.body.format(ticket=ticket_id, service_line=line)
        detail = {"service_line": line}
        try:
            detail["message_sid"] = self._send(to, body)
            detail["status"] = "sent"
            log.info("ticket %s: reference SMS sent to %s", ticket_id, mask_phone(to))
        except TwilioException as err:
            detail.update(status="failed", error=str(getattr(err, "msg", err))[:500])
            log.error("ticket %s: reference SMS to %s failed: %s", ticket_id, mask_phone(to), detail["error"])
        with self.db.session() as s:
            store.add_event(s, ticket_id=ticket_id, actor="system", kind="sms", detail=detail)
        return detail["status"] == "sent"

    def _send(self, to: str, body: str) -> str:
        """Tries again on Twilio's 429/5xx and on the network; a 4xx is final."""
        attempt = 1
        while True:
            try:
                return self.client.messages.create(to=to, from_=self.settings.sms.from_number, body=body).sid
            except TwilioRestException as err:
                if attempt >= ATTEMPTS or (err.status < 500 and err.status != 429):
                    raise
            except OSError as err:  # requests' errors are OSErrors
                if attempt >= ATTEMPTS:
                    raise TwilioException(f"network: {err}") from err
            self.sleep(FIRST_DELAY_SECONDS * 2 ** (attempt - 1))
            attempt += 1


def _already_sent(session, ticket_id: str) -> bool:
    events = session.scalars(
        select(schema.TicketEvent.detail).where(
            schema.TicketEvent.ticket_id == ticket_id, schema.TicketEvent.kind == "sms"
        )
    )
    return any(detail.get("status") == "sent" for detail in events)
