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
    """The reference SMS sent when a voicemail became a ticket; `body` is formatted with
    {ticket} and {service_line}: the community's line from `community_lines`, else `service_line`."""

    enabled: bool = False
    from_number: str = ""
    service_line: str = ""
    community_lines: Mapping[str, str] = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True)
class CallflowSettings:
    """What the caller hears and how long the flow waits; `prompts` maps a prompt name to its text."""

    language: str = "cmn-CN"
    voice: str = "Polly.Zhiyu"
    speech_rate: str = "slow"  # SSML prosody rate
    sentence_pause_ms: int = 600
    gather_timeout_seconds: int = 6
    max_length_seconds: int = 120
    silence_timeout_seconds: int = 8
    max_attempts: int = 3
    rerecord_window_seconds: float = 45.0
    prompts: Mapping[str, str] = field(default_factory=dict)


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
    review_threshold: float | None  # None: the classifier model's own
    sink: str
    ticket_prefix: str
    timezone: str
    sms: SmsSettings
    secret_key: str
    callflow: CallflowSettings = field(default_factory=CallflowSettings)

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)


def _optional_float(value) -> float | None:
    return None if value is None else float(value)


def _path(root: Path, value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else root / p


def _sqlite_url(root: Path, url: str) -> str:
    """Anchor a relative sqlite path to the config folder (sqlite:///data/x.db)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(root / url[len(prefix):])
    return url


def _shipped(section: str) -> dict:
    """The repo's config.yaml section: words residents hear or read are product copy kept
    there once; a deployment's config overrides any of them."""
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8")) or {}
    return raw.get(section) or {}


def _with_shipped_texts(section: str, raw: dict, key: str) -> dict:
    merged = dict(raw)
    if key == "prompts":
        merged["prompts"] = {**_shipped(section).get("prompts", {}), **(raw.get("prompts") or {})}
    elif not raw.get(key):
        merged[key] = _shipped(section).get(key, "")
    return merged


def _section_settings(cls, name: str, raw: dict):
    try:
        return cls(**raw)
    except TypeError as err:
        raise ConfigError(f"config.yaml `{name}`: {err}") from None


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
        asr=AsrSettings.from_mapping(section("asr"), root),
        classifier_dir=_path(root, section("classify").get("model_dir", "models/classifier")),
        review_threshold=_optional_float(section("classify").get("review_threshold")),
        sink=section("routing").get("sink", "outbox"),
        ticket_prefix=section("routing").get("ticket_prefix", "XLML"),
        timezone=section("routing").get("timezone", "Asia/Shanghai"),
        sms=_section_settings(SmsSettings, "sms", _with_shipped_texts("sms", section("sms"), "body")),
        secret_key=secret,
        callflow=_section_settings(
            CallflowSettings, "callflow", _with_shipped_texts("callflow", section("callflow"), "prompts")
        ),
    )
    if settings.environment == "production" and not settings.twilio.auth_token:
        raise ConfigError("production needs TWILIO_AUTH_TOKEN to check webhook signatures")
    return settings
