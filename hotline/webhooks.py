"""Twilio's webhooks: the call flow a resident hears, and the recording callbacks.

Every route first checks Twilio's signature over the public URL and the form, and refuses
anything else with 403 before touching the database, the journal or the disk.
"""
from __future__ import annotations

import json
import logging
from datetime import timezone
from urllib.parse import parse_qsl

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request, Response
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict

from hotline import callflow, intake, schema
from hotline.config import TwilioSettings
from hotline.logs import mask_phone
from hotline.services import Hotline

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio")
TWIML = "application/xml"
FORM = "application/x-www-form-urlencoded"
MAX_BODY = 64 * 1024  # Twilio's forms are a few hundred bytes
MAX_FIELDS = 200


def public_base(settings: TwilioSettings, request: Request) -> str:
    """The scheme and host Twilio called: the configured public URL, or, behind a proxy
    trusted to set them, the first X-Forwarded-Proto/Host."""
    host = request.headers.get("x-forwarded-host", "").split(",")[0].strip()
    if settings.trust_forwarded_headers and host:
        proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip() or request.url.scheme
        return f"{proto}://{host}"
    return settings.public_url


def public_url(settings: TwilioSettings, request: Request) -> str:
    """The URL Twilio signed: public base + path + the query exactly as sent."""
    query = request.url.query
    return public_base(settings, request) + request.url.path + (f"?{query}" if query else "")


async def twilio_form(request: Request) -> ImmutableMultiDict:
    """The form of a request Twilio signed; anything else is refused, touching nothing."""
    settings = request.app.state.hotline.settings.twilio
    signature = request.headers.get("x-twilio-signature")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not signature or content_type not in (FORM, ""):  # "": an empty form
        raise HTTPException(status_code=403, detail="not a signed Twilio request")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(status_code=413, detail="request too large")
    try:
        form = ImmutableMultiDict(
            parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
        )
    except ValueError:  # not UTF-8, or too many fields
        raise HTTPException(status_code=400, detail="malformed form") from None
    if not intake.signature_valid(settings.auth_token, public_url(settings, request), form, signature):
        log.warning("refused an unsigned or wrongly signed request to %s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return form


def _flow(request: Request) -> callflow.Flow:
    hotline: Hotline = request.app.state.hotline
    base = public_base(hotline.settings.twilio, request) + router.prefix
    return callflow.Flow(hotline.settings.callflow, base, timezone=hotline.settings.timezone)


def _twiml(document: str) -> Response:
    return Response(document, media_type=TWIML)


def _recording(request: Request, sid: str | None) -> dict:
    """The recording state carried in the signed URL; anything malformed is left out."""
    max_attempts = request.app.state.hotline.settings.callflow.max_attempts
    sid = intake.clean_text(sid)
    return {
        "recording_sid": sid if intake.RECORDING_SID.match(sid) else None,
        "attempt": intake.parse_attempt(request.query_params.get("attempt"), limit=max_attempts),
        "replaces": intake.parse_replaces(request.query_params.get("replaces"), limit=max_attempts),
    }


@router.post("/voice")
async def voice(request: Request) -> Response:
    form = await twilio_form(request)
    log.info("call %s from %s", intake.clean_text(form.get("CallSid"))[:40], mask_phone(form.get("From")))
    return _twiml(callflow.welcome(_flow(request)))


@router.post("/menu")
async def menu(request: Request) -> Response:
    form = await twilio_form(request)
    hotline: Hotline = request.app.state.hotline
    digits = intake.clean_text(form.get("Digits"))
    caller = intake.clean_caller(form.get("From"))
    if digits == callflow.STATUS:
        last, available = await run_in_threadpool(last_request, hotline, caller)
        return _twiml(callflow.status_report(_flow(request), caller=caller, last=last, available=available))
    silent = intake.small_int(request.query_params.get("silent"))
    return _twiml(callflow.menu(_flow(request), digits=digits, silent=silent, caller=caller))


@router.post("/recorded")
async def recorded(request: Request) -> Response:
    form = await twilio_form(request)
    digits = intake.clean_text(form.get("Digits"))
    return _twiml(callflow.recorded(_flow(request), digits=digits, **_recording(request, form.get("RecordingSid"))))


@router.post("/confirm")
async def confirm(request: Request) -> Response:
    form = await twilio_form(request)
    digits = intake.clean_text(form.get("Digits"))
    recording = _recording(request, request.query_params.get("sid"))
    answer = callflow.confirm(
        _flow(request),
        digits=digits,
        tries=intake.small_int(request.query_params.get("tries")),
        caller=intake.clean_caller(form.get("From")),
        **recording,
    )
    if recording["recording_sid"] and digits in (callflow.KEEP, callflow.AGAIN):
        receiver: intake.Intake = request.app.state.intake
        await run_in_threadpool(receiver.caller_decided, recording["recording_sid"], keep=digits == callflow.KEEP)
    return _twiml(answer)


@router.post("/recording-status")
async def recording_status(request: Request, background: BackgroundTasks) -> Response:
    """The recording itself: on disk (database or journal) before Twilio gets its answer."""
    form = await twilio_form(request)
    hotline: Hotline = request.app.state.hotline
    try:
        callback = intake.parse_callback(
            form, request.query_params, account_sid=hotline.settings.twilio.account_sid,
            max_attempts=hotline.settings.callflow.max_attempts,
        )
    except intake.BadCallback as err:
        log.warning("refused a recording callback: %s", err)
        raise HTTPException(status_code=400, detail=str(err)) from None
    if callback is None:
        return Response(json.dumps({"result": "ignored"}), media_type="application/json")
    receiver: intake.Intake = request.app.state.intake
    try:
        outcome = await run_in_threadpool(receiver.accept, callback)
    except OSError as err:  # neither the database nor the journal could keep it: let Twilio know
        log.critical("recording %s NOT kept: %s", callback.recording_sid, err)
        raise HTTPException(status_code=503, detail="cannot store the recording now") from None
    background.add_task(receiver.after_accept, callback, outcome)
    return Response(json.dumps({"result": outcome}), media_type="application/json")


def last_request(hotline: Hotline, caller: str | None) -> tuple[callflow.LastRequest | None, bool]:
    """The caller's latest ticket and whether the database answered at all."""
    if not caller:
        return None, True
    try:
        with hotline.db.session() as s:
            ticket = s.scalars(
                select(schema.Ticket)
                .where(schema.Ticket.caller == caller)
                .order_by(schema.Ticket.created_at.desc(), schema.Ticket.id.desc())
                .limit(1)
            ).first()
            if ticket is None:
                return None, True
            created = ticket.created_at
            if created.tzinfo is None:  # SQLite keeps no zone; the column is always UTC
                created = created.replace(tzinfo=timezone.utc)
            return callflow.LastRequest(ticket.status, created), True
    except SQLAlchemyError as err:
        log.error("status lookup for %s failed: %s", mask_phone(caller), err.__class__.__name__)
        return None, False
