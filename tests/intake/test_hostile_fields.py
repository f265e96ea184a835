"""Malformed and hostile fields at every webhook: never a 500, never a row from an unsigned request."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from hotline import schema
from tests.intake.phone import PUBLIC_URL, check_twiml, signed_headers

PATHS = ["/twilio/voice", "/twilio/menu", "/twilio/recorded", "/twilio/confirm", "/twilio/recording-status"]
FIELDS = [
    "From", "To", "CallSid", "AccountSid", "Digits", "RecordingSid", "RecordingUrl", "RecordingStatus",
    "RecordingDuration", "CallStatus", "Evil",
]
QUERY = ["From", "attempt", "replaces", "silent", "tries", "sid"]
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from([
        "", "1", "2", "0", "#", "hangup", "RE" + "a" * 32, "RE" + "a" * 32 + ",RE" + "b" * 32, "completed",
        "absent", "-1", "1e309", "NaN", "999999", "<Say>嘿</Say>", "]]>&amp;", "\x00", "%00", "../../etc/passwd",
        "file:///etc/passwd", "²", "١٢", "3\n", "http://127.0.0.1:1/x", "+8619900000002", "x" * 3000, "𠀀" * 10,
    ]),
)
FORMS = st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=8)
QUERIES = st.dictionaries(st.sampled_from(QUERY), HOSTILE, max_size=4)
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def rows(hotline) -> int:
    with hotline.db.session() as s:
        return s.scalar(select(func.count()).select_from(schema.Voicemail))


@SLOW
@given(path=st.sampled_from(PATHS), form=FORMS, query=QUERIES)
def test_signed_hostile_fields_never_break_a_webhook(client, path, form, query):
    url = PUBLIC_URL + path + (f"?{urlencode(query)}" if query else "")
    response = client.post(url[len(PUBLIC_URL):], data=form, headers=signed_headers(url, form))
    assert response.status_code in (200, 400, 413), response.text
    if response.status_code == 200 and path != "/twilio/recording-status":
        if len(ET.fromstring(response.text)):  # empty only when Twilio said the caller hung up
            check_twiml(response.text)


@SLOW
@given(path=st.sampled_from(PATHS), form=FORMS, signature=st.one_of(st.none(), st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=40)))
def test_unsigned_hostile_requests_are_refused_and_store_nothing(client, hotline, queue, path, form, signature):
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    response = client.post(path, data=form, headers=headers)
    assert response.status_code in (403, 413)
    assert rows(hotline) == 0 and queue.queued == [] and not hotline.settings.journal_path.exists()


@SLOW
@given(body=st.binary(max_size=300), content_type=st.sampled_from(
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""]))
def test_raw_garbage_bodies_are_refused(client, hotline, body, content_type):
    response = client.post("/twilio/recording-status", content=body,
                           headers={"Content-Type": content_type, "X-Twilio-Signature": "AAAA"})
    assert response.status_code in (400, 403)
    assert rows(hotline) == 0
