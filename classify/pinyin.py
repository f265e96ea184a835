"""Toneless pinyin, the common ground between what was said and what a recogniser wrote.

Whisper writes 毕业 for 滨悦 and 时号楼 for 十号楼: the characters differ but the sounds are
close. Comparing syllables, not characters, lets the locator, the urgency rules and the
model's features see through such errors.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from pypinyin import Style, lazy_pinyin

_DIGIT_SOUNDS = ("ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu")
# Character → syllable, filled from pypinyin once per character (`preload` or first sight):
# a plain dict lookup per character afterwards. Bounded by the characters there are.
_TABLE: dict[str, str] = {}


def _lookup(char: str) -> str:
    if char.isdigit() and char.isascii():
        return _DIGIT_SOUNDS[int(char)]
    return lazy_pinyin(char, style=Style.NORMAL, errors=lambda c: c)[0]


def syllable(char: str) -> str:
    """One character's toneless pinyin; digits read aloud; anything else is itself."""
    try:
        return _TABLE[char]
    except KeyError:
        sound = _TABLE[char] = _lookup(char)
        return sound


def syllables(text: str) -> list[str]:
    try:
        return list(map(_TABLE.__getitem__, text))
    except KeyError:
        return [syllable(ch) for ch in text]


def preload(chars: Iterable[str]) -> None:
    """Fill the table for these characters now (e.g. the register's and the model's), so
    the first messages do not pay for pypinyin."""
    for char in set(chars):
        syllable(char)


class Memo(dict):
    """key → function(key), computed on first use and then a plain dict look-up, even from `map`.
    For data per character, syllable or short string: it grows only as new ones are met, and
    starts afresh at `LIMIT` entries (a bound on memory; the values are recomputed as needed)."""

    LIMIT = 200_000

    def __init__(self, function: Callable) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key):
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[key] = self.function(key)
        return value


@lru_cache(maxsize=100000)
def syllable_similarity(a: str, b: str) -> float:
    """1 for the same syllable, falling with letter edits: xing~xin 0.75, nian~yuan 0.5."""
    if a == b:
        return 1.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def sequence_similarity(heard: list[str], target: list[str]) -> float:
    """Mean syllable similarity of two equally long syllable sequences."""
    return sum(syllable_similarity(a, b) for a, b in zip(heard, target)) / len(target)
