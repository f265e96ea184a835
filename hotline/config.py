"""One typed settings object, built once at start-up from config.yaml and the environment.

Secrets come from the environment; relative paths are resolved against the config file's
folder so the hotline behaves the same whatever the working directory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import yaml

from asr import AsrSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config.yaml"
DEVELOPMENT_SECRET = "development-only-secret"


class ConfigError(ValueError):
    """The configuration cannot run the hotline; the message says what to change."""


@dataclass(frozen=True)
class DownloadSettings:
    attempts: int = 6
    first_delay_seconds: float = 1.0
    max_bytes: int = 20_000_000
    max_seconds: int = 300


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str = ""
    auth_token: str = ""
    public_url: str = "http://localhost:8000"
    api_base: str = "https://api.twilio.com"
    trust_forwarded_headers: bool = False
    delete_after_download: bool = True
    download: DownloadSettings = field(default_factory=DownloadSettings)


@dataclass(frozen=True)
class RegisterPaths:
    categories: Path
    grids: Path
    residents: Path


@dataclass(frozen=True)
class SmsSettings:
    enabled: bool = False
    from_number: str = ""


@dataclass(frozen=True)
class Settings:
    root: Path
    environment: str
    database_url: str
    audio_dir: Path
    journal_path: Path
    queue_url: str
    queue_workers: int
    twilio: TwilioSettings
    register: RegisterPaths
    asr: AsrSettings
    classifier_dir: Path
    review_threshold: float
    sink: str
    ticket_prefix: str
    timezone: str
    sms: SmsSettings
    secret_key: str
    callflow: Mapping = field(default_factory=dict)

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)


def _path(root: Path, value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else root / p


def _sqlite_url(root: Path, url: str) -> str:
    """Anchor a relative sqlite path to the config folder (sqlite:///data/x.db)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(root / url[len(prefix):])
    return url


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    path = Path(path or os.environ.get("HOTLINE_CONFIG") or DEFAULT_CONFIG).resolve()
    env = os.environ if env is None else env
    if not path.exists():
        raise ConfigError(f"config file not found: {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    root = path.parent

    def section(name: str) -> dict:
        return raw.get(name) or {}

    tw = section("twilio")
    asr_raw = section("asr")
    environment = env.get("HOTLINE_ENVIRONMENT", raw.get("environment", "development"))
    secret = env.get("HOTLINE_SECRET_KEY", raw.get("secret_key", DEVELOPMENT_SECRET))
    if environment == "production" and secret == DEVELOPMENT_SECRET:
        raise ConfigError("production needs HOTLINE_SECRET_KEY; the development secret is refused")
    settings = Settings(
        root=root,
        environment=environment,
        database_url=_sqlite_url(
            root, env.get("HOTLINE_DATABASE_URL", section("database").get("url", "sqlite:///data/hotline.db"))
        ),
        audio_dir=_path(root, section("storage").get("audio_dir", "data/audio")),
        journal_path=_path(root, section("storage").get("journal", "data/intake-journal.jsonl")),
        queue_url=_sqlite_url(root, env.get("HOTLINE_QUEUE_URL", section("queue").get("url", "sqlite:///data/queue.db"))),
        queue_workers=int(section("queue").get("workers", 2)),
        twilio=TwilioSettings(
            account_sid=env.get("TWILIO_ACCOUNT_SID", tw.get("account_sid", "")),
            auth_token=env.get("TWILIO_AUTH_TOKEN", tw.get("auth_token", "")),
            public_url=env.get("HOTLINE_PUBLIC_URL", tw.get("public_url", "http://localhost:8000")).rstrip("/"),
            api_base=env.get("TWILIO_API_BASE", tw.get("api_base", "https://api.twilio.com")).rstrip("/"),
            trust_forwarded_headers=bool(tw.get("trust_forwarded_headers", False)),
            delete_after_download=bool(tw.get("delete_after_download", True)),
            download=DownloadSettings(**(tw.get("download") or {})),
        ),
        register=RegisterPaths(
            **{k: _path(root, v) for k, v in (section("register") or {}).items()}
        ),
        asr=AsrSettings(
            engine=asr_raw.get("engine", "auto"),
            models_dir=_path(root, asr_raw.get("models_dir", "models")),
            vosk_model=asr_raw.get("vosk_model", "vosk-model-small-cn-0.22"),
            whisper_model=asr_raw.get("whisper_model", "whisper-base"),
            whisper_compute_type=asr_raw.get("whisper_compute_type", "int8"),
            threads=int(asr_raw.get("threads", 2)),
        ),
        classifier_dir=_path(root, section("classify").get("model_dir", "models/classifier")),
        review_threshold=float(section("classify").get("review_threshold", 0.55)),
        sink=section("routing").get("sink", "outbox"),
        ticket_prefix=section("routing").get("ticket_prefix", "XLML"),
        timezone=section("routing").get("timezone", "Asia/Shanghai"),
        sms=SmsSettings(**(section("sms") or {})),
        secret_key=secret,
        callflow=section("callflow"),
    )
    if settings.environment == "production" and not settings.twilio.auth_token:
        raise ConfigError("production needs TWILIO_AUTH_TOKEN to check webhook signatures")
    return settings
