"""Receiving a recording callback from Twilio without ever losing it.

The callback is checked (signature, fields), then kept by RecordingSid before Twilio gets
its answer: in the database, or, when the database cannot take it, in an fsynced local
journal that is replayed into the database as soon as it answers again (by the web
process after its next successful store, and by the worker every minute).

Callbacks are idempotent: a duplicate or replayed RecordingSid changes nothing. A
completed recording that replaces earlier ones of the same call (see callflow.py) marks
them superseded; each message waits `callflow.rerecord_window_seconds` (or until the caller
answers "keep or record again") before processing
while the caller may still replace it.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from twilio.request_validator import RequestValidator

from hotline import store
from hotline.logs import mask_phone
from hotline.schema import Voicemail, VoicemailState

if TYPE_CHECKING:
    from hotline.queue import TaskQueue
    from hotline.services import Hotline

log = logging.getLogger(__name__)

RECORDING_SID = re.compile(r"^RE[0-9a-fA-F]{32}$")
CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
CALLER = re.compile(r"^\+?[0-9]{3,20}$")
FINAL_STATUSES = ("completed", "absent", "failed")  # failed: Twilio lost it; call the resident back
PASSING_STATUSES = ("in-progress",)  # not final: answered, nothing kept
MAX_FIELD = 2000
OUTAGE_PROBE_SECONDS = 2.0  # after a database error, callbacks go straight to the journal this long
SUPERSEDED = "superseded: the caller recorded the message again ({sid})"
EMPTY_RERECORDING = "no new message: the caller's earlier recording stands"


class BadCallback(ValueError):
    """The callback is not one we can take; the message says which field is wrong."""


@dataclass(frozen=True)
class RecordingCallback:
    recording_sid: str
    call_sid: str | None
    caller: str | None
    status: str
    recording_url: str | None
    duration_seconds: float | None
    attempt: int = 1  # which recording of the call (callflow.py)
    replaces: tuple[str, ...] = ()  # earlier recordings of the call this one replaces
    received_at: float = field(default_factory=time.time)

    @classmethod
    def from_journal(cls, line: str) -> "RecordingCallback":
        raw = json.loads(line)
        return cls(**{**raw, "replaces": tuple(raw.get("replaces", ()))})

    def to_journal(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False) + "\n"


def signature_valid(auth_token: str, url: str, params: Mapping, signature: str | None) -> bool:
    """Twilio's own validator; no token configured means nothing can be trusted."""
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(url, params, signature)


def clean_text(value: str | None) -> str:
    return (value or "")[:MAX_FIELD].strip()


def clean_caller(value: str | None) -> str | None:
    """A dialable number, or None: anonymous and withheld numbers arrive as words."""
    caller = clean_text(value)
    return caller if CALLER.match(caller) else None


def small_int(value: str | None) -> int:
    """A counter from a URL Twilio calls back (attempt, silent, tries); 0 when not one."""
    value = clean_text(value)
    return int(value) if value.isascii() and value.isdigit() and len(value) < 4 else 0


def parse_attempt(value: str | None, *, limit: int) -> int:
    return min(max(small_int(value), 1), limit)


def parse_replaces(value: str | None, *, limit: int) -> tuple[str, ...]:
    sids = [sid.strip() for sid in clean_text(value).split(",")]
    return tuple(dict.fromkeys(sid for sid in sids if RECORDING_SID.match(sid)))[:limit]


