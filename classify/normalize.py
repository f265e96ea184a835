"""One text form for every transcript, whichever recogniser or hand wrote it.

Whisper answers in traditional characters and digits, Vosk in simplified characters and
spoken numbers with spaces between words, operators type full-width digits. Folding all of
them to simplified characters, half-width forms and digits in address contexts means the
locator and the model see '12号楼' however the caller's '十二号楼' was written down.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

DIGIT_CHARS = {"零": 0, "〇": 0, "洞": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4,
               "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNIT_CHARS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS, _UNIT_CHARS = frozenset(DIGIT_CHARS) | frozenset(UNIT_CHARS), frozenset(UNIT_CHARS)
_DIGIT_TABLE = str.maketrans({ch: str(digit) for ch, digit in DIGIT_CHARS.items()})

# A spoken count before an address word: 十二号楼, 一百零八号, 三单元, 六楼, 五栋.
_NUMERAL = "[零〇一二两三四五六七八九十百千幺]"
_ADDRESS_WORD = "(?=号楼|号院|号|栋|幢|单元|楼|层|室|户)"
_COUNTED = re.compile(f"(?<![第周星礼拜]){_NUMERAL}+{_ADDRESS_WORD}")
# Digit-by-digit room and phone numbers: 五零二, 幺零二, 幺幺九 (three digits or more).
_DIGIT_RUN = re.compile("[零〇洞一幺二两三四五六七八九]{3,}")
_SPACES = re.compile(r"\s+")
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # ！-～ → !-~, ideographic space → space


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    # The config name is spelt with or without '.json' depending on the opencc build.
    try:
        return opencc.OpenCC("t2s")
    except Exception:  # noqa: BLE001 - opencc raises plain Exception for unknown configs
        return opencc.OpenCC("t2s.json")


def to_half_width(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation to their half-width forms (NFKC).

    Those forms are replaced by table first: each by its own NFKC form, so the text's NFKC form
    is unchanged, and what is left is nearly always NFKC already. A quick check then spares the
    full normalisation, which took ~4% of `classify` on text with a full-width comma in it.
    """
    text = text.translate(_FULL_WIDTH)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def to_simplified(text: str) -> str:
    return _to_simplified().convert(text)


def spoken_to_int(numeral: str) -> int | None:
    """'十二' → 12, '一百零八' → 108, '二十' → 20, '五零二' → 502; None when not a number."""
    if not numeral or not _NUMERAL_CHARS.issuperset(numeral):
        return None
    if _UNIT_CHARS.isdisjoint(numeral):
        return int(numeral.translate(_DIGIT_TABLE))
    total, digit = 0, None
    for ch in numeral:
        if ch in DIGIT_CHARS:
            digit = DIGIT_CHARS[ch]
        else:
            total += (1 if digit is None else digit) * UNIT_CHARS[ch]
            digit = None
    return total + (digit or 0)


def _digit_run(match: re.Match) -> str:
    run = match.group(0)
    before = match.string[max(0, match.start() - 2):match.start()]
    # A plain run like 三四五 is a count more often than a room number; keep it unless
    # it has a telltale 零/幺 or follows a unit or building.
    if any(ch in "零〇洞幺" for ch in run) or before.endswith(("单元", "楼", "号")):
        return str(spoken_to_int(run))
    return run


def spoken_numbers_to_digits(text: str) -> str:
    """Spoken numbers in address contexts to digits: 十二号楼 → 12号楼, 五零二 → 502."""
    text = _DIGIT_RUN.sub(_digit_run, text)
    return _COUNTED.sub(lambda m: str(spoken_to_int(m.group(0))), text)


def normalize_script(text: str) -> str:
    """Half-width, simplified, no spaces; numbers left as heard (the locator reads them itself)."""
    return _SPACES.sub("", to_simplified(to_half_width(text)))


def normalize(text: str) -> str:
    """The single entry point: half-width, simplified, no spaces, digits in addresses."""
    return spoken_numbers_to_digits(normalize_script(text))
