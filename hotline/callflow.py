"""What the caller hears: TwiML in Mandarin, slow and clear; texts and voice from config.yaml.

One function per step; each answer is a whole TwiML document, and every Gather is
followed by what happens when no key is pressed, so no path ends in dead air:

  /twilio/voice     greeting (emergencies: 119/120/110 first) and the menu
  /twilio/menu      1 -> record; 2 -> the state of the last request; 0 -> the menu again;
                    no key -> the menu once more, then record anyway
  /twilio/recorded  the recording ended: 1 keep, 2 record again; no key or hanging up keeps it
  /twilio/confirm   the answer to that question

State travels in the URLs Twilio calls back (signed by Twilio, so trusted): `silent`
(menus heard without a key), `attempt` (which recording of the call), `sid` (the recording
being confirmed) and `replaces` (the recordings a new one replaces).

Re-recording: every completed recording reaches intake through its status callback. A
recording made after "2" carries in its callback URL the ones it replaces; intake marks
those superseded when the new one is completed (a silent re-recording keeps the old one).
Intake holds each message until the caller answers "keep (1) or record again (2)", or at
most `rerecord_window_seconds` (a caller who hangs up keeps it), so a replaced message never
becomes a ticket; "2" supersedes the old recording at once.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from twilio.twiml.voice_response import VoiceResponse

from hotline.config import CallflowSettings
from hotline.schema import TicketStatus

KEEP, AGAIN, RECORD, STATUS, MENU = "1", "2", "1", "2", "0"
HANGUP = "hangup"  # Digits on the Record action when the caller hung up
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
PROMPTS = (
    "greeting", "menu", "invalid", "record", "confirm", "saved", "no_message", "kept_previous",
    "status_unknown_caller", "status_none", "status_unavailable", "status_new", "status_assigned",
    "status_in_progress", "status_resolved", "after_status", "goodbye",
)
STATUS_PROMPT = {
    TicketStatus.NEW: "status_new",
    TicketStatus.ASSIGNED: "status_assigned",
    TicketStatus.IN_PROGRESS: "status_in_progress",
    TicketStatus.RESOLVED: "status_resolved",
    TicketStatus.CLOSED: "status_resolved",
}


@dataclass(frozen=True)
class LastRequest:
    """The caller's latest ticket, as the status line speaks it."""

    status: str
    created_at: datetime


