"""Classification throughput on one core over the held-out set.

    taskset -c 0 python -m classify.benchmark [MODEL_DIR]

Trains a model into a temporary directory when none is given. Warms up on training
messages (jieba's dictionary, the pinyin and similarity caches: a running service is warm),
then classifies the held-out messages in `PASSES` passes one at a time with `classify`
(the headline: how the pipeline and `hotline classify --jsonl` call it) and in batches with
`classify_many`. Prints the median and best pass in messages per second, by the wall clock
and by this process's CPU time; on a busy machine the CPU figure is closer to what one free
core would do. A shared machine's core is not always as fast: the speed of a plain Python
loop, before and after, tells runs on a slow moment from slow code (on this project's build
machine the loop took 19-29 ms and the headline moved from about 1,000 to 1,800 with it; at
16-17 ms it was 2,200-2,300).
"""
from __future__ import annotations

import os

# Before numpy loads: one core means one BLAS thread.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402
from pathlib import Path  # noqa: E402

from classify.corpus_writer import CORPUS_DIR, read_jsonl  # noqa: E402
from classify.model import Classifier  # noqa: E402
from classify.training import default_examples, train  # noqa: E402
from registry import load_register  # noqa: E402

BATCH = 256
PASSES = 5
WARM_UP = 300


def _core_speed() -> str:
    """How fast this core runs plain Python now: best of five sum(range(10**6)), in ms."""
    return f"{min(timeit.repeat('sum(range(10**6))', number=1, repeat=5)) * 1000:.1f} ms"


def _rates(run, count: int) -> tuple[float, float]:
    """(messages/s by wall clock, messages/s by CPU time) for `run()` handling `count` messages."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def main(argv: list[str]) -> None:
    register = load_register()
    if argv:
        model_dir = Path(argv[0])
    else:
        model_dir = Path(tempfile.mkdtemp(prefix="classifier-"))
        train(default_examples(), register, model_dir)
    classifier = Classifier.load(model_dir, register)
    warm = read_jsonl(CORPUS_DIR / "train.jsonl")[:WARM_UP]
    classifier.classify_many([e["text"] for e in warm], [e["phone"] for e in warm])
    examples = read_jsonl(CORPUS_DIR / "heldout.jsonl")
    texts, phones = [e["text"] for e in examples], [e["phone"] for e in examples]

    def single() -> None:
        for text, phone in zip(texts, phones):
            classifier.classify(text, phone)

    def batched() -> None:
        for i in range(0, len(texts), BATCH):
            classifier.classify_many(texts[i:i + BATCH], phones[i:i + BATCH])

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    print(f"{len(examples)} held-out messages, {PASSES} passes, model {classifier.version}, cores allowed: {affinity}; "
          f"sum(range(10**6)) before: {_core_speed()}")
    for label, run in (("classify, one at a time (headline)", single), (f"classify_many, batches of {BATCH}", batched)):
        walls, cpus = zip(*(_rates(run, len(texts)) for _ in range(PASSES)))
        print(f"{label:36s} median {statistics.median(walls):5.0f} messages/s wall ({statistics.median(cpus):5.0f} CPU); "
              f"best {max(walls):5.0f} wall ({max(cpus):5.0f} CPU)")
    print(f"sum(range(10**6)) after: {_core_speed()}")

if __name__ == "__main__":
    main(sys.argv[1:])
