"""How fast the console's pages answer with 10,000 tickets: `python -m hotline.bench_pages`.

Seeds a temporary SQLite database through store.py, serves the real app with uvicorn on a
free local port, signs in and times each page over HTTP (median and 95th percentile).
Exits 1 when a page's median passes the budget.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import select

from hotline import auth, samples, schema
from hotline.config import load_settings
from hotline.queue import TaskQueue
from hotline.schema import UserRole, utcnow
from hotline.services import Hotline
from hotline.web import create_app

BUDGET_MS = 300.0
PASSWORD = "benchmark-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(folder: Path, count: int) -> tuple[Hotline, str]:
    settings = load_settings().with_overrides(
        database_url=f"sqlite:///{folder / 'hotline.db'}",
        queue_url=f"sqlite:///{folder / 'queue.db'}",
        audio_dir=folder / "audio",
    )
    hotline = Hotline(settings)
    hotline.db.upgrade()
    started = time.perf_counter()
    with hotline.db.session() as s:
        samples.seed(s, settings, hotline.register, count=count, now=utcnow())
        for name, role, worker in (("bench-op", UserRole.OPERATOR, None), ("bench-gw", UserRole.GRID_WORKER, "HG-01-B")):
            auth.add_user(s, name=name, role=role, password=PASSWORD, worker_id=worker, register=hotline.register)
    with hotline.db.session() as s:
        sample = s.scalar(select(schema.Ticket.id).order_by(schema.Ticket.created_at.desc()).limit(1))
    print(f"seeded {count} tickets in {time.perf_counter() - started:.1f} s")
    return hotline, sample


def _signed_in(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = client.get("/login").text
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        hotline, sample = _prepare(Path(tmp), args.tickets)
        config = uvicorn.Config(create_app(hotline, TaskQueue(hotline)), host="127.0.0.1", port=_free_port(),
                                log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        base = f"http://127.0.0.1:{config.port}"
        operator, worker = _signed_in(base, "bench-op"), _signed_in(base, "bench-gw")
        pages = [
            (operator, "/console/review"),
            (operator, "/console/review?page=40"),
            (operator, "/console/review?community=黄岗社区&category=heating&status=all"),
            (operator, f"/console/tickets/{sample}"),
            (operator, "/console/board"),
            (operator, "/console/board.json"),
            (operator, "/api/tickets"),
            (worker, "/console/my"),
        ]
        slow = 0
        print(f"{'page':<62} {'median ms':>10} {'p95 ms':>8}")
        for client, path in pages:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            median, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
            slow += median > BUDGET_MS
            print(f"{path:<62} {median:>10.1f} {p95:>8.1f}{'  OVER BUDGET' if median > BUDGET_MS else ''}")
        operator.close()
        worker.close()
        server.should_exit = True
        thread.join(timeout=10)
        hotline.db.dispose()
    print(f"budget {BUDGET_MS:.0f} ms per page: {'all within' if not slow else f'{slow} page(s) over'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