def parse_callback(
    form: Mapping[str, str], query: Mapping[str, str], *, account_sid: str, max_attempts: int
) -> RecordingCallback | None:
    """The callback Twilio posted (form) to the URL callflow gave it (query: From, attempt,
    replaces); None for a status that is not final yet."""

    def value(name: str) -> str:
        raw = form.get(name) or ""
        if len(raw) > MAX_FIELD:
            raise BadCallback(f"{name} is too long")
        return raw.strip()

    sid = value("RecordingSid")
    if not RECORDING_SID.match(sid):
        raise BadCallback("RecordingSid is missing or malformed")
    call_sid = value("CallSid") or None
    if call_sid and not CALL_SID.match(call_sid):
        raise BadCallback("CallSid is malformed")
    if account_sid and value("AccountSid") and value("AccountSid") != account_sid:
        raise BadCallback("AccountSid is not this hotline's account")
    status = value("RecordingStatus") or "completed"
    if status in PASSING_STATUSES:
        return None
    if status not in FINAL_STATUSES:
        raise BadCallback(f"RecordingStatus {status[:40]!r} is not a recording status")
    url = value("RecordingUrl") or None
    if url and not url.startswith(("https://", "http://")):
        raise BadCallback("RecordingUrl is not a URL")
    if status == "completed" and not url:
        raise BadCallback("a completed recording needs a RecordingUrl")
    try:
        duration = float(value("RecordingDuration")) if value("RecordingDuration") else None
    except ValueError:
        raise BadCallback("RecordingDuration is not a number") from None
    if duration is not None and not (0 <= duration < 86400):
        raise BadCallback("RecordingDuration is out of range")
    return RecordingCallback(
        recording_sid=sid,
        call_sid=call_sid,
        caller=clean_caller(query.get("From") or form.get("From")),
        status=status,
        recording_url=url,
        duration_seconds=duration,
        attempt=parse_attempt(query.get("attempt"), limit=max_attempts),
        replaces=tuple(s for s in parse_replaces(query.get("replaces"), limit=max_attempts) if s != sid),
    )


class Intake:
    """Keeps recording callbacks for one process and remembers a database outage, so that
    during one every callback goes straight to the journal instead of waiting on the database."""

    def __init__(self, hotline: "Hotline", queue: "TaskQueue", clock=time.monotonic):
        self.hotline = hotline
        self.queue = queue
        self.clock = clock
        self._down_until = 0.0
        self._replaying = threading.Lock()

    def accept(self, callback: RecordingCallback) -> str:
        """Store (idempotently) and queue; returns 'stored', 'duplicate' or 'journaled'.

        Raises OSError only when neither the database nor the journal could keep it."""
        if self.clock() < self._down_until:
            append_to_journal(self.hotline, callback)
            return "journaled"
        try:
            voicemail_id, created, ready = _store(self.hotline, callback)
        except SQLAlchemyError as err:
            self._down_until = self.clock() + OUTAGE_PROBE_SECONDS
            append_to_journal(self.hotline, callback)
            log.error("database unavailable, callback %s journaled: %s", callback.recording_sid, type(err).__name__)
            return "journaled"
        self._down_until = 0.0
        if not created:
            return "duplicate"
        log.info(
            "voicemail %s stored (caller %s, %s, attempt %d)",
            voicemail_id, mask_phone(callback.caller), callback.status, callback.attempt,
        )
        for ready_id, hold in ready:
            _enqueue(self.queue, ready_id, hold)
        return "stored"

    def after_accept(self, callback: RecordingCallback, outcome: str) -> None:
        """After Twilio has its answer: replay the journal if the database is back, and delete
        the recordings the caller replaced from Twilio (they are never downloaded)."""
        if outcome != "journaled" and self._replaying.acquire(blocking=False):
            try:
                replay_journal(self.hotline, self.queue)
            finally:
                self._replaying.release()
        if callback.status == "completed" and self.hotline.settings.twilio.delete_after_download:
            for sid in callback.replaces:
                self.hotline.media.delete(sid)


    def caller_decided(self, recording_sid: str, *, keep: bool) -> None:
        """The caller answered "keep or record again": act now instead of waiting out the hold.

        Keep: the message is processed at once. Again: it is superseded before it is heard.
        When its status callback has not come yet, the hold still covers it."""
        with self.hotline.db.session() as s:
            row = s.scalar(select(Voicemail).where(Voicemail.recording_sid == recording_sid))
            if row is None:
                return
            voicemail_id, state = row.id, row.state
            if not keep and state == VoicemailState.RECEIVED:
                store.advance(
                    s, row.id, expected=state, to=VoicemailState.FAILED,
                    last_error=SUPERSEDED.format(sid="the next recording of this call"),
                )
        if keep and state not in VoicemailState.FINAL:
            _enqueue(self.queue, voicemail_id, 0.0)


def hold_seconds(hotline: "Hotline", callback: RecordingCallback) -> float:
    """How long a completed message still waits in case the caller records it again."""
    flow = hotline.settings.callflow
    if callback.status != "completed" or callback.attempt >= flow.max_attempts:
        return 0.0
    return max(0.0, flow.rerecord_window_seconds - (time.time() - callback.received_at))


def _enqueue(queue: "TaskQueue", voicemail_id: int, delay: float) -> None:
    try:
        queue.enqueue(voicemail_id, delay=delay or None)
    except Exception as err:  # the row is safe; the periodic resume will queue it
        log.error("voicemail %s stored but not queued: %s", voicemail_id, err)


