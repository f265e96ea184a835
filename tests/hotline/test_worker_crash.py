"""A worker killed with SIGKILL in the middle of a voicemail loses nothing: after a restart
every voicemail ends as exactly one ticket. Real `hotline worker` processes, real Whisper."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from hotline import schema, store
from hotline.queue import TaskQueue
from hotline.services import Hotline
from hotline.config import load_settings

from tests.conftest import REPO, write_config

SAMPLES = ["v03.wav", "v33.wav", "v45.wav", "v58.wav"]


def states(h: Hotline) -> list[str]:
    with h.db.session() as s:
        return list(s.scalars(select(schema.Voicemail.state).order_by(schema.Voicemail.id)))


def start_worker(config: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "--config", config, "worker", "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
    )


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def run_kill_and_restart(tmp_path, config: str) -> Hotline:
    h = Hotline(load_settings(config, env={}))
    h.db.upgrade()
    queue = TaskQueue(h)
    for name in SAMPLES:
        data = (REPO / "samples" / name).read_bytes()
        with h.db.session() as s:
            row, _ = store.add_voicemail(
                s, recording_sid=store.file_recording_sid(data), call_sid=None, caller=None,
                recording_status="completed", recording_url=None, duration_seconds=None,
                source="file", audio_path=str(REPO / "samples" / name),
            )
            voicemail_id = row.id
        queue.enqueue(voicemail_id)

    log = open(tmp_path / "worker.log", "ab")
    worker = start_worker(config, log)
    try:
        # kill it while it is in the middle: something has moved on, not everything is done
        wait_for(
            lambda: any(st != schema.VoicemailState.STORED for st in states(h))
            and states(h).count(schema.VoicemailState.ROUTED) < len(SAMPLES),
            120, "the worker to start on the voicemails",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        assert states(h).count(schema.VoicemailState.ROUTED) < len(SAMPLES)

        worker = start_worker(config, log)
        wait_for(lambda: states(h) == [schema.VoicemailState.ROUTED] * len(SAMPLES), 180,
                 f"every voicemail to be routed (see {tmp_path / 'worker.log'})")
    finally:
        worker.kill()
        worker.wait(10)
    return h


def assert_one_ticket_each(h: Hotline) -> None:
    with h.db.session() as s:
        assert s.scalar(select(func.count()).select_from(schema.Ticket)) == len(SAMPLES)
        assert s.scalar(select(func.count()).select_from(schema.OutboxMessage)) == len(SAMPLES)
        assert s.scalar(select(func.count(func.distinct(schema.Ticket.voicemail_id)))) == len(SAMPLES)


@pytest.mark.slow
def test_a_killed_worker_loses_nothing(tmp_path, config_file):
    h = run_kill_and_restart(tmp_path, str(config_file))
    assert_one_ticket_each(h)
    h.db.dispose()


@pytest.mark.slow
@pytest.mark.redis
def test_a_killed_worker_loses_nothing_with_the_queue_on_redis(tmp_path, trained_model_dir, whisper_models_dir, redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    config = write_config(
        tmp_path, classifier_dir=trained_model_dir, models_dir=whisper_models_dir, queue={"url": redis_url, "workers": 1}
    )
    h = run_kill_and_restart(tmp_path, str(config))
    assert_one_ticket_each(h)
    h.db.dispose()
