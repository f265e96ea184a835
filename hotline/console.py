"""The console's pages: sign-in, the review queue, the ticket page, the command screen and
the grid worker's list. Routes stay thin: reads in review.py/board.py, writes in
ticket_actions.py, who-may-do-what in auth.py.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from classify import locator, model, urgency
from hotline import auth, board, review, ticket_actions
from hotline.auth import STAFF, CurrentUser, page_user
from hotline.schema import Ticket, TicketStatus, UserRole, utcnow
from hotline.ticket_actions import ActionError

HERE = Path(__file__).resolve().parent
STREAM_POLL_SECONDS = 1.0
STREAM_REFRESH_SECONDS = 30.0  # overdue counts move with the clock even when no ticket does
STREAM_LIFETIME_SECONDS = 300.0  # the browser reconnects; a shutdown never waits longer

STATUS_NAMES = {
    TicketStatus.NEW: "待派单",
    TicketStatus.ASSIGNED: "已派单",
    TicketStatus.IN_PROGRESS: "办理中",
    TicketStatus.RESOLVED: "已办结",
    TicketStatus.CLOSED: "已关闭",
}
EVENT_NAMES = {
    "created": "生成工单",
    "reclassified": "重新分类",
    "transcript_edited": "修改转写",
    "labels_edited": "修改分类",
    "retranscribed": "重新转写",
    "dispatched": "审核派单",
    "accepted": "网格员接单",
    "note": "办理进展",
    "resolved": "办结",
    "acknowledged": "确认紧急工单",
}
FIELD_NAMES = {"category": "类别", "urgency": "紧急程度", "grid_id": "网格"}
METHOD_NAMES = {
    "compound": "小区楼栋",
    "street": "街道门牌",
    "lane": "巷道",
    "landmark": "地标",
    "registry": "来电号码登记",
    "history": "此号码此前工单",
    "operator": "人工指定",
    "none": "未识别",
}
ENGINE_NAMES = {"vosk": "Vosk", "whisper": "Whisper", "operator": "人工"}

router = APIRouter()
staff = page_user(*STAFF)
anyone = page_user(*UserRole.ALL)
grid_worker = page_user(UserRole.GRID_WORKER)
csrf = [Depends(auth.check_csrf)]


def mount(app: FastAPI) -> None:
    """Sessions, templates, static files and the console's routes on the app."""
    hotline = app.state.hotline
    auth.install(app, hotline.settings)
    templates = Jinja2Templates(directory=HERE / "templates")
    tz = hotline.settings.timezone
    templates.env.filters["local"] = lambda moment, fmt="%m-%d %H:%M": review.as_local(moment, tz).strftime(fmt)
    templates.env.filters["review_reason"] = model.review_reason_in_chinese
    templates.env.filters["urgency_evidence"] = urgency.evidence_in_chinese
    templates.env.filters["placement_evidence"] = locator.evidence_in_chinese
    templates.env.globals.update(
        status_names=STATUS_NAMES,
        urgency_names=urgency.LEVELS_ZH,
        event_names=EVENT_NAMES,
        field_names=FIELD_NAMES,
        engine_names=ENGINE_NAMES,
        category_names={c.code: c.name for c in hotline.register.categories},
        low_confidence=review.LOW_CONFIDENCE,
        overdue=review.is_overdue,
        method_names=METHOD_NAMES,
        street_office=hotline.register.street_office,
    )
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)

    @app.exception_handler(StarletteHTTPException)
    async def _page_errors(request: Request, exc: StarletteHTTPException):
        """People get a page; the API and the webhooks keep their JSON."""
        path = request.url.path
        if path.startswith(("/console", "/login", "/logout")) and not path.endswith((".json", "/stream")):
            return templates.TemplateResponse(
                request, "error.html", {"user": None, "message": exc.detail, "status": exc.status_code},
                status_code=exc.status_code,
            )
        return await http_exception_handler(request, exc)


def _hotline(request: Request):
    return request.app.state.hotline


def _render(request: Request, name: str, user: CurrentUser | None, status_code: int = 200, **context) -> Response:
    context = {"user": user, "csrf": auth.csrf_token(request), "flashes": auth.take_flashes(request), **context}
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _home(user: CurrentUser) -> str:
    return "/console/my" if user.role == UserRole.GRID_WORKER else "/console/review"


# -- sign-in ---------------------------------------------------------------------------------


@router.get("/")
def root(user: CurrentUser = Depends(anyone)) -> RedirectResponse:
    return _back(_home(user))


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    with _hotline(request).db.session() as s:
        first_run = not auth.has_users(s)
    return _render(request, "login.html", None, next=next, first_run=first_run)


@router.post("/login", dependencies=csrf)
def login(request: Request, name: str = Form(...), password: str = Form(...), next: str = Form("")) -> Response:
    with _hotline(request).db.session() as s:
        user = auth.authenticate(s, name=name.strip(), password=password)
    if user is None:
        return _render(request, "login.html", None, status_code=401, next=next, first_run=False,
                       error="用户名或密码错误")
    auth.sign_in(request, user)
    safe_next = next if next.startswith("/") and not next.startswith("//") else ""
    return _back(safe_next or _home(user))


