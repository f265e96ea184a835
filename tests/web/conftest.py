"""Console fixtures: a fresh migrated database per test (copied from one migrated once),
the four kinds of user, one dispatched ticket, and clients signed in as each role."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from hotline import auth, samples
from hotline.db import Database
from hotline.queue import TaskQueue
from hotline.schema import utcnow
from hotline.services import Hotline
from hotline.web import create_app

from tests.conftest import REPO
from hotline.config import load_settings

PASSWORD = "correct-horse-42"
USERS = {  # fixture key: (name, role, worker_id)
    "operator": ("王芳", "operator", None),
    "supervisor": ("李强", "supervisor", None),
    "worker": ("张伟", "grid_worker", "HG-01-B"),  # HG-01's duty worker: the sample ticket is theirs
    "other_worker": ("赵敏", "grid_worker", "HG-02-B"),
}


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    """Argon2 at its cheapest: the same code path, a fraction of the time."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", cheap)
    monkeypatch.setattr(auth, "_DUMMY_HASH", cheap.hash("dummy-password"))


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "hotline.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return path


@pytest.fixture
def settings(tmp_path, migrated_db):
    """Embedded defaults on a temporary folder; no classifier needed."""
    shutil.copy(migrated_db, tmp_path / "hotline.db")
    return load_settings(REPO / "config.yaml", env={}).with_overrides(
        database_url=f"sqlite:///{tmp_path / 'hotline.db'}",
        queue_url=f"sqlite:///{tmp_path / 'queue.db'}",
        audio_dir=tmp_path / "audio",
        journal_path=tmp_path / "journal.jsonl",
    )


@pytest.fixture
def hotline(settings):
    h = Hotline(settings)
    yield h
    h.db.dispose()


@pytest.fixture
def users(hotline) -> dict[str, auth.CurrentUser]:
    made = {}
    with hotline.db.session() as s:
        for key, (name, role, worker_id) in USERS.items():
            row = auth.add_user(s, name=name, role=role, password=PASSWORD, worker_id=worker_id,
                                register=hotline.register)
            made[key] = auth.CurrentUser(id=row.id, name=name, role=role, worker_id=worker_id)
    return made


@pytest.fixture
def ticket_id(hotline) -> str:
    """A dispatched ordinary ticket in HG-01 (worker HG-01-B), with a stored recording."""
    audio = hotline.settings.audio_dir / "sample.wav"
    audio.parent.mkdir(parents=True, exist_ok=True)
    audio.write_bytes(samples.tone_wav(4.0))
    with hotline.db.session() as s:
        ticket = samples.add_ticket(
            s, hotline.settings, hotline.register, text="滨悦新城三号楼暖气不热", category="heating",
            grid_id="HG-01", place="滨悦新城", now=utcnow() - timedelta(hours=1), audio_path=audio,
        )
        return ticket.id


@pytest.fixture
def app(hotline):
    return create_app(hotline, TaskQueue(hotline))


@pytest.fixture
def client_as(app, users):
    """`client_as("operator")`: a TestClient signed in through the sign-in form."""
    clients = []

    def make(key: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        if key is not None:
            response = sign_in(client, USERS[key][0], PASSWORD)
            assert response.status_code == 303, response.text
            client.csrf = _page_token(client)  # one token per session: fetching it again would eat messages
        return client

    yield make
    for client in clients:
        client.close()


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token."""
    return getattr(client, "csrf", None) or _page_token(client)


def _page_token(client: TestClient) -> str:
    page = client.get("/login").text
    return page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def sign_in(client: TestClient, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_of(client)})
