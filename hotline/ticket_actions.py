"""What people do to a ticket after the pipeline made it: correct, dispatch, work, resolve.

Every action writes a ticket event naming who did it (the audit trail); label and transcript
fixes also leave a Correction row, the training data for `hotline train
--include-corrections`. Nothing is overwritten: a fixed transcript is a new version by the
engine "operator", fixed labels a new classification row.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from asr import AsrError, Transcriber, load_transcriber
from asr.records import Transcript as TranscriptRecord
from classify.records import Classification as ClassificationRecord
from classify.records import Placement
from hotline import schema, store
from hotline.auth import CurrentUser
from hotline.config import Settings
from hotline.errors import PermanentError
from hotline.outbox import make_sink
from hotline.pipeline import SUMMARY_CHARS
from hotline.schema import TicketStatus
from registry import Register
from routing import TicketMessage, route

ENGINES = ("vosk", "whisper")
OPERATOR_ENGINE = "operator"
ACKNOWLEDGED = "acknowledged"


class ActionError(ValueError):
    """The action cannot be done on this ticket now; the message (Chinese) tells the person why."""


def _ticket(session: Session, ticket_id: str) -> schema.Ticket:
    ticket = session.get(schema.Ticket, ticket_id)
    if ticket is None:
        raise ActionError(f"工单 {ticket_id} 不存在")
    return ticket


def _record(
    session: Session, settings: Settings, ticket: schema.Ticket, user: CurrentUser, kind: str, detail: dict
) -> None:
    """The audit event, and a message on the command queue for whoever follows the ticket."""
    event = store.add_event(session, ticket_id=ticket.id, actor=user.name, kind=kind, detail=detail)
    session.flush()
    make_sink(settings.sink, session).post(
        TicketMessage(ticket_id=ticket.id, kind=f"ticket.{kind}.{event.id}", payload=store.ticket_payload(ticket))
    )


def _correction(session: Session, ticket: schema.Ticket, user: CurrentUser) -> None:
    """The ticket's text and labels as a person has now seen them: one training example."""
    transcript = store.latest_transcript(session, ticket.voicemail_id)
    session.add(
        schema.Correction(
            ticket_id=ticket.id,
            text=transcript.text if transcript else ticket.summary,
            category=ticket.category,
            urgency=ticket.urgency,
            grid_id=ticket.grid_id,
            corrected_by=user.name,
        )
    )


# -- the operator's corrections ----------------------------------------------------------------


def edit_transcript(session: Session, settings: Settings, *, ticket_id: str, user: CurrentUser, text: str) -> bool:
    """Returns False when the text is unchanged (nothing written)."""
    ticket = _ticket(session, ticket_id)
    text = text.strip()
    if not text:
        raise ActionError("转写内容不能为空")
    current = store.latest_transcript(session, ticket.voicemail_id)
    if current is not None and current.text == text:
        return False
    row = store.add_transcript(
        session,
        voicemail_id=ticket.voicemail_id,
        transcript=TranscriptRecord(
            text=text,
            words=(),
            engine=OPERATOR_ENGINE,
            model="manual",
            duration=current.duration_seconds if current and current.duration_seconds else 0.0,
        ),
        created_by=user.name,
    )
    ticket.summary = text[:SUMMARY_CHARS]
    _correction(session, ticket, user)
    _record(
        session, settings, ticket, user, "transcript_edited",
        {"version": row.version, "before": current.text if current else None, "after": text},
    )
    return True


def edit_labels(
    session: Session,
    settings: Settings,
    register: Register,
    *,
    ticket_id: str,
    user: CurrentUser,
    category: str,
    urgency: str,
    grid_id: str | None,
) -> bool:
    """A new classification row by the operator, the ticket re-routed from it (worker,
    department, SLA counted from the ticket's creation). False when nothing changed."""
    ticket = _ticket(session, ticket_id)
    if category not in register.category_codes:
        raise ActionError(f"未知类别 {category}")
    if urgency not in register.urgency_levels:
        raise ActionError(f"未知紧急程度 {urgency}")
    if grid_id is not None and grid_id not in {g.id for g in register.grids}:
        raise ActionError(f"未知网格 {grid_id}")
    before = {"category": ticket.category, "urgency": ticket.urgency, "grid_id": ticket.grid_id}
    after = {"category": category, "urgency": urgency, "grid_id": grid_id}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changes:
        return False
    current = session.get(schema.Classification, ticket.classification_id) if ticket.classification_id else None
    record = _operator_classification(current.detail if current else None, after, changes, user)
    transcript = store.latest_transcript(session, ticket.voicemail_id)
    row = store.add_classification(
        session,
        voicemail_id=ticket.voicemail_id,
        transcript_id=transcript.id if transcript else None,
        classification=record,
    )
    draft = route(record, register, ticket.created_at)
    ticket.classification_id = row.id
    for key in ("category", "urgency", "grid_id", "community", "worker_id", "department", "sla_due"):
        setattr(ticket, key, getattr(draft, key))
    _correction(session, ticket, user)
    _record(session, settings, ticket, user, "labels_edited", {"changes": changes, "classification_id": row.id})
    return True


