"""The `asr` section of config.yaml as one typed record, built once at start-up."""
from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping


@dataclass(frozen=True)
class AsrSettings:
    engine: str = "auto"  # auto | vosk | whisper
    models_dir: Path = Path("models")
    vosk_model: str = "vosk-model-small-cn-0.22"
    whisper_model: str = "whisper-base"
    whisper_compute_type: str = "int8"
    threads: int = 2

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any], base_dir: Path) -> "AsrSettings":
        """Build from the parsed `asr:` mapping; a relative models_dir is relative to `base_dir`."""
        known = {f.name for f in fields(cls)}
        unknown = set(section) - known
        if unknown:
            raise ValueError(f"unknown asr settings: {', '.join(sorted(unknown))}")
        values = dict(section)
        if "models_dir" in values:
            values["models_dir"] = Path(base_dir) / values["models_dir"]
        if "threads" in values:
            values["threads"] = int(values["threads"])
        return cls(**values)
