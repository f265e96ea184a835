"""Engine selection is pure: what is installed goes in as arguments, no engine needed."""
from __future__ import annotations

from pathlib import Path

import pytest

from asr.engines import Choice, Engine, Installed, choose_engine, find_installed, load_transcriber
from asr.errors import AsrUnavailable
from asr.settings import AsrSettings

BOTH = frozenset({Engine.VOSK, Engine.WHISPER})


def installed(packages=BOTH, vosk=(), whisper=()) -> Installed:
    return Installed(packages=frozenset(packages), vosk_models=tuple(vosk), whisper_models=tuple(whisper))


@pytest.mark.parametrize(
    ("machine", "expected"),
    [
        (installed(vosk=["vosk-model-small-cn-0.22"], whisper=["whisper-base"]),
         Choice(Engine.VOSK, "vosk-model-small-cn-0.22")),
        (installed(whisper=["whisper-base"]), Choice(Engine.WHISPER, "whisper-base")),
        (installed(vosk=["vosk-model-cn-0.22"]), Choice(Engine.VOSK, "vosk-model-cn-0.22")),
        # a Chinese Vosk model without the vosk package: fall back to Whisper
        (installed(packages={Engine.WHISPER}, vosk=["vosk-model-small-cn-0.22"], whisper=["whisper-base"]),
         Choice(Engine.WHISPER, "whisper-base")),
    ],
)
def test_auto_prefers_vosk_when_a_chinese_vosk_model_is_installed(machine, expected):
    assert choose_engine(AsrSettings(engine="auto"), machine) == expected


def test_auto_without_any_model_names_both_install_commands():
    with pytest.raises(AsrUnavailable) as caught:
        choose_engine(AsrSettings(engine="auto"), installed())
    assert caught.value.code == "no-model"
    assert "hotline models install whisper-base" in str(caught.value)
    assert "hotline models download vosk-small-cn" in str(caught.value)


@pytest.mark.parametrize(
    ("engine", "machine", "command"),
    [
        ("vosk", installed(whisper=["whisper-base"]), "hotline models download vosk-small-cn"),
        ("whisper", installed(vosk=["vosk-model-small-cn-0.22"]), "hotline models install whisper-base"),
        ("whisper", installed(packages={Engine.VOSK}, whisper=["whisper-base"]), "pip install faster-whisper"),
        ("vosk", installed(packages={Engine.WHISPER}, vosk=["vosk-model-small-cn-0.22"]), "pip install vosk"),
    ],
)
def test_a_configured_engine_that_cannot_run_names_the_fix(engine, machine, command):
    with pytest.raises(AsrUnavailable) as caught:
        choose_engine(AsrSettings(engine=engine), machine)
    assert command in str(caught.value)


def test_configured_model_wins_over_other_installed_models():
    settings = AsrSettings(engine="vosk", vosk_model="vosk-model-small-cn-0.22")
    machine = installed(vosk=["vosk-model-cn-0.22", "vosk-model-small-cn-0.22"])
    assert choose_engine(settings, machine).model == "vosk-model-small-cn-0.22"


def test_unknown_engine_name():
    with pytest.raises(AsrUnavailable) as caught:
        choose_engine(AsrSettings(engine="kaldi"), installed())
    assert caught.value.code == "unknown-engine"


def test_find_installed_recognises_model_directories(tmp_path):
    (tmp_path / "vosk-model-small-cn-0.22").mkdir()
    (tmp_path / "vosk-model-small-en-us-0.15").mkdir()
    (tmp_path / "whisper-base").mkdir()
    (tmp_path / "whisper-base" / "model.bin").write_bytes(b"")
    (tmp_path / "whisper-small").mkdir()  # no model.bin: an interrupted install
    (tmp_path / "vosk-model-small-cn-0.22.zip.part").write_bytes(b"")

    found = find_installed(tmp_path)

    assert found.vosk_models == ("vosk-model-small-cn-0.22",)
    assert found.whisper_models == ("whisper-base",)


def test_find_installed_with_missing_models_dir(tmp_path):
    found = find_installed(tmp_path / "absent")
    assert found.vosk_models == () and found.whisper_models == ()


def test_load_transcriber_fails_up_front_without_a_model(tmp_path):
    with pytest.raises(AsrUnavailable):
        load_transcriber(AsrSettings(models_dir=tmp_path))


def test_settings_from_config_section(tmp_path):
    section = {"engine": "whisper", "models_dir": "models", "vosk_model": "vosk-model-cn-0.22",
               "whisper_model": "whisper-base", "whisper_compute_type": "int8", "threads": "4"}
    settings = AsrSettings.from_mapping(section, base_dir=tmp_path)
    assert settings.models_dir == tmp_path / "models"
    assert settings.threads == 4 and settings.engine == "whisper"
    with pytest.raises(ValueError, match="unknown asr settings: engin"):
        AsrSettings.from_mapping({"engin": "vosk"}, base_dir=tmp_path)


def test_repository_config_matches_settings():
    """config.yaml's asr section and AsrSettings must not drift apart."""
    yaml = pytest.importorskip("yaml")
    config = Path(__file__).resolve().parents[2] / "config.yaml"
    section = yaml.safe_load(config.read_text(encoding="utf-8"))["asr"]
    assert AsrSettings.from_mapping(section, base_dir=config.parent).models_dir == config.parent / "models"
