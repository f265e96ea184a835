"""Recording callbacks: kept once per RecordingSid, journaled while the database is away,
replayed when it returns, and nothing lost on the way."""
from __future__ import annotations

import json
import logging
import os

import pytest
from sqlalchemy import select

from hotline import intake, schema
from hotline.logs import MaskPhonesFilter
from hotline.schema import VoicemailState
from tests.intake.fake_twilio import ACCOUNT_SID
from tests.intake.phone import PUBLIC_URL, RESIDENT, new_sid, signed_headers

STATUS_URL = PUBLIC_URL + "/twilio/recording-status?From=%2B8619900000002&attempt=3"


def post_callback(client, fake_twilio, sid=None, url=STATUS_URL, **fields):
    sid = sid or new_sid("RE")
    form = {
        "AccountSid": ACCOUNT_SID, "CallSid": new_sid("CA"), "RecordingSid": sid, "RecordingStatus": "completed",
        "RecordingUrl": fake_twilio.recording_url(sid), "RecordingDuration": "9", **fields,
    }
    form = {k: v for k, v in form.items() if v is not None}
    response = client.post(url[len(PUBLIC_URL):], data=form, headers=signed_headers(url, form))
    return sid, response


def rows(hotline) -> dict[str, schema.Voicemail]:
    with hotline.db.session() as s:
        return {v.recording_sid: v for v in s.scalars(select(schema.Voicemail))}


def make_database_unavailable(hotline):
    """Put a directory where the SQLite file was: every new connection fails."""
    path = hotline.db.engine.url.database
    os.rename(path, path + ".away")
    os.mkdir(path)
    hotline.db.engine.dispose()

    def restore():
        os.rmdir(path)
        os.rename(path + ".away", path)
        hotline.db.engine.dispose()

    return restore


def test_a_completed_recording_is_stored_with_the_caller_from_the_signed_url(client, hotline, queue, fake_twilio):
    sid, response = post_callback(client, fake_twilio)
    assert response.json() == {"result": "stored"}
    row = rows(hotline)[sid]
    assert row.caller == RESIDENT and row.state == VoicemailState.RECEIVED and row.duration_seconds == 9
    assert queue.queued == [(row.id, None)]  # the last allowed attempt: no re-recording can come


def test_duplicate_and_replayed_callbacks_change_nothing(client, hotline, queue, fake_twilio):
    sid, first = post_callback(client, fake_twilio)
    _, again = post_callback(client, fake_twilio, sid=sid)
    _, absent_later = post_callback(client, fake_twilio, sid=sid, RecordingStatus="absent", RecordingUrl=None)
    assert first.json()["result"] == "stored"
    assert again.json()["result"] == absent_later.json()["result"] == "duplicate"
    assert len(rows(hotline)) == 1 and len(queue.queued) == 1


def test_an_absent_recording_is_kept_to_call_the_resident_back(client, hotline, queue, fake_twilio):
    sid, response = post_callback(client, fake_twilio, RecordingStatus="absent", RecordingUrl=None)
    assert response.json()["result"] == "stored"
    assert rows(hotline)[sid].recording_status == "absent" and len(queue.queued) == 1


def test_an_in_progress_status_is_answered_and_ignored(client, hotline, fake_twilio):
    _, response = post_callback(client, fake_twilio, RecordingStatus="in-progress", RecordingUrl=None)
    assert response.status_code == 200 and response.json()["result"] == "ignored"
    assert rows(hotline) == {}


@pytest.mark.parametrize(
    "fields",
    [
        {"RecordingSid": "RE123"},
        {"CallSid": "not-a-call"},
        {"AccountSid": "AC" + "2" * 32},
        {"RecordingStatus": "exploded"},
        {"RecordingUrl": None},
        {"RecordingUrl": "file:///etc/passwd"},
        {"RecordingDuration": "nine"},
        {"RecordingDuration": "-1"},
    ],
)
def test_a_signed_but_malformed_callback_is_a_400_and_nothing_stored(client, hotline, queue, fake_twilio, fields):
    _, response = post_callback(client, fake_twilio, **fields)
    assert response.status_code == 400
    assert rows(hotline) == {} and queue.queued == []


