"""Every write the pipeline makes, in one place, with keyword-only arguments.

State moves by compare-and-set (`advance`): a step's result is saved only if the voicemail
is still where the step found it, so a replayed task or a second worker never saves twice.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from asr.records import Transcript as TranscriptRecord
from classify.records import Classification as ClassificationRecord, KnownCaller
from hotline import schema
from hotline.schema import TicketStatus, VoicemailState, utcnow
from routing import TicketDraft


def file_recording_sid(audio: bytes) -> str:
    """Recordings that come from files (batch reprocessing) are keyed by their content."""
    return "FILE" + hashlib.sha256(audio).hexdigest()[:30]


def add_voicemail(
    session: Session,
    *,
    recording_sid: str,
    call_sid: str | None,
    caller: str | None,
    recording_status: str,
    recording_url: str | None,
    duration_seconds: float | None,
    source: str = "twilio",
    audio_path: str | None = None,
) -> tuple[schema.Voicemail, bool]:
    """Store a voicemail once per RecordingSid; returns (row, created)."""
    existing = session.scalar(select(schema.Voicemail).where(schema.Voicemail.recording_sid == recording_sid))
    if existing is not None:
        return existing, False
    row = schema.Voicemail(
        recording_sid=recording_sid,
        call_sid=call_sid,
        caller=caller,
        recording_status=recording_status,
        recording_url=recording_url,
        duration_seconds=duration_seconds,
        source=source,
        audio_path=audio_path,
        state=VoicemailState.STORED if audio_path else VoicemailState.RECEIVED,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # a concurrent duplicate callback won the race
        return session.scalars(
            select(schema.Voicemail).where(schema.Voicemail.recording_sid == recording_sid)
        ).one(), False
    return row, True


def advance(session: Session, voicemail_id: int, *, expected: str, to: str, **fields) -> bool:
    """Move a voicemail from `expected` to `to`; False when another run already moved it."""
    result = session.execute(
        update(schema.Voicemail)
        .where(schema.Voicemail.id == voicemail_id, schema.Voicemail.state == expected)
        .values(state=to, updated_at=utcnow(), **fields)
    )
    return result.rowcount == 1


def record_attempt(session: Session, voicemail_id: int, *, error: str) -> int:
    session.execute(
        update(schema.Voicemail)
        .where(schema.Voicemail.id == voicemail_id)
        .values(attempts=schema.Voicemail.attempts + 1, last_error=error, updated_at=utcnow())
    )
    return session.get(schema.Voicemail, voicemail_id, populate_existing=True).attempts


def add_transcript(
    session: Session, *, voicemail_id: int, transcript: TranscriptRecord, created_by: str | None = None
) -> schema.Transcript:
    """Reprocessing and operator edits add a version; the first hearing is never overwritten."""
    version = (
        session.scalar(
            select(func.max(schema.Transcript.version)).where(schema.Transcript.voicemail_id == voicemail_id)
        )
        or 0
    ) + 1
    row = schema.Transcript(
        voicemail_id=voicemail_id,
        version=version,
        engine=transcript.engine,
        model=transcript.model,
        text=transcript.text,
        words=[w.__dict__ for w in transcript.words],
        duration_seconds=transcript.duration,
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row


def latest_transcript(session: Session, voicemail_id: int) -> schema.Transcript | None:
    return session.scalar(
        select(schema.Transcript)
        .where(schema.Transcript.voicemail_id == voicemail_id)
        .order_by(schema.Transcript.version.desc())
        .limit(1)
    )


def known_caller(session: Session, caller: str | None) -> KnownCaller | None:
    """Where an operator last put a ticket from this number (a correction with a grid), if ever."""
    if not caller:
        return None
    row = session.execute(
        select(schema.Correction.grid_id, schema.Correction.ticket_id)
        .join(schema.Ticket, schema.Ticket.id == schema.Correction.ticket_id)
        .where(schema.Ticket.caller == caller, schema.Correction.grid_id.is_not(None))
        .order_by(schema.Correction.id.desc())
        .limit(1)
    ).first()
    return KnownCaller(row.grid_id, row.ticket_id) if row else None


def add_classification(
    session: Session,
    *,
    voicemail_id: int,
    transcript_id: int | None,
    classification: ClassificationRecord,
) -> schema.Classification:
    row = schema.Classification(
        voicemail_id=voicemail_id,
        transcript_id=transcript_id,
        category=classification.category,
        confidence=classification.confidence,
        urgency=classification.urgency,
        grid_id=classification.grid_id,
        needs_review=classification.needs_review,
        model_version=classification.model_version,
        detail=classification.to_dict(),
    )
    session.add(row)
    session.flush()
    return row


def latest_classification(session: Session, voicemail_id: int) -> schema.Classification | None:
    return session.scalar(
        select(schema.Classification)
        .where(schema.Classification.voicemail_id == voicemail_id)
        .order_by(schema.Classification.id.desc())
        .limit(1)
    )


def _next_ticket_id(session: Session, *, prefix: str, now: datetime, tz: str) -> str:
    day = now.astimezone(ZoneInfo(tz)).strftime("%Y%m%d")
    stem = f"{prefix}-{day}-"
    last = session.scalar(select(func.max(schema.Ticket.id)).where(schema.Ticket.id.like(stem + "%")))
    return f"{stem}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def save_ticket(
    session: Session,
    *,
    voicemail: schema.Voicemail,
    classification_id: int | None,
    draft: TicketDraft,
    summary: str,
    prefix: str,
    tz: str,
    now: datetime,
) -> tuple[schema.Ticket, bool]:
    """Create the voicemail's ticket, or update it when the voicemail was reprocessed.

    Returns (ticket, created). Ticket ids are per local day; a concurrent insert that took
    the same number retries with the next one.
    """
    fields = dict(
        classification_id=classification_id,
        category=draft.category,
        urgency=draft.urgency,
        grid_id=draft.grid_id,
        community=draft.community,
        worker_id=draft.worker_id,
        department=draft.department,
        needs_review=draft.needs_review,
        summary=summary,
    )
    ticket = session.scalar(select(schema.Ticket).where(schema.Ticket.voicemail_id == voicemail.id))
    if ticket is not None:
        for key, value in fields.items():
            setattr(ticket, key, value)
        add_event(session, ticket_id=ticket.id, actor="system", kind="reclassified", detail=draft.to_dict())
        return ticket, False
    for _ in range(20):
        ticket = schema.Ticket(
            id=_next_ticket_id(session, prefix=prefix, now=now, tz=tz),
            voicemail_id=voicemail.id,
            caller=voicemail.caller,
            status=TicketStatus.ASSIGNED if draft.worker_id and not draft.needs_review else TicketStatus.NEW,
            sla_due=draft.sla_due,
            created_at=now,
            **fields,
        )
        try:
            with session.begin_nested():
                session.add(ticket)
            break
        except IntegrityError:
            existing = session.scalar(select(schema.Ticket).where(schema.Ticket.voicemail_id == voicemail.id))
            if existing is not None:
                return existing, False
    else:
        raise RuntimeError("could not allocate a ticket id")
    add_event(session, ticket_id=ticket.id, actor="system", kind="created", detail=draft.to_dict())
    return ticket, True


def add_event(session: Session, *, ticket_id: str, actor: str, kind: str, detail: dict) -> schema.TicketEvent:
    event = schema.TicketEvent(ticket_id=ticket_id, actor=actor, kind=kind, detail=detail)
    session.add(event)
    return event


def ticket_payload(ticket: schema.Ticket) -> dict:
    """The ticket as the command queue and the JSON API show it."""
    return {
        "id": ticket.id,
        "status": ticket.status,
        "category": ticket.category,
        "urgency": ticket.urgency,
        "grid_id": ticket.grid_id,
        "community": ticket.community,
        "worker_id": ticket.worker_id,
        "department": ticket.department,
        "needs_review": ticket.needs_review,
        "caller": ticket.caller,
        "summary": ticket.summary,
        "sla_due": ticket.sla_due.isoformat(),
        "created_at": ticket.created_at.isoformat(),
        "voicemail_id": ticket.voicemail_id,
    }