@router.post("/logout", dependencies=csrf)
def logout(request: Request) -> RedirectResponse:
    auth.sign_out(request)
    return _back("/login")


# -- review queue and ticket page --------------------------------------------------------------


@router.get("/console/review")
def review_page(
    request: Request,
    community: str = "",
    grid_id: str = "",
    category: str = "",
    status: str = review.OPEN,
    waiting_for: str = "",
    page: int = 1,
    user: CurrentUser = Depends(staff),
) -> Response:
    filters = review.QueueFilters(
        community=community or None, grid_id=grid_id or None, category=category or None, status=status,
        waiting_for=waiting_for or None, page=page,
    )
    hotline = _hotline(request)
    with hotline.db.session() as s:
        queue = review.review_queue(s, filters)
        return _render(request, "review.html", user, queue=queue, filters=filters, register=hotline.register, query=_query(filters))


def _query(filters: review.QueueFilters) -> str:
    """The filters as a query string, for the paging links."""
    return urlencode({k: v for k, v in (("community", filters.community), ("grid_id", filters.grid_id),
                                         ("category", filters.category), ("status", filters.status),
                                         ("waiting_for", filters.waiting_for)) if v})


@router.get("/console/tickets/{ticket_id}")
def ticket_page(request: Request, ticket_id: str, user: CurrentUser = Depends(staff)) -> Response:
    hotline = _hotline(request)
    with hotline.db.session() as s:
        view = review.ticket_view(s, hotline.register, ticket_id)
        if view is None:
            raise HTTPException(status_code=404, detail=f"工单 {ticket_id} 不存在")
        return _render(request, "ticket.html", user, view=view, register=hotline.register,
                       engines=ticket_actions.ENGINES)


@router.get("/console/tickets/{ticket_id}/audio")
def ticket_audio(request: Request, ticket_id: str, user: CurrentUser = Depends(anyone)) -> FileResponse:
    """The stored recording, for the ticket's viewers only (range requests let the page seek)."""
    hotline = _hotline(request)
    with hotline.db.session() as s:
        ticket = _viewable(s, user, ticket_id)
        stored = ticket.voicemail.audio_path
    audio_dir = hotline.settings.audio_dir.resolve()
    path = Path(stored).resolve() if stored else None
    if path is None or not path.is_relative_to(audio_dir) or not path.is_file():
        raise HTTPException(status_code=404, detail="此工单没有录音")
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "private, max-age=3600"})


def _viewable(session: Session, user: CurrentUser, ticket_id: str) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise HTTPException(status_code=404, detail=f"工单 {ticket_id} 不存在")
    if not auth.can_view(user, ticket):
        raise HTTPException(status_code=403, detail="这不是您的工单")
    return ticket


# -- actions on a ticket -----------------------------------------------------------------------


def _act(request: Request, action: Callable[[Session], str], back: str) -> RedirectResponse:
    """Run one write in one transaction; tell the person what happened on the next page."""
    try:
        with _hotline(request).db.session() as s:
            auth.flash(request, action(s))
    except ActionError as err:
        auth.flash(request, str(err), "error")
    return _back(back)


@router.post("/console/tickets/{ticket_id}/transcript", dependencies=csrf)
def edit_transcript(request: Request, ticket_id: str, text: str = Form(...),
                    user: CurrentUser = Depends(staff)) -> RedirectResponse:
    settings = _hotline(request).settings

    def action(s: Session) -> str:
        changed = ticket_actions.edit_transcript(s, settings, ticket_id=ticket_id, user=user, text=text)
        return "转写已保存为新版本" if changed else "转写没有变化"

    return _act(request, action, f"/console/tickets/{ticket_id}")


@router.post("/console/tickets/{ticket_id}/labels", dependencies=csrf)
def edit_labels(request: Request, ticket_id: str, category: str = Form(...), urgency: str = Form(...),
                grid_id: str = Form(""), user: CurrentUser = Depends(staff)) -> RedirectResponse:
    hotline = _hotline(request)

    def action(s: Session) -> str:
        changed = ticket_actions.edit_labels(
            s, hotline.settings, hotline.register, ticket_id=ticket_id, user=user,
            category=category, urgency=urgency, grid_id=grid_id or None,
        )
        return "分类已改正，工单已重新分派" if changed else "分类没有变化"

    return _act(request, action, f"/console/tickets/{ticket_id}")


@router.post("/console/tickets/{ticket_id}/dispatch", dependencies=csrf)
def dispatch(request: Request, ticket_id: str, user: CurrentUser = Depends(staff)) -> RedirectResponse:
    settings = _hotline(request).settings

    def action(s: Session) -> str:
        ticket_actions.dispatch(s, settings, ticket_id=ticket_id, user=user)
        return f"工单 {ticket_id} 已审核并派单"

    return _act(request, action, f"/console/tickets/{ticket_id}")


