"""A fake Twilio REST API on loopback: recording media, recording delete, messages.

A real threaded HTTP server on 127.0.0.1 and a random port, speaking the three calls the
hotline makes, with HTTP basic auth checked as Twilio does. Tests script its answers
(`media`, `media_script`, `message_script`) and read what it received (`deleted`, `messages`).
"""
from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token"
MEDIA = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+)\.wav$")
RECORDING = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+)\.json$")
MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
STORAGE = re.compile(r"^/storage/(RE\w+)$")


class FakeTwilio:
    def __init__(self):
        self.media: dict[str, bytes] = {}  # RecordingSid -> the recording's bytes
        self.media_script: dict[str, list[int]] = {}  # RecordingSid -> statuses to answer first
        self.redirect_media = False  # answer media with a redirect to "storage", as Twilio may
        self.message_script: list[int] = []  # statuses to answer the next messages with
        self.deleted: list[str] = []
        self.messages: list[dict] = []
        self.media_requests: list[tuple[str, str | None]] = []  # (path, Authorization)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeTwilio":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def recording_url(self, sid: str) -> str:
        """The RecordingUrl Twilio puts in its callbacks (no extension)."""
        return f"{self.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _authorized(self) -> bool:
                expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") == expected:
                    return True
                self._reply(401, b'{"code": 20003, "message": "Authenticate", "status": 401}')
                return False

            def _reply(self, status: int, body: bytes = b"", content_type="application/json", headers=()) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _scripted(self, script: list[int]) -> int | None:
                with fake.lock:
                    return script.pop(0) if script else None

            def do_GET(self) -> None:
                if m := STORAGE.match(self.path):
                    return self._reply(200, fake.media[m.group(1)], "audio/x-wav")
                m = MEDIA.match(self.path)
                with fake.lock:
                    fake.media_requests.append((self.path, self.headers.get("Authorization")))
                if not m:
                    return self._reply(404, b'{"status": 404}')
                if not self._authorized():
                    return
                sid = m.group(2)
                status = self._scripted(fake.media_script.setdefault(sid, []))
                if status is not None:
                    return self._reply(status, b'{"status": %d}' % status)
                if sid not in fake.media or sid in fake.deleted:
                    return self._reply(404, b'{"code": 20404, "status": 404}')
                if fake.redirect_media:
                    return self._reply(302, headers=[("Location", f"{fake.base_url}/storage/{sid}")])
                self._reply(200, fake.media[sid], "audio/x-wav")

            def do_DELETE(self) -> None:
                m = RECORDING.match(self.path)
                if not m:
                    return self._reply(404, b'{"status": 404}')
                if not self._authorized():
                    return
                with fake.lock:
                    fake.deleted.append(m.group(2))
                self._reply(204)

            def do_POST(self) -> None:
                m = MESSAGES.match(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if not m:
                    return self._reply(404, b'{"status": 404}')
                if not self._authorized():
                    return
                status = self._scripted(fake.message_script)
                if status is not None:
                    body = {"code": 21211 if status < 500 else 20500, "message": "scripted failure", "status": status}
                    return self._reply(status, json.dumps(body).encode())
                sid = "SM" + uuid.uuid4().hex
                with fake.lock:
                    fake.messages.append(form)
                resource = {
                    "sid": sid, "account_sid": m.group(1), "to": form.get("To"), "from": form.get("From"),
                    "body": form.get("Body"), "status": "queued", "direction": "outbound-api",
                }
                self._reply(201, json.dumps(resource).encode())

        return Handler
