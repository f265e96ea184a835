"""The tables: a voicemail's whole life, from Twilio's callback to the command queue.

Each processing step adds rows and moves `Voicemail.state` forward; nothing is
overwritten, so an operator can always see what the recogniser heard first.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict: JSON, list: JSON}


class VoicemailState:
    """Where a voicemail is in the pipeline; each step moves it one place on."""

    RECEIVED = "received"  # callback stored, audio still at Twilio
    STORED = "stored"  # audio on our disk
    TRANSCRIBED = "transcribed"
    CLASSIFIED = "classified"
    ROUTED = "routed"  # ticket posted: done
    FAILED = "failed"  # gave up; a ticket for review says why
    ORDER = (RECEIVED, STORED, TRANSCRIBED, CLASSIFIED, ROUTED)
    FINAL = (ROUTED, FAILED)


class TicketStatus:
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ALL = (NEW, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED)
    OPEN = (NEW, ASSIGNED, IN_PROGRESS)


class Voicemail(Base):
    __tablename__ = "voicemails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_sid: Mapped[str | None] = mapped_column(String(64))
    caller: Mapped[str | None] = mapped_column(String(32), index=True)
    recording_status: Mapped[str] = mapped_column(String(16), default="completed")
    recording_url: Mapped[str | None] = mapped_column(Text)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    audio_path: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="twilio")  # twilio | file
    state: Mapped[str] = mapped_column(String(16), default=VoicemailState.RECEIVED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    transcripts: Mapped[list["Transcript"]] = relationship(
        back_populates="voicemail", order_by="Transcript.version"
    )
    ticket: Mapped["Ticket | None"] = relationship(back_populates="voicemail")


class Transcript(Base):
    __tablename__ = "transcripts"
    __table_args__ = (UniqueConstraint("voicemail_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    voicemail_id: Mapped[int] = mapped_column(ForeignKey("voicemails.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    engine: Mapped[str] = mapped_column(String(32))  # vosk | whisper | operator
    model: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[list] = mapped_column(default=list)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    voicemail: Mapped[Voicemail] = relationship(back_populates="transcripts")


class Classification(Base):
    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    voicemail_id: Mapped[int] = mapped_column(ForeignKey("voicemails.id"), index=True)
    transcript_id: Mapped[int | None] = mapped_column(ForeignKey("transcripts.id"))
    category: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    urgency: Mapped[str] = mapped_column(String(16))
    grid_id: Mapped[str | None] = mapped_column(String(16))
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    model_version: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict] = mapped_column(default=dict)  # the full record, evidence included
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # XLML-20261129-0007
    voicemail_id: Mapped[int] = mapped_column(ForeignKey("voicemails.id"), unique=True)
    classification_id: Mapped[int | None] = mapped_column(ForeignKey("classifications.id"))
    category: Mapped[str] = mapped_column(String(32), index=True)
    urgency: Mapped[str] = mapped_column(String(16), index=True)
    grid_id: Mapped[str | None] = mapped_column(String(16), index=True)
    community: Mapped[str | None] = mapped_column(String(32), index=True)
    worker_id: Mapped[str | None] = mapped_column(String(32), index=True)
    department: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=TicketStatus.NEW, index=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    caller: Mapped[str | None] = mapped_column(String(32), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    sla_due: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    voicemail: Mapped[Voicemail] = relationship(back_populates="ticket")
    events: Mapped[list["TicketEvent"]] = relationship(order_by="TicketEvent.id")


class TicketEvent(Base):
    """The audit trail: who did what to a ticket, and when."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_kind_ticket", "kind", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # "system" or a user name
    kind: Mapped[str] = mapped_column(String(32))  # created | status | edit | note | dispatch
    detail: Mapped[dict] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """The command queue: messages for the command screen and grid workers, in order."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("ticket_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Correction(Base):
    """A label an operator fixed: training data for the next `hotline train`."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    grid_id: Mapped[str | None] = mapped_column(String(16))
    corrected_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class UserRole:
    OPERATOR = "operator"  # command centre: reviews, corrects and dispatches tickets
    SUPERVISOR = "supervisor"  # an operator who may also act for a grid worker
    GRID_WORKER = "grid_worker"  # sees and works only the tickets of their worker_id
    ALL = (OPERATOR, SUPERVISOR, GRID_WORKER)


class User(Base):
    """Someone who signs in to the console; `hotline users add` creates them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    worker_id: Mapped[str | None] = mapped_column(String(32))  # a register worker, for grid workers
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
