"""`hotline eval`: the understanding figures on labelled data, from text or from audio.

With audio, each message is heard by the configured engine first, so the figures are the
ones residents get; the character error rate against the labelled text is added.
"""
from __future__ import annotations

import json
from pathlib import Path

from asr import load_audio
from asr.scoring import cer
from classify.evaluation import evaluate
from hotline.services import Hotline


def _audio_path(record: dict, data_path: Path, audio_dir: str | None) -> Path | None:
    if record.get("file"):
        path = Path(record["file"])
        return path if path.is_absolute() else data_path.parent / path
    if audio_dir:
        return Path(audio_dir) / f"{record['id']}.wav"
    return None


def run(hotline: Hotline, data_path: Path, *, audio_dir: str | None, png: Path) -> str:
    with data_path.open(encoding="utf-8") as fh:
        examples = [json.loads(line) for line in fh if line.strip()]
    classifier = hotline.classifier
    predictions, errors, heard = [], [], []
    for example in examples:
        audio = _audio_path(example, data_path, audio_dir)
        text = example.get("text", "")
        if audio is not None:
            transcript = hotline.transcriber().transcribe(load_audio(audio))
            if text:
                errors.append(cer(text, transcript.text))
            heard.append({**example, "reference": text, "text": transcript.text})
            text = transcript.text
        predictions.append(classifier.classify(text, example.get("phone")))
    report = evaluate(examples, predictions, hotline.register)
    report.save_confusion_png(png)
    lines = [report.format(), f"confusion matrix saved: {png}"]
    if errors:
        lines.append(f"ASR character error rate: {sum(errors) / len(errors):.3f} (mean over {len(errors)} messages)")
        heard_path = png.with_suffix(".transcripts.jsonl")
        heard_path.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in heard), encoding="utf-8")
        lines.append(f"transcripts saved: {heard_path}")
    return "\n".join(lines)