@router.post("/console/tickets/{ticket_id}/retranscribe", dependencies=csrf)
def retranscribe(request: Request, ticket_id: str, engine: str = Form(...),
                 user: CurrentUser = Depends(staff)) -> RedirectResponse:
    try:
        ticket_actions.retranscribe(_hotline(request), ticket_id=ticket_id, user=user, engine=engine)
        auth.flash(request, f"已用 {ENGINE_NAMES.get(engine, engine)} 重新转写并分类")
    except ActionError as err:
        auth.flash(request, str(err), "error")
    return _back(f"/console/tickets/{ticket_id}")


@router.post("/console/tickets/{ticket_id}/acknowledge", dependencies=csrf)
def acknowledge(request: Request, ticket_id: str, user: CurrentUser = Depends(staff)) -> Response:
    settings = _hotline(request).settings
    try:
        with _hotline(request).db.session() as s:
            ticket_actions.acknowledge(s, settings, ticket_id=ticket_id, user=user)
    except ActionError as err:
        raise HTTPException(status_code=409, detail=str(err)) from err
    return Response(status_code=204)


def _worker_action(request: Request, user: CurrentUser, ticket_id: str,
                   write: Callable[[Session], None], message: str) -> RedirectResponse:
    def action(s: Session) -> str:
        ticket = _viewable(s, user, ticket_id)
        if not auth.can_work(user, ticket):
            raise HTTPException(status_code=403, detail="只有负责此工单的网格员可以办理")
        write(s)
        return message

    back = "/console/my" if user.role == UserRole.GRID_WORKER else f"/console/tickets/{ticket_id}"
    return _act(request, action, back)


@router.post("/console/tickets/{ticket_id}/accept", dependencies=csrf)
def accept(request: Request, ticket_id: str, user: CurrentUser = Depends(anyone)) -> RedirectResponse:
    settings = _hotline(request).settings
    return _worker_action(
        request, user, ticket_id,
        lambda s: ticket_actions.accept(s, settings, ticket_id=ticket_id, user=user), f"已接单 {ticket_id}",
    )


@router.post("/console/tickets/{ticket_id}/note", dependencies=csrf)
def note(request: Request, ticket_id: str, text: str = Form(...),
         user: CurrentUser = Depends(anyone)) -> RedirectResponse:
    settings = _hotline(request).settings
    return _worker_action(
        request, user, ticket_id,
        lambda s: ticket_actions.add_note(s, settings, ticket_id=ticket_id, user=user, text=text), "进展已记录",
    )


@router.post("/console/tickets/{ticket_id}/resolve", dependencies=csrf)
def resolve(request: Request, ticket_id: str, text: str = Form(""),
            user: CurrentUser = Depends(anyone)) -> RedirectResponse:
    settings = _hotline(request).settings
    return _worker_action(
        request, user, ticket_id,
        lambda s: ticket_actions.resolve(s, settings, ticket_id=ticket_id, user=user, text=text),
        f"工单 {ticket_id} 已办结",
    )


# -- the command screen and the grid worker's list -------------------------------------------


def _snapshot(request: Request) -> dict:
    hotline = _hotline(request)
    with hotline.db.session() as s:
        return board.snapshot(s, hotline.register, now=utcnow(), tz=hotline.settings.timezone)


@router.get("/console/board")
def board_page(request: Request, user: CurrentUser = Depends(staff)) -> Response:
    return _render(request, "board.html", user, snapshot=_snapshot(request))


@router.get("/console/board.json")
def board_data(request: Request, user: CurrentUser = Depends(staff)) -> dict:
    return _snapshot(request)


@router.get("/console/board/stream")
async def board_stream(request: Request, user: CurrentUser = Depends(staff)) -> StreamingResponse:
    """Server-sent events: a new snapshot whenever a ticket changes (checked every second)."""
    hotline = _hotline(request)

    def mark() -> tuple:
        with hotline.db.session() as s:
            return board.fingerprint(s)

    async def events():
        yield "retry: 2000\n\n"
        started, last_sent, last_mark = time.monotonic(), 0.0, None
        while time.monotonic() - started < STREAM_LIFETIME_SECONDS and not await request.is_disconnected():
            current = await run_in_threadpool(mark)
            if current != last_mark or time.monotonic() - last_sent > STREAM_REFRESH_SECONDS:
                data = await run_in_threadpool(_snapshot, request)
                last_mark, last_sent = current, time.monotonic()
                yield f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
            await asyncio.sleep(STREAM_POLL_SECONDS)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


@router.get("/console/my")
def my_tickets(request: Request, user: CurrentUser = Depends(grid_worker)) -> Response:
    with _hotline(request).db.session() as s:
        tickets = review.worker_tickets(s, user.worker_id)
        notes = review.notes(s, [t.id for t in tickets])
        return _render(request, "my.html", user, tickets=tickets, notes=notes)
