"""Load benchmark of the intake: `python -m hotline.bench_intake [--rate 100] [--seconds 60]`.

Starts `hotline serve --no-worker` (SQLite, the embedded defaults) on loopback in a temporary
folder, sends signed recording callbacks at a steady rate, and prints the acknowledgement
latency (p50/p95/p99, measured from each callback's scheduled send time, so a server that
falls behind cannot hide it) and whether every callback became a voicemail row.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import yaml
from sqlalchemy import create_engine, select
from twilio.request_validator import RequestValidator

from hotline.config import DEFAULT_CONFIG
from hotline.schema import Voicemail

TARGET = "100 callbacks/s for 60 s, p99 < 100 ms, none lost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(folder: Path, port: int) -> tuple[Path, str, str]:
    """The repo's config, with every file in `folder` and a fresh account and token."""
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    account_sid, token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
    raw["database"] = {"url": f"sqlite:///{folder / 'hotline.db'}"}
    raw["queue"] = {**raw["queue"], "url": f"sqlite:///{folder / 'queue.db'}"}
    raw["storage"] = {"audio_dir": str(folder / "audio"), "journal": str(folder / "journal.jsonl")}
    raw["register"] = {k: str(DEFAULT_CONFIG.parent / v) for k, v in raw["register"].items()}
    raw["twilio"] = {**raw["twilio"], "account_sid": account_sid, "auth_token": token,
                     "public_url": f"http://127.0.0.1:{port}"}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path, account_sid, token


def signed_callbacks(count: int, base_url: str, account_sid: str, token: str) -> list[tuple[str, dict, dict]]:
    """(path, form, headers) for `count` distinct completed recordings, signed as Twilio does."""
    validator = RequestValidator(token)
    path = "/twilio/recording-status?From=%2B8619900000002&attempt=1"
    out = []
    for _ in range(count):
        sid = "RE" + uuid.uuid4().hex
        form = {
            "AccountSid": account_sid, "CallSid": "CA" + uuid.uuid4().hex, "RecordingSid": sid,
            "RecordingStatus": "completed", "RecordingDuration": "42", "RecordingChannels": "1",
            "RecordingSource": "RecordVerb",
            "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Recordings/{sid}",
        }
        out.append((path, form, {"X-Twilio-Signature": validator.compute_signature(base_url + path, form)}))
    return out


async def send_steadily(base_url: str, callbacks: list, rate: float) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=500)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0) as client:

        async def one(due: float, path: str, form: dict, headers: dict) -> None:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                response = await client.post(path, data=form, headers=headers)
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}: {response.text[:80]}")
            except httpx.HTTPError as err:
                errors.append(type(err).__name__)
            latencies.append(time.perf_counter() - due)

        start = time.perf_counter() + 0.5
        await asyncio.gather(*(one(start + i / rate, *cb) for i, cb in enumerate(callbacks)))
    return latencies, errors


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1] if len(values) > 1 else values[0]


def wait_until_up(base_url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("the server exited before answering")
        try:
            if httpx.get(base_url + "/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz within 30 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100.0, help="callbacks per second (default 100)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send (default 60)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        folder, port = Path(tmp), free_port()
        config, account_sid, token = write_config(folder, port)
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "hotline.cli", "--config", str(config), "--log-level", "WARNING",
             "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "HOTLINE_CONFIG": str(config)},
        )
        try:
            wait_until_up(base_url, server)
            callbacks = signed_callbacks(int(args.rate * args.seconds), base_url, account_sid, token)
            began = time.perf_counter()
            latencies, errors = asyncio.run(send_steadily(base_url, callbacks, args.rate))
            elapsed = time.perf_counter() - began - 0.5
        finally:
            server.terminate()
            server.wait(timeout=30)

        engine = create_engine(f"sqlite:///{folder / 'hotline.db'}")
        with engine.connect() as conn:
            stored = set(conn.scalars(select(Voicemail.recording_sid)))
        engine.dispose()
        journal = folder / "journal.jsonl"
        journaled = sum(1 for _ in journal.open()) if journal.exists() else 0

    sent = [form["RecordingSid"] for _, form, _ in callbacks]
    lost = [sid for sid in sent if sid not in stored]
    ms = sorted(v * 1000 for v in latencies)
    print(f"target:        {TARGET}")
    print(f"sent:          {len(sent)} callbacks at {args.rate:g}/s for {args.seconds:g} s "
          f"(achieved {len(sent) / elapsed:.1f}/s)")
    print(f"acknowledged:  {len(sent) - len(errors)} with HTTP 200; errors: {len(errors)} {sorted(set(errors))[:3]}")
    print(f"latency (ms):  p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
          f"p99 {percentile(ms, 99):.1f}  max {ms[-1]:.1f}")
    print(f"voicemail rows: {len(stored)} of {len(sent)}; journaled: {journaled}; lost: {len(lost) - journaled}")
    ok = not errors and len(lost) == journaled == 0 and percentile(ms, 99) < 100
    print("result:        " + ("target met" if ok else "target NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
