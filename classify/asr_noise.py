"""Corrupt a clean transcript the way a recogniser does, to train a model that survives it.

What Whisper and Vosk get wrong on telephone Mandarin: a character replaced by a common
one with the same (toneless) or a near pinyin (单元 → 单眼, 小区 → 小七), whole words
swapped for a more common homophone, characters dropped or doubled, spoken numbers
written as digits, traditional characters, and punctuation missing.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import jieba
import opencc
from pypinyin import Style, lazy_pinyin

from classify.normalize import spoken_numbers_to_digits

_CJK = re.compile("[\u4e00-\u9fff]")
_NEAR_INITIALS = {"zh": "z", "z": "zh", "ch": "c", "c": "ch", "sh": "s", "s": "sh", "n": "l", "l": "n", "f": "h", "h": "f"}
_NEAR_FINALS = {"ing": "in", "in": "ing", "eng": "en", "en": "eng", "ang": "an", "an": "ang", "u": "i", "ian": "an", "uan": "an"}
_PUNCT = re.compile("[，。！？、,.!?]")
COMMON_CHARS = 3500  # the recogniser's vocabulary of likely characters


def toneless(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL)[0]


@lru_cache(maxsize=1)
def homophone_index() -> dict[str, list[str]]:
    """Toneless pinyin → the most frequent characters with that reading, from jieba's dictionary."""
    freq: dict[str, int] = {}
    with Path(jieba.get_dict_file().name).open(encoding="utf-8") as fh:
        for line in fh:
            word, count, *_ = line.split(" ")
            for ch in word:
                if _CJK.match(ch):
                    freq[ch] = freq.get(ch, 0) + int(count)
    index: dict[str, list[str]] = {}
    for ch in sorted(freq, key=freq.get, reverse=True)[:COMMON_CHARS]:
        index.setdefault(toneless(ch), []).append(ch)
    return index


def _near(syllable: str, rng: random.Random) -> str:
    for initial, other in _NEAR_INITIALS.items():
        if syllable.startswith(initial) and rng.random() < 0.5:
            return other + syllable[len(initial):]
    for final, other in _NEAR_FINALS.items():
        if syllable.endswith(final):
            return syllable[: -len(final)] + other
    return syllable


class AsrNoise:
    """A seeded corrupter: the same seed gives the same noisy corpus."""

    def __init__(self, seed: int, swap_rate: float = 0.1, near_rate: float = 0.04, drop_rate: float = 0.02) -> None:
        self.rng = random.Random(seed)
        self.swap_rate, self.near_rate, self.drop_rate = swap_rate, near_rate, drop_rate
        self.index = homophone_index()
        self.to_traditional = opencc.OpenCC("s2t")

    def _swap(self, ch: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < self.drop_rate:
            return ""
        if roll < 2 * self.drop_rate:
            return ch + ch
        if not _CJK.match(ch) or roll > self.swap_rate + self.near_rate:
            return ch
        syllable = toneless(ch)
        if roll > self.swap_rate:
            syllable = _near(syllable, rng)
        choices = self.index.get(syllable) or [ch]
        # Recognisers favour frequent characters: pick from the head of the list.
        return choices[min(int(rng.expovariate(0.7)), len(choices) - 1)]

    def corrupt(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            text = spoken_numbers_to_digits(text)
        text = "".join(self._swap(ch) for ch in text)
        punct = rng.random()
        if punct < 0.3:
            text = _PUNCT.sub("", text)
        elif punct < 0.7:
            text = _PUNCT.sub(",", text)
        if rng.random() < 0.35:
            text = self.to_traditional.convert(text)
        return text