@dataclass(frozen=True)
class Flow:
    """One call's step: the settings, and the public base URL the webhooks live under."""

    settings: CallflowSettings
    base_url: str  # e.g. https://hotline.example.cn/twilio
    timezone: str = "Asia/Shanghai"

    def url(self, step: str, **query) -> str:
        """An absolute URL for Twilio to call next; empty values are left out."""
        params = {k: v for k, v in query.items() if v not in (None, "", ())}
        return f"{self.base_url}/{step}" + (f"?{urlencode(params)}" if params else "")

    def say(self, parent, name: str, **values) -> None:
        """A prompt, sentence by sentence, slowly, with a breath between sentences."""
        text = self.settings.prompts[name].format(minutes=self.settings.max_length_seconds // 60, **values)
        prosody = parent.say(language=self.settings.language, voice=self.settings.voice).prosody(
            rate=self.settings.speech_rate
        )
        for i, sentence in enumerate(s.strip() for s in SENTENCE.findall(text) if s.strip()):
            if i:
                prosody.break_(time=f"{self.settings.sentence_pause_ms}ms")
            prosody.s(sentence)

    def gather(self, response: VoiceResponse, action: str):
        return response.gather(
            input="dtmf", num_digits=1, timeout=self.settings.gather_timeout_seconds, action=action, method="POST"
        )


def welcome(flow: Flow) -> str:
    """The first answer: what the line is for, emergencies first, then the menu."""
    response = VoiceResponse()
    gather = flow.gather(response, flow.url("menu"))
    flow.say(gather, "greeting")
    flow.say(gather, "menu")
    response.redirect(flow.url("menu", silent=1), method="POST")
    return str(response)


def menu(flow: Flow, *, digits: str | None, silent: int, caller: str | None) -> str:
    """Every key of the menu but STATUS (which needs the database: see `status_report`).

    `silent`: how many times the menu went unanswered; '#' alone (empty digits) is silence."""
    if not digits:
        silent = max(silent, 1)
    if digits == RECORD or (not digits and silent >= 2):
        return record(flow, attempt=1, caller=caller)
    response = VoiceResponse()
    if digits and digits != MENU:
        flow.say(response, "invalid")
    gather = flow.gather(response, flow.url("menu"))
    flow.say(gather, "menu")
    response.redirect(flow.url("menu", silent=silent + 1 if not digits else 1), method="POST")
    return str(response)


def status_report(flow: Flow, *, caller: str | None, last: LastRequest | None, available: bool) -> str:
    """The state of the caller's last request, then: 1 to leave a message, 0 for the menu."""
    response = VoiceResponse()
    if not caller:
        flow.say(response, "status_unknown_caller")
    elif not available:
        flow.say(response, "status_unavailable")
    elif last is None:
        flow.say(response, "status_none")
    else:
        day = last.created_at.astimezone(ZoneInfo(flow.timezone))
        flow.say(response, STATUS_PROMPT.get(last.status, "status_new"), date=f"{day.month}月{day.day}日")
    gather = flow.gather(response, flow.url("menu"))
    flow.say(gather, "after_status")
    flow.say(response, "goodbye")
    response.hangup()
    return str(response)


def record(flow: Flow, *, attempt: int, caller: str | None, replaces: Iterable[str] = ()) -> str:
    """The beep and the recording. Twilio skips the action when nothing was recorded and
    goes on to the verbs after <Record>: the no-message goodbye."""
    replaces = ",".join(replaces)
    response = VoiceResponse()
    flow.say(response, "record")
    response.record(
        action=flow.url("recorded", attempt=attempt, replaces=replaces),
        method="POST",
        timeout=flow.settings.silence_timeout_seconds,
        finish_on_key="#",
        max_length=flow.settings.max_length_seconds,
        play_beep=True,
        recording_status_callback=flow.url("recording-status", From=caller, attempt=attempt, replaces=replaces),
        recording_status_callback_event="completed absent",
        recording_status_callback_method="POST",
    )
    flow.say(response, "kept_previous" if replaces else "no_message")
    response.hangup()
    return str(response)


def recorded(flow: Flow, *, digits: str | None, recording_sid: str | None, attempt: int, replaces: tuple[str, ...]) -> str:
    """The recording ended: ask whether to keep it, unless the caller is gone or out of attempts."""
    response = VoiceResponse()
    if digits == HANGUP:
        return str(response)  # the call is over; Twilio reads nothing more
    if not recording_sid or attempt >= flow.settings.max_attempts:
        return saved(flow)
    _ask_to_keep(flow, response, recording_sid=recording_sid, attempt=attempt, replaces=replaces, tries=0)
    return str(response)


def confirm(
    flow: Flow,
    *,
    digits: str | None,
    recording_sid: str | None,
    attempt: int,
    replaces: tuple[str, ...],
    tries: int,
    caller: str | None,
) -> str:
    """1 or no key: kept. 2: record again. Another key: asked once more, then kept."""
    if digits == AGAIN and recording_sid and attempt < flow.settings.max_attempts:
        return record(flow, attempt=attempt + 1, caller=caller, replaces=(*replaces, recording_sid))
    if not digits or digits == KEEP or tries >= 1 or not recording_sid:
        return saved(flow)
    response = VoiceResponse()
    flow.say(response, "invalid")
    _ask_to_keep(flow, response, recording_sid=recording_sid, attempt=attempt, replaces=replaces, tries=tries + 1)
    return str(response)


def saved(flow: Flow) -> str:
    response = VoiceResponse()
    flow.say(response, "saved")
    response.hangup()
    return str(response)


def _ask_to_keep(
    flow: Flow, response: VoiceResponse, *, recording_sid: str, attempt: int, replaces: tuple[str, ...], tries: int
) -> None:
    action = flow.url("confirm", sid=recording_sid, attempt=attempt, replaces=",".join(replaces), tries=tries or None)
    flow.say(flow.gather(response, action), "confirm")
    flow.say(response, "saved")
    response.hangup()
