"""The pipeline runner: call -> recording -> transcript -> classification -> ticket -> queue.

Each step reads the voicemail's state, does its work outside any transaction, and saves the
result in one transaction that also moves the state on (compare-and-set). A crash at any
point leaves the voicemail at the last saved state; the next run resumes there.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from asr import AsrError, AudioError, Transcriber, check_duration, load_audio
from classify import Classifier
from classify.records import Classification as ClassificationRecord
from hotline import store
from hotline.config import Settings
from hotline.db import Database
from hotline.errors import PermanentError, TransientError
from hotline.logs import mask_phone
from hotline.outbox import make_sink
from hotline.schema import Voicemail, VoicemailState, utcnow
from hotline.twilio_media import TwilioMedia
from registry import Register
from routing import TicketMessage, route


log = logging.getLogger(__name__)

NO_MESSAGE_REASON = "来电未留言：请回电联系居民"  # shown to operators on the ticket
SUMMARY_CHARS = 80


class Pipeline:
    """Owns one voicemail's run through the steps; stages are prepared once per process."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        register: Register,
        classifier: Classifier,
        transcriber: Callable[[], Transcriber],
        media: TwilioMedia,
        clock: Callable[[], datetime] = utcnow,
        on_routed: Callable[[str], None] | None = None,
    ):
        self.settings = settings
        self.db = db
        self.register = register
        self.classifier = classifier
        self._transcriber = transcriber
        self.media = media
        self.clock = clock
        self.on_routed = on_routed
        self._steps = {
            VoicemailState.RECEIVED: self._store_audio,
            VoicemailState.STORED: self._transcribe,
            VoicemailState.TRANSCRIBED: self._classify,
            VoicemailState.CLASSIFIED: self._route,
        }

    # -- the runner -------------------------------------------------------------------------

    def run(self, voicemail_id: int) -> str:
        """Run every remaining step; returns the final state.

        Raises TransientError when a step should be tried again later (the caller
        schedules it); gives up into a review ticket after `download.attempts` tries.
        """
        while True:
            vm = self._load(voicemail_id)
            if vm.state in VoicemailState.FINAL:
                return vm.state
            step = self._steps[vm.state]
            try:
                step(vm)
            except PermanentError as err:
                self._fail(vm, err.code, str(err))
            except (TransientError, AsrError, OSError) as err:
                self._retry_or_fail(vm, err)
            except Exception as err:  # a bug or an engine crash: retried, then reviewed
                log.exception("voicemail %s: step %s crashed", vm.id, vm.state)
                self._retry_or_fail(vm, err)

    def reprocess(self, voicemail_id: int, *, transcriber: Callable[[], Transcriber] | None = None) -> str:
        """Hear a stored voicemail again (another engine, a new model): adds versions, keeps the old."""
        with self.db.session() as s:
            vm = s.get(Voicemail, voicemail_id)
            if vm.audio_path is None:
                raise PermanentError("no-audio", "this voicemail has no stored audio to transcribe again")
            store.advance(s, voicemail_id, expected=vm.state, to=VoicemailState.STORED)
        if transcriber is not None:
            previous, self._transcriber = self._transcriber, transcriber
            try:
                return self.run(voicemail_id)
            finally:
                self._transcriber = previous
        return self.run(voicemail_id)

    def _load(self, voicemail_id: int) -> Voicemail:
        with self.db.session() as s:
            vm = s.get(Voicemail, voicemail_id)
            if vm is None:
                raise PermanentError("no-voicemail", f"voicemail {voicemail_id} does not exist")
            return vm

    def _retry_or_fail(self, vm: Voicemail, err: Exception) -> None:
        with self.db.session() as s:
            attempts = store.record_attempt(s, vm.id, error=str(err))
        if attempts >= self.settings.twilio.download.attempts:
            code = getattr(err, "code", type(err).__name__)
            self._fail(vm, code, f"gave up after {attempts} attempts: {err}")
            return
        raise TransientError(getattr(err, "code", "step-failed"), str(err)) from err

    def retry_delay(self, voicemail_id: int) -> float:
        """Exponential backoff: 1 s, 2 s, 4 s, ... from `download.first_delay_seconds`."""
        attempts = self._load(voicemail_id).attempts
        return self.settings.twilio.download.first_delay_seconds * 2 ** max(0, attempts - 1)

    # -- the steps ---------------------------------------------------------------------------

    def _store_audio(self, vm: Voicemail) -> None:
        if vm.recording_status != "completed" or not vm.recording_url:
            self._route_without_message(vm)
            return
        data = self.media.fetch(vm.recording_url)
        try:
            audio = load_audio(data)
            check_duration(audio, self.settings.twilio.download.max_seconds)
        except AudioError as err:
            raise PermanentError(err.code, str(err)) from err
        path = self.settings.audio_dir / f"{vm.recording_sid}.wav"
        write_atomically(path, data)
        with self.db.session() as s:
            moved = store.advance(
                s,
                vm.id,
                expected=VoicemailState.RECEIVED,
                to=VoicemailState.STORED,
                audio_path=str(path),
                duration_seconds=audio.duration,
            )
        if moved and self.settings.twilio.delete_after_download:
            self.media.delete(vm.recording_sid)

    def _transcribe(self, vm: Voicemail) -> None:
        transcript = self._transcriber().transcribe(load_audio(Path(vm.audio_path)))
        with self.db.session() as s:
            if store.advance(s, vm.id, expected=VoicemailState.STORED, to=VoicemailState.TRANSCRIBED):
                store.add_transcript(s, voicemail_id=vm.id, transcript=transcript)
        log.info("voicemail %s transcribed by %s: %d chars", vm.id, transcript.engine, len(transcript.text))

    def _classify(self, vm: Voicemail) -> None:
        with self.db.session() as s:
            transcript = store.latest_transcript(s, vm.id)
            known = store.known_caller(s, vm.caller)
        result = self.classifier.classify(transcript.text, vm.caller, known)
        with self.db.session() as s:
            if store.advance(s, vm.id, expected=VoicemailState.TRANSCRIBED, to=VoicemailState.CLASSIFIED):
                store.add_classification(s, voicemail_id=vm.id, transcript_id=transcript.id, classification=result)

    def _route(self, vm: Voicemail) -> None:
        now = self.clock()
        with self.db.session() as s:
            row = store.latest_classification(s, vm.id)
            transcript = store.latest_transcript(s, vm.id)
            draft = route(ClassificationRecord.from_dict(row.detail), self.register, now)
            summary = (transcript.text if transcript else row.detail.get("review_reasons", [""])[0])[:SUMMARY_CHARS]
            if not store.advance(s, vm.id, expected=VoicemailState.CLASSIFIED, to=VoicemailState.ROUTED):
                return
            ticket, created = store.save_ticket(
                s,
                voicemail=vm,
                classification_id=row.id,
                draft=draft,
                summary=summary,
                prefix=self.settings.ticket_prefix,
                tz=self.settings.timezone,
                now=now,
            )
            kind = "ticket.created" if created else f"ticket.reclassified.{row.id}"
            make_sink(self.settings.sink, s).post(
                TicketMessage(ticket_id=ticket.id, kind=kind, payload=store.ticket_payload(ticket))
            )
            ticket_id = ticket.id
        log.info("voicemail %s -> ticket %s (%s, grid %s)", vm.id, ticket_id, draft.category, draft.grid_id)
        if self.on_routed is not None:
            self.on_routed(ticket_id)

    # -- when there is no message to hear ----------------------------------------------------

    def _review_classification(self, caller: str | None, reason: str) -> ClassificationRecord:
        """A ticket for a person to look at: placed by the caller registry, category `other`."""
        located = self.classifier.classify("", caller)
        return dataclasses.replace(
            located,
            category="other",
            confidence=0.0,
            alternatives=(),
            urgency="normal",
            urgency_evidence=(),
            category_evidence=(),
            secondary_category=None,
            needs_review=True,
            review_reasons=(reason,),
        )

    def _route_without_message(self, vm: Voicemail) -> None:
        """No recording (the caller hung up or stayed silent): call them back if we know who."""
        if not vm.caller:
            with self.db.session() as s:
                store.advance(
                    s,
                    vm.id,
                    expected=vm.state,
                    to=VoicemailState.FAILED,
                    last_error="no message and no caller number: nothing to act on",
                )
            return
        self._save_review(vm, NO_MESSAGE_REASON)

    def _fail(self, vm: Voicemail, code: str, message: str) -> None:
        """Give up on a step, loudly: the voicemail goes to review with the reason on the ticket."""
        log.warning("voicemail %s (caller %s) failed: %s", vm.id, mask_phone(vm.caller), message)
        with self.db.session() as s:
            s.get(Voicemail, vm.id).last_error = message
        self._save_review(vm, f"处理失败（{code}）：请人工处理")
        with self.db.session() as s:
            store.advance(s, vm.id, expected=VoicemailState.ROUTED, to=VoicemailState.FAILED)

    def _save_review(self, vm: Voicemail, reason: str) -> None:
        result = self._review_classification(vm.caller, reason)
        current = self._load(vm.id).state
        with self.db.session() as s:
            if store.advance(s, vm.id, expected=current, to=VoicemailState.CLASSIFIED):
                store.add_classification(s, voicemail_id=vm.id, transcript_id=None, classification=result)
        self._route(self._load(vm.id))


def write_atomically(path: Path, data: bytes) -> None:
    """Write then rename, fsynced: a crash leaves the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
