"""What the operators read: the review queue and everything behind one ticket.

Pure reads. The queue puts tickets that need review (the classifier doubts its category or
urgency), tickets to place (no grid known) and every emergency first, then the nearest SLA due
time, so the operator's next ticket is always the top row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from hotline import schema
from hotline.schema import TicketStatus, utcnow
from registry import Register

PAGE_SIZE = 50
LOW_CONFIDENCE = 0.6  # words the engine was less sure of than this are marked for the operator
OPEN = "open"
ALL = "all"
TO_REVIEW, TO_PLACE = "review", "place"  # what a ticket waits for: a check of its labels, a grid
WAITING = {TO_REVIEW: schema.Ticket.needs_review.is_(True), TO_PLACE: schema.Ticket.grid_id.is_(None)}


def as_local(moment: datetime, tz: str) -> datetime:
    """SQLite hands datetimes back naive; every one we store is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(tz))


def is_overdue(ticket: schema.Ticket) -> bool:
    return ticket.status in TicketStatus.OPEN and as_local(ticket.sla_due, "UTC") < utcnow()


@dataclass(frozen=True)
class QueueFilters:
    community: str | None = None
    grid_id: str | None = None
    category: str | None = None
    status: str = OPEN  # open | all | one of TicketStatus.ALL
    waiting_for: str | None = None  # TO_REVIEW | TO_PLACE
    page: int = 1

    def conditions(self) -> list:
        found = [
            column == value
            for column, value in (
                (schema.Ticket.community, self.community),
                (schema.Ticket.grid_id, self.grid_id),
                (schema.Ticket.category, self.category),
            )
            if value
        ]
        if self.waiting_for in WAITING:
            found.append(WAITING[self.waiting_for])
        if self.status == OPEN:
            found.append(schema.Ticket.status.in_(TicketStatus.OPEN))
        elif self.status != ALL:
            found.append(schema.Ticket.status == self.status)
        return found


@dataclass(frozen=True)
class QueuePage:
    tickets: list[schema.Ticket]
    total: int
    page: int
    pages: int


def review_queue(session: Session, filters: QueueFilters) -> QueuePage:
    conditions = filters.conditions()
    total = session.scalar(select(func.count()).select_from(schema.Ticket).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    first = case((or_(schema.Ticket.urgency == "emergency", *WAITING.values()), 0), else_=1)
    rows = session.scalars(
        select(schema.Ticket)
        .where(*conditions)
        .order_by(first, schema.Ticket.sla_due, schema.Ticket.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return QueuePage(tickets=list(rows), total=total, page=page, pages=pages)


# -- one ticket ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketView:
    ticket: schema.Ticket
    transcripts: list[schema.Transcript]  # newest first
    timed: schema.Transcript | None  # the newest version that has word timings (an engine's)
    classification: dict | None  # classify.records.Classification.to_dict()
    grid: object | None  # registry.Grid the ticket is placed in
    alternatives: list[dict]  # [{code, name, confidence}]
    events: list[schema.TicketEvent]
    has_audio: bool


def ticket_view(session: Session, register: Register, ticket_id: str) -> TicketView | None:
    ticket = session.get(schema.Ticket, ticket_id)
    if ticket is None:
        return None
    transcripts = list(
        session.scalars(
            select(schema.Transcript)
            .where(schema.Transcript.voicemail_id == ticket.voicemail_id)
            .order_by(schema.Transcript.version.desc())
        )
    )
    classification = session.get(schema.Classification, ticket.classification_id) if ticket.classification_id else None
    detail = classification.detail if classification else None
    names = {c.code: c.name for c in register.categories}
    return TicketView(
        ticket=ticket,
        transcripts=transcripts,
        timed=next((t for t in transcripts if t.words), None),
        classification=detail,
        grid=next((g for g in register.grids if g.id == ticket.grid_id), None),
        alternatives=[
            {"code": a["code"], "name": names.get(a["code"], a["code"]), "confidence": a["confidence"]}
            for a in (detail or {}).get("alternatives", [])[:3]
        ],
        events=list(ticket.events),
        has_audio=bool(ticket.voicemail.audio_path),
    )


def worker_tickets(session: Session, worker_id: str) -> list[schema.Ticket]:
    """A grid worker's dispatched, unfinished tickets, most pressing first."""
    return list(
        session.scalars(
            select(schema.Ticket)
            .where(
                schema.Ticket.worker_id == worker_id,
                schema.Ticket.status.in_((TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS)),
            )
            .order_by(schema.Ticket.sla_due, schema.Ticket.id)
        )
    )


def notes(session: Session, ticket_ids: list[str]) -> dict[str, list[schema.TicketEvent]]:
    """Progress notes per ticket, for the grid worker's list."""
    found: dict[str, list[schema.TicketEvent]] = {t: [] for t in ticket_ids}
    if ticket_ids:
        for event in session.scalars(
            select(schema.TicketEvent)
            .where(schema.TicketEvent.ticket_id.in_(ticket_ids), schema.TicketEvent.kind == "note")
            .order_by(schema.TicketEvent.id)
        ):
            found[event.ticket_id].append(event)
    return found