def test_while_the_database_is_down_callbacks_are_journaled_then_replayed(client, app, hotline, queue, fake_twilio):
    restore = make_database_unavailable(hotline)
    sent = [post_callback(client, fake_twilio) for _ in range(5)]
    assert all(r.status_code == 200 and r.json()["result"] == "journaled" for _, r in sent)
    journal = hotline.settings.journal_path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["recording_sid"] for line in journal] == [sid for sid, _ in sent]

    restore()
    app.state.intake.clock = lambda: float("inf")  # past the outage pause: the next callback probes the database
    latest, response = post_callback(client, fake_twilio)
    assert response.json()["result"] == "stored"  # and, once answered, the journal is replayed
    assert set(rows(hotline)) == {sid for sid, _ in sent} | {latest}
    assert len(queue.queued) == 6
    assert hotline.settings.journal_path.read_text() == ""


def test_after_a_database_error_callbacks_skip_it_for_a_moment(client, app, hotline, fake_twilio, monkeypatch):
    now = [100.0]
    app.state.intake.clock = lambda: now[0]
    restore = make_database_unavailable(hotline)
    post_callback(client, fake_twilio)
    restore()
    _, response = post_callback(client, fake_twilio)
    assert response.json()["result"] == "journaled"  # the database is not asked during the pause
    now[0] += intake.OUTAGE_PROBE_SECONDS + 0.1
    _, response = post_callback(client, fake_twilio)
    assert response.json()["result"] == "stored"
    assert len(rows(hotline)) == 3


def test_when_neither_database_nor_journal_can_keep_it_twilio_is_told(client, hotline, fake_twilio, monkeypatch):
    restore = make_database_unavailable(hotline)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(intake, "append_to_journal", disk_full)
    _, response = post_callback(client, fake_twilio)
    restore()
    assert response.status_code == 503


def test_the_worker_replays_the_journal_and_keeps_what_it_cannot_read(hotline, queue):
    kept = intake.RecordingCallback(new_sid("RE"), None, RESIDENT, "absent", None, None)
    path = hotline.settings.journal_path
    path.write_text(kept.to_journal() + '{"recording_sid": "RE' + "\n", encoding="utf-8")  # a torn last line

    assert intake.replay_journal(hotline, queue) == 1
    assert kept.recording_sid in rows(hotline) and len(queue.queued) == 1
    assert path.read_text() == ""
    assert path.with_name(path.name + ".rejected").read_text().startswith('{"recording_sid": "RE')
    assert intake.replay_journal(hotline, queue) == 0  # replaying again changes nothing


def test_a_re_recording_that_arrives_before_the_one_it_replaces(client, hotline, queue, fake_twilio):
    first = new_sid("RE")
    url = PUBLIC_URL + f"/twilio/recording-status?From=%2B8619900000002&attempt=2&replaces={first}"
    second, _ = post_callback(client, fake_twilio, url=url)
    _, late = post_callback(client, fake_twilio, sid=first)
    assert late.json()["result"] == "duplicate"
    found = rows(hotline)
    assert found[first].state == VoicemailState.FAILED and found[second].state == VoicemailState.RECEIVED
    assert queue.ids == [found[second].id]


def test_the_intake_masks_caller_numbers_in_its_own_logs(client, phone, fake_twilio, caplog):
    with caplog.at_level(logging.INFO, logger="hotline"):
        post_callback(client, fake_twilio)
        phone.call().press("2")
        make_database_unavailable(phone.client.app.state.hotline)
        phone.call().press("2")
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("hotline"))
    assert "stored" in ours and "+86199****0002" in ours and "status lookup" in ours
    assert "19900000002" not in ours


def test_masking_covers_numbers_in_urls_and_form_values():
    record = logging.LogRecord("x", logging.INFO, "", 0, "POST /twilio/x?From=%%2B8619900000002 %s", ("8619900000002",), None)
    MaskPhonesFilter().filter(record)
    assert "19900000002" not in record.getMessage()
