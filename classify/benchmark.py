"""Classification throughput on one core over the held-out set.

    python -m classify.benchmark [MODEL_DIR]

Trains a model into a temporary directory when none is given. Prints messages per second
for one-at-a-time `classify` and for batched `classify_many` (how `hotline classify --jsonl`
should call it), after a warm-up so that loading is not counted.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from classify.corpus_writer import CORPUS_DIR, read_jsonl
from classify.model import Classifier
from classify.training import default_examples, train
from registry import load_register

BATCH = 256


def main(argv: list[str]) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    register = load_register()
    if argv:
        model_dir = Path(argv[0])
    else:
        model_dir = Path(tempfile.mkdtemp(prefix="classifier-"))
        train(default_examples(), register, model_dir)
    classifier = Classifier.load(model_dir, register)
    examples = read_jsonl(CORPUS_DIR / "heldout.jsonl")
    texts, phones = [e["text"] for e in examples], [e["phone"] for e in examples]
    classifier.classify_many(texts[:20], phones[:20])  # warm-up: jieba dictionary, caches

    start = time.perf_counter()
    for text, phone in zip(texts, phones):
        classifier.classify(text, phone)
    single = len(texts) / (time.perf_counter() - start)

    start = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        classifier.classify_many(texts[i:i + BATCH], phones[i:i + BATCH])
    batched = len(texts) / (time.perf_counter() - start)
    print(f"{len(texts)} held-out messages, model {classifier.version}")
    print(f"one at a time: {single:.0f} messages/s; batches of {BATCH}: {batched:.0f} messages/s")


if __name__ == "__main__":
    main(sys.argv[1:])
