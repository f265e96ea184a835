"""Choosing and loading an engine by its config name.

Choosing is pure (`choose_engine` takes what is installed as arguments) so it is tested
without any engine present; `load_transcriber` looks at the machine, then imports only
the engine it chose, so a deployment needs only that engine's packages.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatch
from pathlib import Path
from typing import Mapping, Sequence

from asr.errors import AsrUnavailable
from asr.settings import AsrSettings
from asr.transcriber import Transcriber

VOSK_CHINESE_PATTERN = "vosk-model-*cn*"
WHISPER_MODEL_FILE = "model.bin"
INSTALL_VOSK = "hotline models download vosk-small-cn"
INSTALL_WHISPER = "hotline models install whisper-base"


class Engine(str, Enum):
    AUTO = "auto"
    VOSK = "vosk"
    WHISPER = "whisper"


ENGINE_PACKAGES: Mapping[Engine, str] = {Engine.VOSK: "vosk", Engine.WHISPER: "faster_whisper"}
ENGINE_PIP_NAMES: Mapping[Engine, str] = {Engine.VOSK: "vosk", Engine.WHISPER: "faster-whisper opencc"}


@dataclass(frozen=True)
class Installed:
    """What this machine has: engine packages importable, model directories in models_dir."""

    packages: frozenset[Engine]
    vosk_models: tuple[str, ...]  # directory names matching vosk-model-*cn*
    whisper_models: tuple[str, ...]  # directory names holding a model.bin


@dataclass(frozen=True)
class Choice:
    engine: Engine
    model: str  # directory name under models_dir


def choose_engine(settings: AsrSettings, installed: Installed) -> Choice:
    """Pick engine and model: the configured engine, or for `auto` Vosk if a Chinese Vosk
    model is installed, else Whisper. Raises `AsrUnavailable` naming the install command."""
    try:
        requested = Engine(settings.engine)
    except ValueError:
        names = " | ".join(e.value for e in Engine)
        raise AsrUnavailable("unknown-engine", f"未知识别引擎 {settings.engine!r}，可选：{names}") from None
    if requested is Engine.AUTO:
        if Engine.VOSK in installed.packages and installed.vosk_models:
            requested = Engine.VOSK
        elif Engine.WHISPER in installed.packages and installed.whisper_models:
            requested = Engine.WHISPER
        else:
            raise AsrUnavailable(
                "no-model",
                f"{settings.models_dir} 中没有语音识别模型。请运行 `{INSTALL_WHISPER}` "
                f"或 `{INSTALL_VOSK}` 安装一个。",
            )
    if requested not in installed.packages:
        raise AsrUnavailable(
            "engine-package-missing",
            f"识别引擎 {requested.value} 未安装，请运行 `pip install {ENGINE_PIP_NAMES[requested]}`。",
        )
    if requested is Engine.VOSK:
        return Choice(Engine.VOSK, _pick(settings.vosk_model, installed.vosk_models, INSTALL_VOSK, settings))
    return Choice(Engine.WHISPER, _pick(settings.whisper_model, installed.whisper_models, INSTALL_WHISPER, settings))


def _pick(configured: str, available: Sequence[str], install: str, settings: AsrSettings) -> str:
    """The configured model if installed, else the first installed one of that engine."""
    if configured in available:
        return configured
    if available:
        return sorted(available)[0]
    raise AsrUnavailable("no-model", f"{settings.models_dir} 中没有模型 {configured}。请运行 `{install}`。")


def find_installed(models_dir: Path) -> Installed:
    """Look at the machine: which engine packages import, which models are in `models_dir`."""
    packages = frozenset(e for e, module in ENGINE_PACKAGES.items() if importlib.util.find_spec(module))
    directories = sorted(p for p in Path(models_dir).iterdir() if p.is_dir()) if Path(models_dir).is_dir() else []
    return Installed(
        packages=packages,
        vosk_models=tuple(p.name for p in directories if fnmatch(p.name, VOSK_CHINESE_PATTERN)),
        whisper_models=tuple(p.name for p in directories if (p / WHISPER_MODEL_FILE).is_file()),
    )


def load_transcriber(settings: AsrSettings) -> Transcriber:
    """Find and load the model now, so a missing model stops start-up, not the first call."""
    choice = choose_engine(settings, find_installed(settings.models_dir))
    model_dir = Path(settings.models_dir) / choice.model
    if choice.engine is Engine.VOSK:
        from asr.vosk_engine import VoskTranscriber

        return VoskTranscriber(model_dir)
    from asr.whisper_engine import WhisperTranscriber

    return WhisperTranscriber(
        model_dir,
        compute_type=settings.whisper_compute_type,
        threads=settings.threads,
    )