def _store(hotline: "Hotline", callback: RecordingCallback) -> tuple[int, bool, list[tuple[int, float]]]:
    """One transaction: the voicemail, and the recordings it supersedes (or, when the caller
    re-recorded nothing, restores).

    Returns (voicemail id, created, [(voicemail id to process, hold seconds)])."""
    with hotline.db.session() as s:
        row, created = store.add_voicemail(
            s,
            recording_sid=callback.recording_sid,
            call_sid=callback.call_sid,
            caller=callback.caller,
            recording_status=callback.status,
            recording_url=callback.recording_url,
            duration_seconds=callback.duration_seconds,
        )
        if not created:
            return row.id, False, []
        if callback.replaces and callback.status != "completed":
            store.advance(s, row.id, expected=row.state, to=VoicemailState.FAILED, last_error=EMPTY_RERECORDING)
            return row.id, True, [(old_id, 0.0) for old_id in _restore(s, callback.replaces)]
        for sid in callback.replaces:
            _supersede(s, sid, by=callback)
        return row.id, True, [(row.id, hold_seconds(hotline, callback))]


def _restore(session, sids: tuple[str, ...]) -> list[int]:
    """The caller pressed 2 but said nothing: the recordings superseded for it stand again."""
    restored = []
    for old in session.scalars(select(Voicemail).where(Voicemail.recording_sid.in_(sids))):
        if old.state == VoicemailState.FAILED and (old.last_error or "").startswith("superseded"):
            store.advance(session, old.id, expected=VoicemailState.FAILED, to=VoicemailState.RECEIVED, last_error=None)
            restored.append(old.id)
    return restored


def _supersede(session, sid: str, *, by: RecordingCallback) -> None:
    """Mark a replaced recording, creating its row when its own callback has not come yet
    (it then arrives as a duplicate and changes nothing)."""
    old, _ = store.add_voicemail(
        session,
        recording_sid=sid,
        call_sid=by.call_sid,
        caller=by.caller,
        recording_status="completed",
        recording_url=None,
        duration_seconds=None,
    )
    if old.state == VoicemailState.ROUTED:
        log.warning("recording %s was replaced by %s but already has a ticket", sid, by.recording_sid)
    elif old.state != VoicemailState.FAILED:
        store.advance(
            session, old.id, expected=old.state, to=VoicemailState.FAILED,
            last_error=SUPERSEDED.format(sid=by.recording_sid),
        )


def _append(path, lines: list[str], mode: str = "a") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open(mode, encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.writelines(lines)
        fh.flush()
        os.fsync(fh.fileno())


def append_to_journal(hotline: "Hotline", callback: RecordingCallback) -> None:
    _append(hotline.settings.journal_path, [callback.to_journal()])


def replay_journal(hotline: "Hotline", queue: "TaskQueue") -> int:
    """Move journaled callbacks into the database; the journal shrinks only to what failed.

    A line that cannot be read (a crash mid-write) is moved to `<journal>.rejected` for a
    person to look at, never silently dropped."""
    path = hotline.settings.journal_path
    if not path.exists() or path.stat().st_size == 0:
        return 0
    moved, to_queue = 0, []
    with path.open("r+", encoding="utf-8", errors="replace") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        kept, rejected = [], []
        for line in fh:
            if not line.strip():
                continue
            try:
                callback = RecordingCallback.from_journal(line)
            except (ValueError, TypeError):
                rejected.append(line if line.endswith("\n") else line + "\n")
                continue
            if kept:  # the database failed on an earlier line: keep the order, try later
                kept.append(callback.to_journal())
                continue
            try:
                _, _, ready = _store(hotline, callback)
            except SQLAlchemyError:
                kept.append(callback.to_journal())
                continue
            moved += 1
            to_queue += ready
        if rejected:
            _append(path.with_name(path.name + ".rejected"), rejected)
            log.error("%d unreadable journal line(s) moved to %s.rejected", len(rejected), path.name)
        fh.seek(0)
        fh.truncate()
        fh.writelines(kept)
        fh.flush()
        os.fsync(fh.fileno())
    for voicemail_id, delay in to_queue:
        _enqueue(queue, voicemail_id, delay)
    if moved:
        log.info("replayed %d journaled callback(s) into the database", moved)
    return moved
