"""Joining recogniser tokens into the transcript text the rest of the hotline reads.

Chinese is written without spaces, but recognisers emit word tokens (Vosk) or pieces with
stray spaces (Whisper). Spaces stay only where a script needs them (Latin, Hangul).
"""
from __future__ import annotations

import re
from typing import Iterable

# Han ideographs, CJK punctuation and full-width forms: no space between two of these.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def join_tokens(tokens: Iterable[str]) -> str:
    """Join tokens with single spaces, then drop the spaces between Chinese characters."""
    return remove_cjk_spaces(" ".join(token.strip() for token in tokens if token.strip()))


def remove_cjk_spaces(text: str) -> str:
    """'我 家 暖气 不 热' -> '我家暖气不热'; 'ok 我 知道' -> 'ok 我知道'."""
    return _SPACE_BETWEEN_CJK.sub("", " ".join(text.split()))
