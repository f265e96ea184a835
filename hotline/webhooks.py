"""Twilio's webhooks: the call flow a resident hears, and the recording callbacks."""
from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from hotline import callflow, intake
from hotline.services import Hotline

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio")
TWIML = "application/xml"


def public_url(hotline: Hotline, request: Request) -> str:
    """The URL Twilio signed: the configured public base (or trusted proxy headers) + path."""
    settings = hotline.settings.twilio
    if settings.trust_forwarded_headers and request.headers.get("x-forwarded-host"):
        proto = request.headers.get("x-forwarded-proto", request.url.scheme)
        base = f"{proto}://{request.headers['x-forwarded-host']}"
    else:
        base = settings.public_url
    query = request.url.query
    return base + request.url.path + (f"?{query}" if query else "")


async def twilio_form(request: Request):
    """The form of a request Twilio signed; anything else is refused with 403, touching nothing."""
    hotline: Hotline = request.app.state.hotline
    form = await request.form()
    url = public_url(hotline, request)
    if not intake.signature_valid(
        hotline.settings.twilio.auth_token, url, form, request.headers.get("x-twilio-signature")
    ):
        log.warning("refused an unsigned or wrongly signed request to %s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return form


@router.post("/voice")
async def voice(request: Request) -> Response:
    hotline: Hotline = request.app.state.hotline
    form = await twilio_form(request)
    twiml = callflow.voicemail_greeting(
        hotline.settings.callflow,
        status_callback=hotline.settings.twilio.public_url + "/twilio/recording-status",
        caller=form.get("From"),
    )
    return Response(twiml, media_type=TWIML)


@router.post("/recording-status")
async def recording_status(request: Request) -> Response:
    hotline: Hotline = request.app.state.hotline
    form = await twilio_form(request)
    try:
        callback = intake.parse_callback(
            form, request.query_params.get("From") or form.get("From"), hotline.settings.twilio.account_sid
        )
    except intake.BadCallback as err:
        raise HTTPException(status_code=400, detail=str(err)) from None
    outcome = await run_in_threadpool(intake.accept, hotline, request.app.state.queue, callback)
    return Response(f'{{"result": "{outcome}"}}', media_type="application/json")
