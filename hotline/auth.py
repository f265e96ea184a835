"""Who is signed in, and what they may do: users, argon2 password hashes, signed session
cookies, CSRF tokens and role checks for pages and the API.

The session cookie (starlette's SessionMiddleware, signed with `settings.secret_key`) holds
only the user id, the CSRF token and pending messages; the user row is read on every
request, so a deactivated account stops working at once.
"""
from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from hotline import schema
from hotline.config import Settings
from hotline.schema import UserRole
from registry import Register

SESSION_SECONDS = 12 * 3600  # one shift
MIN_PASSWORD_LENGTH = 8
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name takes as long as a wrong password
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

ROLE_NAMES = {UserRole.OPERATOR: "接线员", UserRole.SUPERVISOR: "值班长", UserRole.GRID_WORKER: "网格员"}
STAFF = (UserRole.OPERATOR, UserRole.SUPERVISOR)


class UserError(ValueError):
    """A user cannot be created as asked; the message says why."""


class SignInRequired(Exception):
    """A page needs a signed-in user; the app answers with a redirect to the sign-in page."""


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    role: str
    worker_id: str | None

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


# -- users -----------------------------------------------------------------------------------


def add_user(
    session: Session, *, name: str, role: str, password: str, worker_id: str | None, register: Register
) -> schema.User:
    """Grid workers must name a worker of the register; staff must not."""
    if role not in UserRole.ALL:
        raise UserError(f"unknown role {role!r}; known: {', '.join(UserRole.ALL)}")
    if role == UserRole.GRID_WORKER:
        known = {w.id for g in register.grids for w in g.workers}
        if worker_id not in known:
            raise UserError(f"grid workers need --worker-id naming a worker of the register, not {worker_id!r}")
    elif worker_id:
        raise UserError("only grid workers have a --worker-id")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(schema.User.id).where(schema.User.name == name)) is not None:
        raise UserError(f"a user named {name!r} exists already")
    user = schema.User(name=name, role=role, worker_id=worker_id, password_hash=_hasher.hash(password), active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, name: str, password: str) -> CurrentUser | None:
    user = session.scalar(select(schema.User).where(schema.User.name == name, schema.User.active.is_(True)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return _current(user)


def _current(user: schema.User) -> CurrentUser:
    return CurrentUser(id=user.id, name=user.name, role=user.role, worker_id=user.worker_id)


def has_users(session: Session) -> bool:
    return session.scalar(select(schema.User.id).limit(1)) is not None


# -- the session -----------------------------------------------------------------------------


def install(app: FastAPI, settings: Settings) -> None:
    """Signed session cookies (secure outside development) and the sign-in redirect."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="hotline_session",
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=settings.environment == "production",
    )

    @app.exception_handler(SignInRequired)
    async def _to_sign_in(request: Request, _exc: SignInRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def sign_in(request: Request, user: CurrentUser) -> None:
    """A fresh session (and CSRF token) at every sign-in: no fixation."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's token, as a form field or header."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="CSRF 校验失败，请刷新页面后重试")


def flash(request: Request, message: str, kind: str = "info") -> None:
    """A message shown once on the next page (after a redirect)."""
    request.session.setdefault("flash", []).append({"kind": kind, "text": message})
    request.session["flash"] = request.session["flash"]  # mark the session changed


def take_flashes(request: Request) -> list[dict]:
    return request.session.pop("flash", [])


# -- role checks -----------------------------------------------------------------------------


_UNSET = object()


def _load_user(request: Request) -> CurrentUser | None:
    """Read once per request, cached on `request.state`."""
    if getattr(request.state, "user", _UNSET) is _UNSET:
        uid = request.session.get("uid")
        user = None
        if uid is not None:
            with request.app.state.hotline.db.session() as s:
                row = s.get(schema.User, uid)
                user = _current(row) if row is not None and row.active else None
        request.state.user = user
    return request.state.user


def _basic_user(request: Request) -> CurrentUser | None:
    """Tools that read the API (no browser, no session) send the same account by HTTP Basic."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        name, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    with request.app.state.hotline.db.session() as s:
        return authenticate(s, name=name, password=password)


def page_user(*roles: str):
    """A dependency for pages: the signed-in user in one of `roles` (sign-in redirect, else 403)."""

    def dependency(request: Request) -> CurrentUser:
        user = _load_user(request)
        if user is None:
            raise SignInRequired()
        if user.role not in roles:
            raise HTTPException(status_code=403, detail="您的账号无权访问此页面")
        return user

    return dependency


def api_user(*roles: str):
    """A dependency for the JSON API: 401 when not signed in, 403 for another role."""

    def dependency(request: Request) -> CurrentUser:
        user = _load_user(request) or _basic_user(request)
        if user is None:
            raise HTTPException(
                status_code=401, detail="not signed in", headers={"WWW-Authenticate": 'Basic realm="hotline"'}
            )
        if user.role not in roles:
            raise HTTPException(status_code=403, detail="this role may not use this API")
        return user

    return dependency


def can_view(user: CurrentUser, ticket: schema.Ticket) -> bool:
    return user.is_staff or can_work(user, ticket)


def can_work(user: CurrentUser, ticket: schema.Ticket) -> bool:
    """Grid workers act on their own tickets only; supervisors may act for any worker."""
    if user.role == UserRole.SUPERVISOR:
        return True
    return user.role == UserRole.GRID_WORKER and user.worker_id is not None and ticket.worker_id == user.worker_id
