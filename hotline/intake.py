"""Receiving a recording callback from Twilio without ever losing it.

The callback is checked (signature, fields), then stored by RecordingSid before Twilio gets
its answer. If the database cannot take it, the callback goes to an fsynced local journal
that is replayed into the database as soon as it answers again.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError, DBAPIError
from twilio.request_validator import RequestValidator

from hotline import store
from hotline.logs import mask_phone
from hotline.services import Hotline

if TYPE_CHECKING:
    from hotline.queue import TaskQueue

log = logging.getLogger(__name__)

RECORDING_SID = re.compile(r"^RE[0-9a-fA-F]{32}$")
CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
CALLER = re.compile(r"^\+?[0-9]{3,20}$")
KNOWN_STATUSES = ("completed", "absent")
MAX_FIELD = 2000


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


def signature_valid(auth_token: str, url: str, params: Mapping, signature: str | None) -> bool:
    """Twilio's own validator; no token configured means nothing can be trusted."""
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(url, params, signature)


def parse_callback(form: Mapping[str, str], caller: str | None, account_sid: str) -> RecordingCallback:
    def field(name: str) -> str:
        value = form.get(name) or ""
        if len(value) > MAX_FIELD:
            raise BadCallback(f"{name} is too long")
        return value.strip()

    sid = field("RecordingSid")
    if not RECORDING_SID.match(sid):
        raise BadCallback("RecordingSid is missing or malformed")
    call_sid = field("CallSid") or None
    if call_sid and not CALL_SID.match(call_sid):
        raise BadCallback("CallSid is malformed")
    if account_sid and field("AccountSid") and field("AccountSid") != account_sid:
        raise BadCallback("AccountSid is not this hotline's account")
    status = field("RecordingStatus") or "completed"
    if status not in KNOWN_STATUSES:
        raise BadCallback(f"RecordingStatus {status!r} is not a final recording status")
    url = field("RecordingUrl") or None
    if status == "completed" and not url:
        raise BadCallback("a completed recording needs a RecordingUrl")
    try:
        duration = float(field("RecordingDuration")) if field("RecordingDuration") else None
    except ValueError:
        raise BadCallback("RecordingDuration is not a number") from None
    if duration is not None and not (0 <= duration < 86400):
        raise BadCallback("RecordingDuration is out of range")
    caller = (caller or "").strip() or None
    if caller and not CALLER.match(caller):
        caller = None  # anonymous or withheld numbers arrive as words: treat as unknown
    return RecordingCallback(sid, call_sid, caller, status, url, duration)


def accept(hotline: Hotline, queue: "TaskQueue", callback: RecordingCallback) -> str:
    """Store (idempotently) and queue; returns 'stored', 'duplicate' or 'journaled'."""
    try:
        voicemail_id, created = _store(hotline, callback)
    except (OperationalError, DBAPIError) as err:
        append_to_journal(hotline, callback)
        log.error("database unavailable, callback %s journaled: %s", callback.recording_sid, err.__class__.__name__)
        return "journaled"
    if not created:
        return "duplicate"
    log.info("voicemail %s stored (caller %s, %s)", voicemail_id, mask_phone(callback.caller), callback.status)
    try:
        queue.enqueue(voicemail_id)
    except Exception as err:  # the row is safe; the periodic resume will queue it
        log.error("voicemail %s stored but not queued: %s", voicemail_id, err)
    return "stored"


def _store(hotline: Hotline, callback: RecordingCallback) -> tuple[int, bool]:
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
        return row.id, created


def append_to_journal(hotline: Hotline, callback: RecordingCallback) -> None:
    path = hotline.settings.journal_path
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(asdict(callback), ensure_ascii=False) + "\n"
    with path.open("a", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def replay_journal(hotline: Hotline, queue: "TaskQueue") -> int:
    """Move journaled callbacks into the database; the journal shrinks only to what failed."""
    path = hotline.settings.journal_path
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("r+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        pending = [RecordingCallback(**json.loads(line)) for line in fh if line.strip()]
        kept, moved = [], 0
        for callback in pending:
            try:
                voicemail_id, created = _store(hotline, callback)
            except (OperationalError, DBAPIError):
                kept.append(callback)
                continue
            moved += 1
            if created:
                queue.enqueue(voicemail_id)
        fh.seek(0)
        fh.truncate()
        fh.writelines(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in kept)
        fh.flush()
        os.fsync(fh.fileno())
    if moved:
        log.info("replayed %d journaled callback(s) into the database", moved)
    return moved
