"""Find the grid a caller belongs to from the place they name, else from the caller registry.

Callers name a compound and building (明源十五号楼), a street and door number, a lane, or
a landmark; recognisers garble the names (明年15号楼, 毕业七号楼). Names are matched by
string and by toneless pinyin; a pinyin match only counts when it is close, or when it
sits right before a building or door number, which is also what picks the grid when a
compound is split between grids. Nothing found means grid None, never a silent guess.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from classify.normalize import normalize_script, spoken_to_int
from classify.pinyin import syllable_similarity, syllables
from classify.places import PlaceName, place_names
from classify.records import Placement
from registry import Register

# Sounds a recogniser leaves for spoken digits (时 for 十, 爱 for 二): sound → numeral.
_NUMERAL_SOUNDS = {"ling": "零", "yi": "一", "yao": "一", "er": "二", "ai": "二", "liang": "二", "san": "三",
                   "si": "四", "wu": "五", "liu": "六", "qi": "七", "ba": "八", "jiu": "九", "shi": "十",
                   "bai": "百"}
_ADDRESS_SOUNDS = (("hao", "lou"), ("hou", "lou"), ("dong",), ("hao",))  # 号楼, 栋, 号
_ADDRESS_FIRST = frozenset(a[0] for a in _ADDRESS_SOUNDS)
_MAX_NUMBER_CHARS = 4
_HAN = re.compile("[\u4e00-\u9fff]+")
PINYIN_THRESHOLDS = {2: 1.01, 3: 0.9, 4: 0.8, 5: 0.8}  # by name length: this close counts anywhere
LONG_NAME_THRESHOLD = 0.75
ANCHORED_THRESHOLD = 0.6  # ...and this close when a building or door number follows


@dataclass(frozen=True)
class Match:
    place: PlaceName
    start: int
    end: int
    similarity: float  # 1.0 for the very characters, else pinyin similarity
    number: int | None

    @property
    def score(self) -> float:
        return self.similarity + (0.1 if self.number is not None else 0.0) + 0.01 * len(self.place.surface)


def _number_run(text: str, sounds: list[str], start: int) -> tuple[int, int] | None:
    """(value, end) of a building/door number at `start` followed by 号楼/栋/号, else None."""
    if start < len(text) and text[start].isdigit():
        end = start
        while end < len(text) and text[end].isdigit():
            end += 1
        value = int(text[start:end])
    else:
        numeral, end = "", start
        while end < len(text) and len(numeral) < _MAX_NUMBER_CHARS and sounds[end] in _NUMERAL_SOUNDS:
            numeral += _NUMERAL_SOUNDS[sounds[end]]
            end += 1
        value = spoken_to_int(numeral) if numeral else None
        if value is None:
            return None
    following = tuple(sounds[end:end + 2])
    if any(following[: len(a)] == a for a in _ADDRESS_SOUNDS):
        return value, end
    return None


class Locator:
    """Built once per register: name forms, their pinyin, and an index by syllable."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.names = place_names(register)
        self.name_sounds = [syllables(p.surface) for p in self.names]
        self.by_syllable: dict[str, list[tuple[int, int]]] = {}
        for i, sounds in enumerate(self.name_sounds):
            for offset, s in enumerate(sounds):
                self.by_syllable.setdefault(s, []).append((i, offset))
        # The same index as one int per (name, offset): a window start × _SLOTS + name index
        # is then one addition per hit, which keeps the per-message counting cheap.
        self._slots = len(self.names)
        self._hit_codes: dict[str, tuple[int, ...]] = {
            s: tuple(i - offset * self._slots for i, offset in pairs) for s, pairs in self.by_syllable.items()}
        self.numbered = [i for i, p in enumerate(self.names) if p.kind in ("compound", "street")]
        self._numbered_lengths = sorted({len(self.name_sounds[i]) for i in self.numbered})
        self._like_cache: dict[tuple[str, int], tuple[int, ...]] = {}  # bounded: syllables × lengths
        self.exact = re.compile("|".join(re.escape(p.surface) for p in sorted(self.names, key=lambda p: -len(p.surface))))
        self.by_surface = {p.surface: p for p in self.names}
        self.index_of_surface = {surface: self.names.index(p) for surface, p in self.by_surface.items()}
        self.grids_of: dict[tuple[str, str], list[tuple[str, int | None, int | None]]] = {}
        for grid in register.grids:
            for area in grid.areas:
                self.grids_of.setdefault((area.kind, area.name), []).append((grid.id, area.low, area.high))

    def matches(self, text: str) -> list[Match]:
        sounds = syllables(text)
        found: dict[tuple[int, int, str], Match] = {}
        # A building or door number needs 号/栋/号楼 after it: without those sounds there is none.
        numbers_possible = not _ADDRESS_FIRST.isdisjoint(sounds)
        runs: dict[int, tuple[int, int] | None] = {}

        def number_at(end: int) -> tuple[int, int] | None:
            if not numbers_possible:
                return None
            if end not in runs:
                runs[end] = _number_run(text, sounds, end)
            return runs[end]

        def add(place: PlaceName, start: int, end: int, similarity: float) -> None:
            run = number_at(end) if place.kind in ("compound", "street") else None
            number = run[0] if run else None
            if place.needs_number and number is None:
                return
            if similarity < 1.0:
                anchored = number is not None and sounds[start][0] == sounds_of[0][0]
                threshold = PINYIN_THRESHOLDS.get(len(place.surface), LONG_NAME_THRESHOLD)
                if not (similarity >= threshold or anchored and similarity >= ANCHORED_THRESHOLD):
                    return
            match = Match(place, start, end, similarity, number)
            key = (start, end, place.name)
            if key not in found or found[key].score < match.score:
                found[key] = match

        for m in self.exact.finditer(text):
            sounds_of = self.name_sounds[self.index_of_surface[m.group(0)]]
            add(self.by_surface[m.group(0)], m.start(), m.end(), 1.0)
        # A close match shares at least two syllables with the name, unless a number anchors it.
        slots, codes = self._slots, self._hit_codes
        keys: list[int] = []
        for i, s in enumerate(sounds):
            at = codes.get(s)
            if at:
                keys.extend(map((i * slots).__add__, at))
        hits = Counter(keys)
        candidates = {divmod(key, slots) for key, n in hits.items() if n >= 2}
        if numbers_possible:
            candidates |= self._anchored_candidates(text, sounds, number_at)
        for start, index in candidates:
            sounds_of = self.name_sounds[index]
            end = start + len(sounds_of)
            if start < 0 or end > len(text) or not _HAN.fullmatch(text, start, end):
                continue
            similarity = sum(map(syllable_similarity, sounds[start:end], sounds_of)) / len(sounds_of)  # sequence_similarity
            if similarity >= ANCHORED_THRESHOLD:
                add(self.names[index], start, end, min(similarity, 0.99))
        return list(found.values())

    def _anchored_candidates(self, text: str, sounds: list[str], number_at) -> set[tuple[int, int]]:
        """Name windows ending right before a number: 毕业|七号楼 shares no syllable with 滨悦."""
        out = set()
        for end in range(1, len(text)):
            if not (sounds[end] in _NUMERAL_SOUNDS or text[end].isdigit()):
                continue  # no number can start here (the test _number_run begins with)
            if number_at(end) is None or (text[end - 1].isdigit() and text[end].isdigit()):
                continue
            for length in self._numbered_lengths:
                start = end - length
                if start >= 0:
                    out.update((start, index) for index in self._numbered_like(sounds[start], length))
        return out

    def _numbered_like(self, sound: str, length: int) -> tuple[int, ...]:
        """Numbered names of `length` syllables whose first syllable is like `sound` (memoised)."""
        key = (sound, length)
        found = self._like_cache.get(key)
        if found is None:
            found = self._like_cache[key] = tuple(
                index for index in self.numbered
                if len(self.name_sounds[index]) == length and syllable_similarity(sound, self.name_sounds[index][0]) >= 0.5)
        return found

    def locate(self, text: str, phone: str | None = None) -> Placement:
        return self.locate_script(normalize_script(text), phone)

    def locate_script(self, text: str, phone: str | None = None) -> Placement:
        """`locate` for a text already through `normalize_script` (the classifier has it)."""
        resident = self.register.resident(phone)
        matches = sorted(self.matches(text), key=lambda m: -m.score)
        for match in matches:
            placement = self._resolve(match, text, resident.grid_id if resident else None)
            if placement is not None:
                return placement
        if resident is not None:
            return Placement(resident.grid_id, 0.8, "registry", evidence=(f"no place named; caller {resident.phone} registered in {resident.grid_id} ({resident.address})",))
        evidence = tuple(f"heard '{text[m.start:m.end]}' ~ {m.place.name}, grid unclear" for m in matches[:1])
        return Placement(None, 0.0, "none", evidence=evidence or ("no place named and caller not registered",))

    def _resolve(self, match: Match, text: str, resident_grid: str | None) -> Placement | None:
        place = match.place
        heard = text[match.start:match.end]
        how = "exact" if match.similarity == 1.0 else f"pinyin {match.similarity:.2f}"
        evidence = [f"heard '{heard}' ~ {place.name} ({how})"]
        areas = self.grids_of[(place.kind, place.name)]
        grids = sorted({g for g, low, high in areas
                        if match.number is None or low is None or low <= match.number <= high})
        if match.number is not None:
            span = ", ".join(f"{g} {low}-{high}" for g, low, high in areas if low is not None)
            evidence.append(f"{'building' if place.kind == 'compound' else 'number'} {match.number} ({span})")
        confidence = 0.97 if match.similarity == 1.0 else 0.45 + 0.5 * match.similarity
        if len(grids) == 1:
            return Placement(grids[0], confidence, place.kind, place.name, match.number, tuple(evidence))
        candidates = grids or sorted({g for g, _, _ in areas})
        if resident_grid in candidates:
            evidence.append(f"grid ambiguous {candidates}; caller registered in {resident_grid}")
            return Placement(resident_grid, 0.75, "registry", place.name, match.number, tuple(evidence))
        if match.similarity < 1.0:
            return None  # a doubtful name that does not settle the grid: look at the next match
        evidence.append(f"grid ambiguous between {', '.join(candidates)}: no building number that settles it")
        return Placement(None, 0.0, "none", place.name, match.number, tuple(evidence))
