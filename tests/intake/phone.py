"""Twilio's side of a call: signed webhook after webhook, following the TwiML the hotline answers.

Signatures come from the twilio library's own RequestValidator.compute_signature, over the
public URL Twilio would have called; every answer is parsed with an XML parser and checked
to be TwiML that never leaves the caller in dead air.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

from tests.conftest import TEST_DATA
from tests.intake.fake_twilio import ACCOUNT_SID, AUTH_TOKEN

PUBLIC_URL = "https://hotline.example.cn"
VERBS = {"Say", "Gather", "Redirect", "Record", "Hangup", "Pause"}
RESIDENT = "+8619900000002"  # in the caller registry: 滨悦新城16号楼, grid HG-02
VOICEMAIL = (TEST_DATA / "v33.wav").read_bytes()  # a real phone-line recording (tests/data/README.md)


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def signed_headers(url: str, params: dict, token: str = AUTH_TOKEN) -> dict:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, params)}


def check_twiml(text: str) -> ET.Element:
    """Parse and check an answer: known verbs, Mandarin said slowly, every Gather and Record
    followed by something, and the document ending in a hang-up or another webhook."""
    doc = ET.fromstring(text)
    assert doc.tag == "Response"
    verbs = list(doc)
    assert {v.tag for v in verbs} <= VERBS, [v.tag for v in verbs]
    for say in doc.iter("Say"):
        assert say.get("language") == "cmn-CN" and say.get("voice")
        assert say.find("prosody").get("rate") == "slow"
        assert "".join(say.itertext()).strip()
    for gather in doc.iter("Gather"):
        assert gather.get("input") == "dtmf" and gather.get("numDigits") == "1" and gather.get("timeout")
        assert gather.get("action").startswith(PUBLIC_URL + "/twilio/")
    if verbs:
        assert verbs[-1].tag in ("Hangup", "Redirect"), "the caller would be left in dead air"
        for verb in verbs[:-1]:
            assert verb.tag not in ("Hangup", "Redirect"), "verbs after a Hangup or Redirect are never heard"
    return doc


def spoken(element: ET.Element) -> str:
    return "".join("".join(say.itertext()) for say in element.iter("Say"))


class Phone:
    """Posts signed forms to the hotline's webhooks like Twilio does."""

    def __init__(self, client, fake_twilio, token: str = AUTH_TOKEN):
        self.client = client
        self.fake = fake_twilio
        self.token = token

    def post(self, url: str, params: dict, *, headers: dict | None = None):
        assert url.startswith(PUBLIC_URL), url
        headers = headers if headers is not None else signed_headers(url, params, self.token)
        return self.client.post(url[len(PUBLIC_URL):], data=params, headers=headers)

    def call(self, caller: str | None = RESIDENT) -> "Call":
        return Call(self, caller).start()


class Call:
    """One call, step by step; `doc` is the TwiML the caller is hearing now."""

    def __init__(self, phone: Phone, caller: str | None):
        self.phone = phone
        self.caller = caller or "anonymous"
        self.sid = new_sid("CA")
        self.doc: ET.Element | None = None
        self.recordings: list[str] = []

    def _voice(self, url: str, **params) -> "Call":
        form = {
            "AccountSid": ACCOUNT_SID, "CallSid": self.sid, "From": self.caller, "To": "+8647905221234",
            "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01", **params,
        }
        response = self.phone.post(url, form)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        self.doc = check_twiml(response.text)
        return self

    def start(self) -> "Call":
        return self._voice(PUBLIC_URL + "/twilio/voice", CallStatus="ringing")

    @property
    def heard(self) -> str:
        return spoken(self.doc)

    @property
    def hung_up(self) -> bool:
        return len(self.doc) > 0 and self.doc[-1].tag == "Hangup"

    def verb(self, tag: str) -> ET.Element:
        found = self.doc.find(tag)
        assert found is not None, f"no <{tag}> in {ET.tostring(self.doc, encoding='unicode')}"
        return found

    def press(self, digit: str) -> "Call":
        return self._voice(self.verb("Gather").get("action"), Digits=digit)

    def wait(self) -> "Call":
        """No key: Twilio goes on to the verb after the Gather, here a Redirect."""
        self.verb("Gather")
        redirect = self.verb("Redirect")
        assert redirect.get("method") == "POST"
        return self._voice(redirect.text)

    def speak(self, *, finish: str = "#", audio: bytes | None = None) -> str:
        """Record a message: Twilio posts the status callback and the Record action."""
        record = self.verb("Record")
        sid = new_sid("RE")
        self.recordings.append(sid)
        self.phone.fake.media[sid] = audio or VOICEMAIL
        self.status_callback(record, sid, "completed")
        self._voice(
            record.get("action"), RecordingSid=sid, RecordingUrl=self.phone.fake.recording_url(sid),
            RecordingDuration="9", Digits=finish,
        )
        return sid

    def stay_silent(self) -> str:
        """Nothing recorded: no action request; Twilio plays the verbs after <Record>."""
        record = self.verb("Record")
        sid = new_sid("RE")
        self.status_callback(record, sid, "absent")
        verbs = list(self.doc)
        self.doc = ET.Element("Response")
        self.doc.extend(verbs[verbs.index(record) + 1:])
        return sid

    def status_callback(self, record: ET.Element, sid: str, status: str):
        assert record.get("recordingStatusCallbackMethod") == "POST"
        assert set(record.get("recordingStatusCallbackEvent").split()) == {"completed", "absent"}
        form = {
            "AccountSid": ACCOUNT_SID, "CallSid": self.sid, "RecordingSid": sid, "RecordingStatus": status,
            "RecordingChannels": "1", "RecordingSource": "RecordVerb",
            "RecordingDuration": "9" if status == "completed" else "0",
        }
        if status == "completed":
            form["RecordingUrl"] = self.phone.fake.recording_url(sid)
        response = self.phone.post(record.get("recordingStatusCallback"), form)
        assert response.status_code == 200, response.text
        return response.json()["result"]
