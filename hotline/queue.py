"""The task queue (huey): SQLite storage by default, Redis when `queue.url` says redis://.

Tasks carry only a voicemail id; the state on the voicemail row is the truth. Anything
the queue loses (a worker killed mid-task) is found again by `resume_unfinished`, which
runs when a worker starts and every minute after.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy import select

from hotline import intake
from hotline.errors import TransientError
from hotline.schema import Voicemail, VoicemailState, utcnow
from hotline.services import Hotline

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)  # an unfinished voicemail untouched this long is re-queued


def make_huey(url: str) -> Huey:
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey("hotline", url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("hotline", filename=str(path), results=False)
    raise ValueError(f"queue.url must be sqlite:///PATH or redis://HOST:PORT/DB, not {url!r}")


class TaskQueue:
    """The hotline's tasks on one huey instance; `enqueue` is what the webhook calls."""

    def __init__(self, hotline: Hotline):
        self.hotline = hotline
        self.huey = make_huey(hotline.settings.queue_url)
        self._process = self.huey.task(name="process_voicemail")(self._process_voicemail)
        self.huey.periodic_task(crontab(minute="*"), name="resume_unfinished")(self.resume_unfinished)

    def enqueue(self, voicemail_id: int, delay: float | None = None) -> None:
        if delay:
            self._process.schedule(args=(voicemail_id,), delay=delay)
        else:
            self._process(voicemail_id)

    def _process_voicemail(self, voicemail_id: int) -> None:
        pipeline = self.hotline.pipeline
        try:
            state = pipeline.run(voicemail_id)
        except TransientError as err:
            delay = pipeline.retry_delay(voicemail_id)
            log.info("voicemail %s: %s; trying again in %.1f s", voicemail_id, err, delay)
            self.enqueue(voicemail_id, delay=delay)
            return
        log.info("voicemail %s finished: %s", voicemail_id, state)

    def resume_unfinished(self, *, everything: bool = False) -> int:
        """Queue every voicemail that is not finished (and the journal's callbacks, if the
        database is back). `everything`: at start-up, also the ones touched just now."""
        intake.replay_journal(self.hotline, self)
        cutoff = utcnow() - STALE_AFTER
        with self.hotline.db.session() as s:
            query = select(Voicemail.id).where(Voicemail.state.not_in(VoicemailState.FINAL))
            if not everything:
                query = query.where(Voicemail.updated_at < cutoff)
            ids = list(s.scalars(query.order_by(Voicemail.id)))
        for voicemail_id in ids:
            self.enqueue(voicemail_id)
        if ids:
            log.info("re-queued %d unfinished voicemail(s)", len(ids))
        return len(ids)

    def consumer(self, workers: int | None = None, embedded: bool = False) -> Consumer:
        consumer_class = EmbeddedConsumer if embedded else Consumer
        return consumer_class(
            self.huey, workers=workers or self.hotline.settings.queue_workers, worker_type="thread", periodic=True
        )


class EmbeddedConsumer(Consumer):
    """Workers inside `hotline serve`: the web server owns the process's signals."""

    def _set_signal_handlers(self) -> None:
        pass
