"""Leave-one-author-out: how the classifier does on messages by an author it never saw.

    python -m classify.crossval [--authors a,b] [--out PREDICTIONS.jsonl] [--keep-models DIR]

In-style validation flatters the model (~99%); what generalises to real callers shows only
on phrasings nobody in the training set wrote. Each fold trains exactly as `hotline train`
does (templates, the other authors, all their ASR-noisy copies) and classifies the held-out
author's messages clean and noisy with the real `Classifier`. Settings (C, margins, feature
families) are chosen on these figures, never on the held-out test sets.

`--out` keeps one line per message (fold, clean/noisy, truth, prediction, margin...) so review
policies can be compared without retraining; `--keep-models` keeps each fold's model
(DIR/<author>) for questions the records do not answer.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from classify.corpus_writer import CORPUS_DIR, authored_files, read_jsonl
from classify.evaluation import evaluate
from classify.model import Classifier
from classify.training import train
from registry import load_register


def folds(corpus_dir: Path = CORPUS_DIR) -> dict[str, tuple[list[dict], list[dict]]]:
    """author → (clean messages, their noisy copies); '' is the templates. The noisy file is
    aligned with train.jsonl followed by the authored files in name order (corpus_writer)."""
    sources = {"": read_jsonl(corpus_dir / "train.jsonl")}
    for path in authored_files(corpus_dir):
        sources[path.stem.removeprefix("train_authored_")] = read_jsonl(path)
    noisy = read_jsonl(corpus_dir / "train_noisy.jsonl")
    if len(noisy) != sum(map(len, sources.values())):
        raise SystemExit("train_noisy.jsonl is stale: run python -m classify.corpus_writer")
    out, start = {}, 0
    for author, clean in sources.items():
        out[author] = (clean, noisy[start:start + len(clean)])
        start += len(clean)
    return out


def run_fold(author: str, data: dict, register, keep_dir: Path | None = None) -> list[dict]:
    """Train without `author`, classify their messages; one record per message and variant."""
    examples = [r for name, (clean, noisy) in data.items() if name != author for r in clean + noisy]
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = keep_dir / author if keep_dir else Path(scratch)
        train(examples, register, model_dir, validate=False)
        classifier = Classifier.load(model_dir, register)
    records = []
    for variant, messages in zip(("clean", "noisy"), data[author]):
        for message, result in zip(messages, classifier.classify_many([m["text"] for m in messages], [m.get("phone") for m in messages])):
            probs = sorted([result.confidence, *(a.confidence for a in result.alternatives)], reverse=True)
            records.append({
                "author": author, "variant": variant, "text": message["text"], "truth": message["category"],
                "predicted": result.category, "confidence": result.confidence, "margin": round(probs[0] - probs[1], 4),
                "runner_up": result.alternatives[0].code, "secondary": result.secondary_category,
                "urgency_truth": message.get("urgency"), "urgency": result.urgency, "urgency_evidence": result.urgency_evidence,
                "grid_unknown": result.grid_id is None, "needs_review": result.needs_review,
            })
            records[-1]["_pair"] = (message, result)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authors", help="comma-separated authors to hold out (default: all)")
    parser.add_argument("--out", type=Path, help="write one JSON line per classified message")
    parser.add_argument("--keep-models", type=Path, help="keep each fold's model in DIR/<author>")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    register, data = load_register(), folds()
    authors = args.authors.split(",") if args.authors else [a for a in data if a]
    pooled = {"clean": [], "noisy": []}
    out = args.out.open("w", encoding="utf-8") if args.out else None
    for author in authors:
        records = run_fold(author, data, register, args.keep_models)
        for variant in ("clean", "noisy"):
            pairs = [r.pop("_pair") for r in records if r["variant"] == variant]
            pooled[variant] += pairs
            report = evaluate([m for m, _ in pairs], [c for _, c in pairs], register)
            print(f"author {author} {variant}: {_summary(report)}", flush=True)
        if out:
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
            out.flush()
    for variant, pairs in pooled.items():
        report = evaluate([m for m, _ in pairs], [c for _, c in pairs], register)
        print(f"pooled {variant}: {_summary(report)}")


def _summary(report) -> str:
    e = report.urgency["emergency"]
    return (f"n {len(report.truth)} accuracy {report.accuracy:.3f} macro-F1 {report.macro_f1:.3f} "
            f"emergency recall {e['recall']:.3f} precision {e['precision']:.3f} "
            f"review {report.review_rate:.3f} catching {report.errors_caught}/{report.errors}")


if __name__ == "__main__":
    main()
