"""Only requests Twilio signed get anywhere: 403 and no side effect for anything else."""
from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from hotline import schema
from hotline.web import create_app
from tests.intake.fake_twilio import ACCOUNT_SID
from tests.intake.phone import PUBLIC_URL, new_sid, signed_headers

WEBHOOKS = ["/twilio/voice", "/twilio/menu", "/twilio/recorded", "/twilio/confirm", "/twilio/recording-status"]


def callback(fake_twilio, sid=None) -> dict:
    sid = sid or new_sid("RE")
    return {
        "AccountSid": ACCOUNT_SID, "CallSid": new_sid("CA"), "RecordingSid": sid, "RecordingStatus": "completed",
        "RecordingUrl": fake_twilio.recording_url(sid), "RecordingDuration": "9",
    }


def count(hotline) -> int:
    with hotline.db.session() as s:
        return s.scalar(select(func.count()).select_from(schema.Voicemail))


def assert_untouched(hotline, queue):
    assert count(hotline) == 0 and queue.queued == []
    assert not hotline.settings.journal_path.exists()


@pytest.mark.parametrize("path", WEBHOOKS)
def test_unsigned_requests_are_refused(client, hotline, queue, fake_twilio, path):
    response = client.post(path, data=callback(fake_twilio))
    assert response.status_code == 403
    assert_untouched(hotline, queue)


@pytest.mark.parametrize("path", WEBHOOKS)
def test_a_wrong_signature_is_refused(client, hotline, queue, fake_twilio, path):
    form = callback(fake_twilio)
    response = client.post(path, data=form, headers=signed_headers(PUBLIC_URL + path, form, token="another-token"))
    assert response.status_code == 403
    assert_untouched(hotline, queue)


def test_a_signature_for_other_fields_or_another_url_is_refused(client, hotline, queue, fake_twilio):
    form = callback(fake_twilio)
    url = PUBLIC_URL + "/twilio/recording-status?From=%2B8619900000002"
    headers = signed_headers(url, form)
    tampered = {**form, "RecordingUrl": "https://evil.example/steal"}
    assert client.post("/twilio/recording-status?From=%2B8619900000002", data=tampered, headers=headers).status_code == 403
    assert client.post("/twilio/recording-status?From=%2B8613800000000", data=form, headers=headers).status_code == 403
    assert_untouched(hotline, queue)


def test_no_auth_token_configured_trusts_nothing(settings, hotline, queue, fake_twilio):
    hotline.settings = hotline.settings.with_overrides(twilio=dataclasses.replace(hotline.settings.twilio, auth_token=""))
    form = callback(fake_twilio)
    with TestClient(create_app(hotline, queue)) as client:
        response = client.post("/twilio/recording-status", data=form,
                               headers=signed_headers(PUBLIC_URL + "/twilio/recording-status", form, token=""))
    assert response.status_code == 403
    assert_untouched(hotline, queue)


def test_not_a_form_or_too_large_is_refused(client, hotline, queue, fake_twilio):
    form = callback(fake_twilio)
    headers = signed_headers(PUBLIC_URL + "/twilio/recording-status", form)
    assert client.post("/twilio/recording-status", json=form, headers=headers).status_code == 403
    big = {**form, "Padding": "x" * 70_000}
    headers = signed_headers(PUBLIC_URL + "/twilio/recording-status", big)
    assert client.post("/twilio/recording-status", data=big, headers=headers).status_code == 413
    assert_untouched(hotline, queue)


def test_behind_a_trusted_proxy_the_forwarded_url_is_the_signed_one(hotline, queue, fake_twilio):
    form = callback(fake_twilio)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "rexian.xilamulun.gov.cn"}
    headers = {**forwarded, **signed_headers("https://rexian.xilamulun.gov.cn/twilio/recording-status", form)}

    with TestClient(create_app(hotline, queue)) as client:  # not trusted: the headers are ignored
        assert client.post("/twilio/recording-status", data=form, headers=headers).status_code == 403

    hotline.settings = hotline.settings.with_overrides(
        twilio=dataclasses.replace(hotline.settings.twilio, trust_forwarded_headers=True)
    )
    with TestClient(create_app(hotline, queue)) as client:
        response = client.post("/twilio/recording-status", data=form, headers=headers)
        assert response.status_code == 200 and response.json() == {"result": "stored"}
        # the next steps of the call are given on the host Twilio called
        voice = {"CallSid": new_sid("CA"), "From": "+8619900000002", "AccountSid": ACCOUNT_SID}
        url = "https://rexian.xilamulun.gov.cn/twilio/voice"
        twiml = client.post("/twilio/voice", data=voice, headers={**forwarded, **signed_headers(url, voice)}).text
        assert 'action="https://rexian.xilamulun.gov.cn/twilio/menu"' in twiml


def test_a_port_in_the_public_url_is_tolerated_as_twilio_signs_it(client, hotline, fake_twilio):
    form = callback(fake_twilio)
    headers = signed_headers("https://hotline.example.cn:443/twilio/recording-status", form)
    assert client.post("/twilio/recording-status", data=form, headers=headers).status_code == 200
    assert count(hotline) == 1
