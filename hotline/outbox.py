"""The default command-queue sink: rows in the `outbox` table, written in the ticket's own
transaction, so a ticket is never saved without its message nor posted without its ticket."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline import schema
from routing import TicketMessage, TicketSink


class OutboxSink(TicketSink):
    name = "outbox"

    def __init__(self, session: Session):
        self.session = session

    def post(self, message: TicketMessage) -> bool:
        exists = self.session.scalar(
            select(schema.OutboxMessage.id).where(
                schema.OutboxMessage.ticket_id == message.ticket_id,
                schema.OutboxMessage.kind == message.kind,
            )
        )
        if exists is not None:
            return False
        try:
            with self.session.begin_nested():
                self.session.add(
                    schema.OutboxMessage(ticket_id=message.ticket_id, kind=message.kind, payload=message.payload)
                )
        except IntegrityError:
            return False
        return True


def make_sink(name: str, session: Session) -> TicketSink:
    if name == "outbox":
        return OutboxSink(session)
    raise ValueError(f"unknown routing sink {name!r} (config.yaml routing.sink); known: outbox")
