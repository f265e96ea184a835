"""Who may use which route: every console page, action and API call, for every role.

Not signed in: pages redirect to the sign-in page, the API answers 401. Signed in with the
wrong role: 403. Grid workers reach only their own tickets (the API hides the others: 404).
"""
from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from hotline import console

from tests.web.conftest import PASSWORD, USERS, csrf_of

STAFF = {"operator", "supervisor"}
WORKERS = {"worker", "other_worker"}
EVERYONE = STAFF | WORKERS
ROLES = [None, *sorted(EVERYONE)]

# (method, path, form fields, roles allowed); {t} is the sample ticket, owned by "worker"
MATRIX = [
    ("GET", "/", {}, EVERYONE),
    ("GET", "/console/review", {}, STAFF),
    ("GET", "/console/tickets/{t}", {}, STAFF),
    ("GET", "/console/tickets/{t}/audio", {}, STAFF | {"worker"}),
    ("POST", "/console/tickets/{t}/transcript", {"text": "滨悦新城三号楼暖气不热了"}, STAFF),
    ("POST", "/console/tickets/{t}/labels", {"category": "heating", "urgency": "urgent", "grid_id": "HG-01"}, STAFF),
    ("POST", "/console/tickets/{t}/dispatch", {}, STAFF),
    ("POST", "/console/tickets/{t}/retranscribe", {"engine": "no-such-engine"}, STAFF),
    ("POST", "/console/tickets/{t}/acknowledge", {}, STAFF),
    ("POST", "/console/tickets/{t}/accept", {}, {"supervisor", "worker"}),
    ("POST", "/console/tickets/{t}/note", {"text": "已联系物业"}, {"supervisor", "worker"}),
    ("POST", "/console/tickets/{t}/resolve", {"text": "已修好"}, {"supervisor", "worker"}),
    ("GET", "/console/board", {}, STAFF),
    ("GET", "/console/board.json", {}, STAFF),
    ("GET", "/console/board/stream", {}, STAFF),
    ("GET", "/console/my", {}, WORKERS),
    ("GET", "/api/tickets", {}, EVERYONE),
    ("GET", "/api/tickets/{t}", {}, STAFF | {"worker"}),
]
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/healthz")}


def test_the_matrix_covers_every_console_and_api_route(app):
    listed = {(m, p.replace("{t}", "{ticket_id}")) for m, p, _, _ in MATRIX} | PUBLIC
    routes = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute) and not route.path.startswith("/twilio")
        for method in route.methods
    }
    assert routes - listed == set(), "a route without a permission entry"


@pytest.fixture
def short_streams(monkeypatch):
    """The live stream ends after its first snapshot, so a test can read it whole."""
    monkeypatch.setattr(console, "STREAM_LIFETIME_SECONDS", 0.2)
    monkeypatch.setattr(console, "STREAM_POLL_SECONDS", 0.05)


@pytest.mark.parametrize("method,path,form,allowed", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_each_role_is_let_in_or_kept_out(client_as, ticket_id, short_streams, method, path, form, allowed):
    url = path.format(t=ticket_id)
    for role in ROLES:
        client = client_as(role)
        if method == "POST":
            response = client.post(url, data={**form, "csrf_token": csrf_of(client)})
        else:
            response = client.get(url)
        signed_out = response.status_code == 303 and response.headers["location"].startswith("/login")
        refused = signed_out or response.status_code in (401, 403) or (
            url.startswith("/api/tickets/") and response.status_code == 404
        )
        if role in allowed:
            assert not refused, (role, response.status_code, response.text[:200])
        elif role is None:
            assert (response.status_code == 401) if url.startswith("/api") else signed_out, response.status_code
        else:
            assert refused, (role, response.status_code)


def test_a_form_without_the_csrf_token_is_refused(client_as, ticket_id):
    client = client_as("operator")
    response = client.post(f"/console/tickets/{ticket_id}/dispatch", data={})
    assert response.status_code == 403
    response = client.post(f"/console/tickets/{ticket_id}/dispatch", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert client.post(f"/console/tickets/{ticket_id}/dispatch", headers={"X-CSRF-Token": csrf_of(client)}).status_code == 303


def test_sign_in_needs_the_form_token_too(client_as, users):
    client = client_as(None)
    response = client.post("/login", data={"name": "王芳", "password": "correct-horse-42"})
    assert response.status_code == 403


def test_a_grid_worker_sees_only_their_own_tickets_in_the_api(client_as, ticket_id):
    mine = client_as("worker").get("/api/tickets").json()
    theirs = client_as("other_worker").get("/api/tickets").json()
    assert [t["id"] for t in mine["tickets"]] == [ticket_id]
    assert theirs == {"total": 0, "tickets": []}


def test_a_deactivated_account_is_signed_out_at_once(client_as, hotline, users):
    from hotline import schema

    client = client_as("operator")
    assert client.get("/console/review").status_code == 200
    with hotline.db.session() as s:
        s.get(schema.User, users["operator"].id).active = False
    assert client.get("/console/review").status_code == 303


def test_a_tool_reads_the_api_with_http_basic_and_the_same_roles(app, users, ticket_id):
    with TestClient(app) as tool:
        operator = tool.get("/api/tickets", auth=(USERS["operator"][0], PASSWORD))
        assert operator.status_code == 200 and [t["id"] for t in operator.json()["tickets"]] == [ticket_id]
        assert tool.get("/api/tickets", auth=(USERS["other_worker"][0], PASSWORD)).json()["total"] == 0
        refused = tool.get("/api/tickets", auth=(USERS["operator"][0], "wrong-password"))
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
