"""Character error rate for Chinese transcripts, as the tests and the benchmark score them.

Punctuation and spaces are ignored. Arabic numbers in a transcript are spelled out in
Chinese characters, in whichever reading the reference uses: cardinal ("108" -> 一百零八,
street numbers) or digit by digit ("201" -> 二零一, room numbers). A wrong value still
counts as an error; only the reading style does not.
"""
from __future__ import annotations

import itertools
import re
import unicodedata

_DIGITS = "零一二三四五六七八九"
_NUMBER = re.compile(r"[0-9]+")
_MAX_NUMBER_RUNS = 8  # beyond this, every number is read digit by digit (2^8 readings tried)


def normalise(text: str) -> str:
    """NFKC, then keep letters and digits only: no spaces, no punctuation."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN").lower()


def cer(reference: str, hypothesis: str) -> float:
    """Edit distance over reference length, after `normalise` and number spelling."""
    ref = normalise(reference)
    hyp = normalise(hypothesis)
    if not ref:
        return float(bool(hyp))
    return min(_edit_distance(ref, candidate) for candidate in _number_readings(hyp)) / len(ref)


def _number_readings(text: str) -> list[str]:
    """Every way of spelling out the Arabic numbers in `text` (cardinal or digit by digit)."""
    runs = _NUMBER.findall(text)
    if not runs:
        return [text]
    pieces = _NUMBER.split(text)
    if len(runs) > _MAX_NUMBER_RUNS:
        choices = [(_digit_by_digit(run),) for run in runs]
    else:
        choices = [(_cardinal(run), _digit_by_digit(run)) for run in runs]
    readings = []
    for spelled in itertools.product(*choices):
        parts = [pieces[0]]
        for word, piece in zip(spelled, pieces[1:]):
            parts += [word, piece]
        readings.append("".join(parts))
    return readings


def _digit_by_digit(run: str) -> str:
    return "".join(_DIGITS[int(d)] for d in run)


def _cardinal(run: str) -> str:
    """Read 0..9999 as a Chinese cardinal: 15 -> 十五, 108 -> 一百零八; longer runs digit by digit."""
    value = int(run)
    if value == 0 or value > 9999 or len(run) != len(str(value)):
        return _digit_by_digit(run)
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out, pending_zero = [], False
    for size, unit in units:
        digit, value = divmod(value, size)
        if digit:
            if pending_zero and out:
                out.append("零")
            out.append(_DIGITS[digit] + unit)
            pending_zero = False
        elif out:
            pending_zero = True
    spelled = "".join(out)
    return spelled[1:] if spelled.startswith("一十") else spelled


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