def _operator_classification(
    detail: dict | None, after: dict, changes: dict, user: CurrentUser
) -> ClassificationRecord:
    """The machine's record with the operator's answers in place, certain where they changed it."""
    evidence = (f"{user.name} 人工改正",)
    placement = Placement(grid_id=after["grid_id"], confidence=1.0, method="operator", evidence=evidence)
    if detail is None:
        return ClassificationRecord(
            category=after["category"], confidence=1.0, alternatives=(), urgency=after["urgency"],
            urgency_evidence=evidence, placement=placement, category_evidence=evidence, model_version=OPERATOR_ENGINE,
        )
    base = ClassificationRecord.from_dict(detail)
    if "category" in changes:
        base = replace(base, category=after["category"], confidence=1.0, category_evidence=evidence)
    if "urgency" in changes:
        base = replace(base, urgency=after["urgency"], urgency_evidence=evidence)
    if "grid_id" in changes:
        base = replace(base, placement=placement)
    return replace(base, needs_review=False, review_reasons=(), model_version=OPERATOR_ENGINE)


def retranscribe(hotline, *, ticket_id: str, user: CurrentUser, engine: str,
                 transcriber: Callable[[], Transcriber] | None = None) -> str:
    """Hear the voicemail again with another engine through the one pipeline (a new
    transcript and classification version); returns the voicemail's final state."""
    if engine not in ENGINES:
        raise ActionError(f"未知识别引擎 {engine}")
    with hotline.db.session() as s:
        voicemail_id = _ticket(s, ticket_id).voicemail_id
    transcriber = transcriber or _engine_loader(hotline.settings, engine)
    try:
        state = hotline.pipeline.reprocess(voicemail_id, transcriber=transcriber)
    except (PermanentError, AsrError) as err:
        raise ActionError(f"重新转写失败：{err}") from err
    with hotline.db.session() as s:
        ticket = _ticket(s, ticket_id)
        version = store.latest_transcript(s, voicemail_id)
        _record(s, hotline.settings, ticket, user, "retranscribed",
                {"engine": engine, "version": version.version if version else None, "state": state})
    return state


def _engine_loader(settings: Settings, engine: str) -> Callable[[], Transcriber]:
    """Loaded on first use, once per re-transcription: operators ask for it rarely."""
    asr = dataclasses.replace(settings.asr, engine=engine)
    loaded: list[Transcriber] = []

    def load() -> Transcriber:
        if not loaded:
            loaded.append(load_transcriber(asr))
        return loaded[0]

    return load


# -- sending on and working the ticket ---------------------------------------------------------


def _move(ticket: schema.Ticket, allowed: tuple[str, ...], to: str, refusal: str) -> str:
    if ticket.status not in allowed:
        raise ActionError(refusal)
    before, ticket.status = ticket.status, to
    return before


def dispatch(session: Session, settings: Settings, *, ticket_id: str, user: CurrentUser) -> None:
    """Approve the ticket as it stands and send it to its grid worker."""
    ticket = _ticket(session, ticket_id)
    if ticket.worker_id is None:
        raise ActionError("请先指定网格，才能派单给网格员")
    before = _move(ticket, (TicketStatus.NEW, TicketStatus.ASSIGNED), TicketStatus.ASSIGNED, "工单已在办理或已办结，不能再派单")
    ticket.needs_review = False
    _record(session, settings, ticket, user, "dispatched",
            {"from": before, "worker_id": ticket.worker_id, "department": ticket.department})


def accept(session: Session, settings: Settings, *, ticket_id: str, user: CurrentUser) -> None:
    """接单: the grid worker takes the ticket on; the resident hears it is being handled."""
    ticket = _ticket(session, ticket_id)
    _move(ticket, (TicketStatus.ASSIGNED,), TicketStatus.IN_PROGRESS, "只有已派单的工单可以接单")
    _record(session, settings, ticket, user, "accepted", {"worker_id": ticket.worker_id})


def add_note(session: Session, settings: Settings, *, ticket_id: str, user: CurrentUser, text: str) -> None:
    ticket = _ticket(session, ticket_id)
    if not text.strip():
        raise ActionError("进展说明不能为空")
    if ticket.status not in TicketStatus.OPEN:
        raise ActionError("工单已办结，不能再添加进展")
    _record(session, settings, ticket, user, "note", {"text": text.strip()})


def resolve(session: Session, settings: Settings, *, ticket_id: str, user: CurrentUser, text: str) -> None:
    ticket = _ticket(session, ticket_id)
    _move(ticket, (TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS), TicketStatus.RESOLVED, "只有办理中的工单可以办结")
    _record(session, settings, ticket, user, "resolved", {"text": text.strip()})


def acknowledge(session: Session, settings: Settings, *, ticket_id: str, user: CurrentUser) -> bool:
    """Take an emergency off the command screen's banner; False if someone already did."""
    ticket = _ticket(session, ticket_id)
    if ticket.urgency != "emergency":
        raise ActionError("只有紧急工单需要确认")
    done = session.scalar(
        select(schema.TicketEvent.id).where(
            schema.TicketEvent.kind == ACKNOWLEDGED, schema.TicketEvent.ticket_id == ticket.id
        )
    )
    if done is not None:
        return False
    _record(session, settings, ticket, user, ACKNOWLEDGED, {})
    return True
