"""Every path of the call flow, walked as Twilio would: webhook after webhook, TwiML parsed."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from hotline import callflow, schema
from hotline.config import load_settings
from hotline.schema import TicketStatus, VoicemailState
from tests.conftest import REPO


def voicemails(hotline) -> dict[str, schema.Voicemail]:
    with hotline.db.session() as s:
        return {v.recording_sid: v for v in s.scalars(select(schema.Voicemail))}


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_the_greeting_gives_emergency_numbers_first_then_the_menu(phone):
    call = phone.call()
    gather = call.verb("Gather")
    heard = call.heard
    assert heard.index("幺幺九") < heard.index("留言请按一")
    assert "2分钟" in heard  # how long they may speak
    assert gather.get("timeout") == "6"
    assert call.doc[-1].tag == "Redirect"  # no key: the flow goes on, never silence


def test_press_1_record_and_keep(phone, hotline, queue):
    call = phone.call().press("1")
    record = call.verb("Record")
    assert record.get("finishOnKey") == "#" and record.get("maxLength") == "120" and record.get("playBeep") == "true"
    assert record.get("timeout") == "8"  # silence ends the message too
    assert query(record.get("recordingStatusCallback"))["From"] == call.caller
    assert "嘀声" in call.heard

    sid = call.speak()
    assert "按二" in call.heard  # keep or record again
    call.press("1")
    assert "已经保存" in call.heard and call.hung_up

    stored = voicemails(hotline)[sid]
    assert stored.caller == call.caller and stored.call_sid == call.sid and stored.state == VoicemailState.RECEIVED
    (held_id, held_for), (kept_id, kept_delay) = queue.queued
    assert held_id == kept_id == stored.id
    assert 35 < held_for <= 45  # held while the caller could still replace it...
    assert kept_delay is None  # ...until they press 1: processed at once


def test_no_key_after_recording_keeps_it(phone, hotline):
    call = phone.call().press("1")
    sid = call.speak()
    assert call.verb("Gather") is not None
    assert call.doc[-1].tag == "Hangup" and "已经保存" in call.heard.split("直接挂机")[-1]
    assert sid in voicemails(hotline)


def test_hanging_up_after_recording_keeps_it(phone, hotline):
    call = phone.call().press("1")
    sid = call.speak(finish="hangup")
    assert len(call.doc) == 0  # the call is over: an empty, valid answer
    assert voicemails(hotline)[sid].state == VoicemailState.RECEIVED


def test_press_2_records_again_and_the_first_recording_is_superseded(phone, hotline, fake_twilio):
    call = phone.call().press("1")
    first = call.speak()
    call.press("2")
    assert voicemails(hotline)[first].state == VoicemailState.FAILED  # superseded before it is heard
    record = call.verb("Record")
    assert query(record.get("recordingStatusCallback"))["replaces"] == first
    second = call.speak()
    call.press("1")
    assert call.hung_up

    rows = voicemails(hotline)
    assert rows[first].state == VoicemailState.FAILED and "superseded" in rows[first].last_error
    assert rows[second].state == VoicemailState.RECEIVED
    assert fake_twilio.deleted == [first]  # the replaced voice does not stay with Twilio


def test_a_silent_re_recording_keeps_the_first_one(phone, hotline):
    call = phone.call().press("1")
    first = call.speak()
    call.press("2")
    empty = call.stay_silent()
    assert "保存刚才的留言" in call.heard and call.hung_up

    rows = voicemails(hotline)
    assert rows[first].state == VoicemailState.RECEIVED
    assert rows[empty].state == VoicemailState.FAILED  # no ticket asking to call back


def test_the_last_allowed_recording_is_kept_without_asking(phone, hotline, queue):
    call = phone.call().press("1")
    call.speak()
    call.press("2")
    call.speak()
    call.press("2")
    last = call.speak()
    assert call.hung_up and "已经保存" in call.heard and call.doc.find("Gather") is None
    assert [r.state for r in voicemails(hotline).values()].count(VoicemailState.RECEIVED) == 1
    assert voicemails(hotline)[last].state == VoicemailState.RECEIVED
    assert queue.queued[-1][1] is None  # nothing can replace it: processed at once


def test_another_key_at_the_keep_question_asks_once_more_then_keeps(phone, hotline):
    call = phone.call().press("1")
    call.speak()
    call.press("5")
    assert "没有这个选项" in call.heard and "保存请按一" in call.heard
    call.press("5")
    assert call.hung_up and "已经保存" in call.heard


def test_no_key_repeats_the_menu_once_then_records(phone):
    call = phone.call().wait()
    assert "留言请按一" in call.heard and "幺幺九" not in call.heard
    call.wait()
    assert call.verb("Record") is not None


def test_press_0_repeats_the_menu(phone):
    call = phone.call().press("0")
    assert "留言请按一" in call.heard
    call.press("0").wait().wait()  # the repeat-once rule still applies after 0
    assert call.verb("Record") is not None


@pytest.mark.parametrize("key", ["7", "*"])
def test_another_key_at_the_menu_says_so_and_repeats_it(phone, key):
    call = phone.call().press(key)
    assert "没有这个选项" in call.heard and "留言请按一" in call.heard


def test_hash_alone_is_no_key(phone):
    call = phone.call().press("")  # '#' ends the Gather: Twilio posts empty Digits
    assert "没有这个选项" not in call.heard and "留言请按一" in call.heard
    call.wait()
    assert call.verb("Record") is not None


def test_silence_at_the_beep_ends_politely(phone, hotline):
    call = phone.call().press("1")
    sid = call.stay_silent()
    assert "没有录到您的声音" in call.heard and call.hung_up
    assert voicemails(hotline)[sid].recording_status == "absent"


def _ticket(hotline, *, caller, status, created_at):
    with hotline.db.session() as s:
        vm = schema.Voicemail(recording_sid="RE" + "0" * 31 + status[0], caller=caller, state=VoicemailState.ROUTED)
        s.add(vm)
        s.flush()
        s.add(schema.Ticket(
            id=f"XLML-20261129-{vm.id:04d}", voicemail_id=vm.id, category="water_supply", urgency="normal",
            department="x", status=status, caller=caller, sla_due=created_at, created_at=created_at,
        ))


@pytest.mark.parametrize(
    "status, words",
    [
        (TicketStatus.NEW, "已经收到"),
        (TicketStatus.ASSIGNED, "已经转给您所在网格的网格员"),
        (TicketStatus.IN_PROGRESS, "正在处理"),
        (TicketStatus.RESOLVED, "处理完毕"),
        (TicketStatus.CLOSED, "处理完毕"),
    ],
)
def test_press_2_speaks_the_state_of_the_last_request(phone, hotline, status, words):
    call = phone.call()
    # 2026-11-28 17:00 UTC is 29 November in Shanghai
    _ticket(hotline, caller=call.caller, status=status, created_at=datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc))
    call.press("2")
    assert words in call.heard and "11月29日" in call.heard
    assert "留言请按一" in call.heard  # then: leave a message, or the menu
    assert call.hung_up  # no key after the status: goodbye, not a recording nobody meant


def test_the_status_is_the_latest_request(phone, hotline):
    call = phone.call()
    _ticket(hotline, caller=call.caller, status=TicketStatus.RESOLVED, created_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    _ticket(hotline, caller=call.caller, status=TicketStatus.IN_PROGRESS, created_at=datetime(2026, 3, 1, tzinfo=timezone.utc))
    _ticket(hotline, caller="+8613800000000", status=TicketStatus.NEW, created_at=datetime(2026, 4, 1, tzinfo=timezone.utc))
    assert "3月1日" in call.press("2").heard and "正在处理" in call.heard


def test_status_without_a_request_then_leave_a_message(phone):
    call = phone.call().press("2")
    assert "没有查到" in call.heard
    call.press("1")
    assert call.verb("Record") is not None


def test_status_for_a_withheld_number(phone):
    call = phone.call(caller=None).press("2")
    assert "没有识别到您的电话号码" in call.heard and call.hung_up


def test_status_while_the_database_is_down(phone, hotline, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is down"))

    call = phone.call()
    monkeypatch.setattr(hotline.db, "session", down)
    call.press("2")
    assert "暂时无法查询" in call.heard and call.hung_up


def test_after_the_status_0_returns_to_the_menu(phone):
    call = phone.call().press("2").press("0")
    assert "留言请按一" in call.heard and call.doc[-1].tag == "Redirect"


def test_the_shipped_prompts_are_all_there_and_speakable():
    settings = load_settings(REPO / "config.yaml", env={})
    assert set(callflow.PROMPTS) == set(settings.callflow.prompts)
    flow = callflow.Flow(settings.callflow, "https://x/twilio")
    from twilio.twiml.voice_response import VoiceResponse

    for name in callflow.PROMPTS:
        flow.say(VoiceResponse(), name, date="1月1日")  # every placeholder is known


def test_a_deployment_overrides_one_prompt_and_keeps_the_others(tmp_path):
    config = tmp_path / "config.yaml"
    register = "".join(f"  {name}: {REPO / 'registry' / file}\n" for name, file in
                       [("categories", "categories.yaml"), ("grids", "grids.yaml"), ("residents", "residents.csv")])
    config.write_text(
        f"register:\n{register}callflow:\n  voice: Google.cmn-CN-Standard-A\n  prompts:\n    goodbye: 再见。\n",
        encoding="utf-8",
    )
    settings = load_settings(config, env={})
    assert settings.callflow.voice == "Google.cmn-CN-Standard-A"
    assert settings.callflow.prompts["goodbye"] == "再见。"
    assert "幺幺九" in settings.callflow.prompts["greeting"]
