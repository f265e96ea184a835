"""Sample tickets written through store.py the way the pipeline writes them, without the
speech engine or the classifier: for the console's tests, its benchmark and a demo.
"""
from __future__ import annotations

import io
import math
import random
import struct
import wave
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from asr.records import Transcript, Word
from classify.records import CategoryGuess, Classification, Placement
from hotline import schema, store
from hotline.config import Settings
from registry import Register
from routing import route


def tone_wav(seconds: float, rate: int = 8000) -> bytes:
    """A quiet 440 Hz tone: real, playable audio of the right length."""
    frames = b"".join(
        struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * n / rate))) for n in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


def timed_words(text: str, confidences: dict[int, float] | None = None, step: float = 0.3) -> tuple[Word, ...]:
    """One word per character, `step` seconds apart; `confidences` overrides by position."""
    confidences = confidences or {}
    return tuple(
        Word(text=ch, start=round(i * step, 2), end=round((i + 1) * step, 2), confidence=confidences.get(i, 0.92))
        for i, ch in enumerate(text)
    )


def add_ticket(
    session: Session,
    settings: Settings,
    register: Register,
    *,
    text: str,
    category: str,
    grid_id: str | None,
    now: datetime,
    urgency: str = "normal",
    confidence: float = 0.82,
    needs_review: bool = False,
    review_reasons: tuple[str, ...] = ("类别置信度低",),
    urgency_evidence: tuple[str, ...] | None = None,
    words: tuple[Word, ...] | None = None,
    caller: str | None = "+8613900000001",
    audio_path: Path | None = None,
    alternatives: tuple[CategoryGuess, ...] = (),
    category_evidence: tuple[str, ...] = (),
    place: str | None = None,
) -> schema.Ticket:
    """A voicemail, its transcript, classification and ticket, as if it had just been routed."""
    voicemail, _ = store.add_voicemail(
        session,
        recording_sid=f"RE{random.getrandbits(96):024x}",
        call_sid=None,
        caller=caller,
        recording_status="completed",
        recording_url=None,
        duration_seconds=len(text) * 0.3,
        source="file",
        audio_path=str(audio_path) if audio_path else None,
    )
    transcript = store.add_transcript(
        session,
        voicemail_id=voicemail.id,
        transcript=Transcript(
            text=text, words=words if words is not None else timed_words(text), engine="vosk",
            model="vosk-model-small-cn-0.22", duration=len(text) * 0.3,
        ),
    )
    record = Classification(
        category=category,
        confidence=confidence,
        alternatives=alternatives,
        urgency=urgency,
        urgency_evidence=urgency_evidence if urgency_evidence is not None else ("听到“起不来”",) if urgency == "emergency" else (),
        placement=Placement(
            grid_id=grid_id, confidence=0.9 if grid_id else 0.0, method="compound" if place else "none",
            place=place, evidence=(f"听到“{place}”",) if place else (),
        ),
        category_evidence=category_evidence,
        needs_review=needs_review,
        review_reasons=review_reasons if needs_review else (),
        model_version="sample",
    )
    row = store.add_classification(session, voicemail_id=voicemail.id, transcript_id=transcript.id, classification=record)
    voicemail.state = schema.VoicemailState.ROUTED
    ticket, _ = store.save_ticket(
        session,
        voicemail=voicemail,
        classification_id=row.id,
        draft=route(record, register, now),
        summary=text[:80],
        prefix=settings.ticket_prefix,
        tz=settings.timezone,
        now=now,
    )
    return ticket


PHRASES = {
    "heating": "家里暖气片冰凉，老人怕冷",
    "building_repair": "楼道灯坏了好几天，晚上看不见",
    "utilities": "家里停水了，什么时候来水",
    "sanitation": "垃圾好几天没人清运，味道很大",
    "noise": "楼上装修太吵，中午也不停",
    "elderly_care": "独居老人需要有人上门看看",
}


def seed(session: Session, settings: Settings, register: Register, *, count: int, now: datetime) -> None:
    """`count` varied tickets over the last 30 days (a fifth of them today), for the benchmark."""
    rng = random.Random(7)
    grids = register.grids
    codes = list(PHRASES)
    for n in range(count):
        grid = grids[n % len(grids)]
        code = codes[n % len(codes)]
        age = timedelta(hours=rng.uniform(0, 20)) if n % 5 == 0 else timedelta(days=rng.uniform(0, 30))
        ticket = add_ticket(
            session, settings, register,
            text=f"{grid.areas[0].name}{PHRASES[code]}", category=code, grid_id=grid.id, now=now - age,
            urgency="emergency" if n % 97 == 0 else ("urgent" if n % 7 == 0 else "normal"),
            needs_review=n % 11 == 0, words=(),
        )
        ticket.status = rng.choice(schema.TicketStatus.ALL)
        if n % 500 == 0:
            session.flush()
