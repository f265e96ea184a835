"""Batch processing of recorded audio (`hotline process`): the same pipeline, from a file.

A file is keyed by its content, so processing it twice gives the same ticket; `again`
hears it anew (a new transcript version, a new classification, the ticket updated).
"""
from __future__ import annotations

from pathlib import Path

from asr import AudioError, load_audio
from hotline import schema, store
from hotline.errors import HotlineError
from hotline.pipeline import write_atomically
from hotline.services import Hotline


class BatchError(RuntimeError):
    """This file could not be processed; the message says why."""


def process_file(hotline: Hotline, path: Path, *, caller: str | None = None, again: bool = False) -> dict:
    try:
        data = path.read_bytes()
        load_audio(data)
    except OSError as err:
        raise BatchError(f"cannot read {path}: {err.strerror}") from err
    except AudioError as err:
        raise BatchError(f"{path} is not usable audio: {err}") from err
    sid = store.file_recording_sid(data)
    stored = hotline.settings.audio_dir / f"{sid}{path.suffix.lower() or '.wav'}"
    if not stored.exists():  # written whole or not at all, so "exists" means "usable"
        write_atomically(stored, data)
    with hotline.db.session() as s:
        row, created = store.add_voicemail(
            s,
            recording_sid=sid,
            call_sid=None,
            caller=caller,
            recording_status="completed",
            recording_url=None,
            duration_seconds=None,
            source="file",
            audio_path=str(stored),
        )
        voicemail_id = row.id
    try:
        if again and not created:
            hotline.pipeline.reprocess(voicemail_id)
        else:
            hotline.pipeline.run(voicemail_id)
    except HotlineError as err:  # kept at its last saved step: the next run resumes there
        raise BatchError(f"{path}: {err} (saved; run again to resume)") from err
    return result(hotline, voicemail_id, file=str(path))


def result(hotline: Hotline, voicemail_id: int, *, file: str) -> dict:
    with hotline.db.session() as s:
        vm = s.get(schema.Voicemail, voicemail_id)
        transcript = store.latest_transcript(s, voicemail_id)
        classification = store.latest_classification(s, voicemail_id)
        ticket = vm.ticket
        return {
            "file": file,
            "transcript": transcript.text if transcript else None,
            "engine": transcript.engine if transcript else None,
            "category": classification.category if classification else None,
            "urgency": classification.urgency if classification else None,
            "grid_id": classification.grid_id if classification else None,
            "confidence": round(classification.confidence, 4) if classification else None,
            "needs_review": ticket.needs_review if ticket else None,
            "ticket_id": ticket.id if ticket else None,
            "worker_id": ticket.worker_id if ticket else None,
            "state": vm.state,
            "error": vm.last_error if vm.state == schema.VoicemailState.FAILED else None,
        }


def describe(result: dict) -> str:
    if result.get("ticket_id") is None:
        return f"{result['file']}: {result.get('error') or result.get('state')}"
    flag = (" [待复核]" if result.get("needs_review") else "") + (" [待定位]" if result.get("grid_id") is None else "")
    return (
        f"{result['file']}: {result['ticket_id']} {result['category']}/{result['urgency']} "
        f"grid={result['grid_id'] or '?'} worker={result['worker_id'] or '?'}{flag}\n    {result['transcript']}"
    )
