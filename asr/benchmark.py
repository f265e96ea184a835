"""Speed (and, given references, accuracy) of the configured engine on recorded messages.

    python -m asr.benchmark [--config config.yaml] [--references voicemails.jsonl] FILES...

Prints per file the decoding time, real-time factor (decoding seconds per audio second)
and, when a reference text exists for the file's stem, the character error rate.
The model load is timed separately: it happens once per process, not per message.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import yaml

from asr.audio import load_audio
from asr.engines import load_transcriber
from asr.scoring import cer, normalise
from asr.settings import AsrSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m asr.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="WAV or MP3 recordings")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="its asr section is used")
    parser.add_argument("--engine", choices=("auto", "vosk", "whisper"), help="override asr.engine")
    parser.add_argument("--models-dir", type=Path, help="override asr.models_dir")
    parser.add_argument("--threads", type=int, help="override asr.threads")
    parser.add_argument("--references", type=Path, help="JSONL with id and text; id = file stem")
    parser.add_argument("--output", type=Path, help="write each transcript as a JSON line here")
    args = parser.parse_args(argv)

    settings = _settings(args)
    references = _references(args.references) if args.references else {}

    started = time.perf_counter()
    transcriber = load_transcriber(settings)
    print(f"engine {transcriber.name}, model {transcriber.model}, threads {settings.threads}, "
          f"loaded in {time.perf_counter() - started:.2f} s")

    output = args.output.open("w", encoding="utf-8") if args.output else None
    audio_seconds = decode_seconds = 0.0
    errors = reference_chars = 0.0
    for path in args.files:
        audio = load_audio(path)
        started = time.perf_counter()
        transcript = transcriber.transcribe(audio)
        elapsed = time.perf_counter() - started
        audio_seconds += audio.duration
        decode_seconds += elapsed
        line = f"{path.name}\t{audio.duration:6.2f} s\t{elapsed:6.2f} s\tRTF {elapsed / audio.duration:.3f}"
        reference = references.get(path.stem)
        if reference is not None:
            rate = cer(reference, transcript.text)
            errors += rate * len(normalise(reference))
            reference_chars += len(normalise(reference))
            line += f"\tCER {rate:.3f}"
        print(f"{line}\t{transcript.text}")
        if output:
            output.write(json.dumps({"file": str(path), **transcript.to_dict()}, ensure_ascii=False) + "\n")
    if output:
        output.close()

    count = len(args.files)
    summary = (f"total\t{count} files\t{audio_seconds:.1f} s audio\t{decode_seconds:.1f} s decoding\t"
               f"RTF {decode_seconds / audio_seconds:.3f}\t{decode_seconds / count:.2f} s per message")
    if reference_chars:
        summary += f"\tCER {errors / reference_chars:.3f} over {int(reference_chars)} characters"
    print(summary)


def _settings(args: argparse.Namespace) -> AsrSettings:
    settings = AsrSettings()
    if args.config.is_file():
        section = yaml.safe_load(args.config.read_text(encoding="utf-8")).get("asr", {})
        settings = AsrSettings.from_mapping(section, base_dir=args.config.parent)
    overrides = {"engine": args.engine, "models_dir": args.models_dir, "threads": args.threads}
    return replace(settings, **{key: value for key, value in overrides.items() if value is not None})


def _references(path: Path) -> dict[str, str]:
    rows = map(json.loads, path.read_text(encoding="utf-8").splitlines())
    return {row["id"]: row["text"] for row in rows}


if __name__ == "__main__":
    main()
