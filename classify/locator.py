"""Find the grid a caller belongs to from the place they name, else from the caller registry.

Callers name a compound and building (明源十五号楼), a street and door number, a lane, or
a landmark; recognisers garble the names (明年15号楼, 毕业七号楼). Names are matched by
string and by toneless pinyin; a pinyin match only counts when it is close, or when it
sits right before a building or door number, which is also what picks the grid when a
compound is split between grids; a short sound-alike gives way to a longer one, close on
its own, before the same number. Nothing found means grid None, never a silent guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from itertools import combinations, compress, repeat

from classify.normalize import normalize_script, spoken_to_int
from classify.pinyin import Memo, syllable_similarity, syllables
from classify.places import PlaceName, place_names, shared_by_compound_and_street
from classify.records import KnownCaller, Placement
from registry import Register

# Sounds a recogniser leaves for spoken digits (时 for 十, 爱 for 二): sound → numeral.
_NUMERAL_SOUNDS = {"ling": "零", "yi": "一", "yao": "一", "er": "二", "ai": "二", "liang": "二", "san": "三",
                   "si": "四", "wu": "五", "liu": "六", "qi": "七", "ba": "八", "jiu": "九", "shi": "十",
                   "bai": "百"}
_ADDRESS_SOUNDS = (("hao", "lou"), ("hou", "lou"), ("dong",), ("chuang",), ("zhuang",), ("hao",))  # 号楼, 栋, 幢, 号
# What may stand between a place's name and its number: 滨悦新城小区的第十二栋, 滨悦，住十二号楼,
# 滨悦新城楼号是十二 (then the number needs no 号楼 after it), 林业局那边四栋, and a number
# stammered before it is said whole: 明源御景，一，四，十四号楼.
_BEFORE_NUMBER = re.compile(r"(?:小区|花园|家园|那个|这个|那边|那楼|那片|那块|这边|那|这|的|是|住|在|里|第|楼号|不是"
                            r"|[，,、 ]|[零一二两三四五六七八九十幺\d][，,、 ])*")
_NEGATED_THEN = re.compile(r"(?:号楼|号|栋|幢)?[，,、 ]*(?:而)?是")  # 不是五号楼，是六号楼
_FILLER_REACH = 8
# A number said again after a correction: 五号楼，不对，六号楼.
# 五号楼，哎不是，六号楼 and 二号楼，哦不对，十六号楼 too.
_CORRECTION = re.compile(r"(?:号楼|号|栋|幢)?[，,、 ]*(?:[哎啊哦噢嗯呃]?(?:不对|不是|说错了|错了|不不)|哦不|啊不)[，,、 ]*(?:是|应该是)?")
# A place taken back and another said after it: 在建设路加油站旁边，不对，是在旗汽车站里头.
_TAKEN_BACK = re.compile(r"(?:不对|说错了|不是不是)[，,、 ]*")
_TAKEN_BACK_REACH = 8  # characters from a name's end to the 不对 that takes it back
TAKEN_BACK_PENALTY = 0.3
# A building said before its compound: 八号楼，阳光的; 我们七号楼，西拉沐沦花园的整栋楼.
# The number opens its clause (not 吉祥二十号楼，滨悦新城的: that number is 吉祥's).
_NUMBER_BEFORE = re.compile(r"(?:^|(?<=[，,。！？、 ])|(?<=我们|我家|我是|我住|咱们|俺家|咱家))"
                            r"(?:(\d{1,3})|([零一二两三四五六七八九十幺]{1,4}))(?:号楼|栋|幢)[，,、 ]+$")
_OWNER_AFTER = re.compile(r"(?:小区|那边|那楼|那片|那块|这边)?的")
_BUILDING_SOUNDS = frozenset({("hao", "lou"), ("hou", "lou"), ("dong",), ("chuang",), ("zhuang",)})
# A name spelt out a character at a time: 达，里，花，园，一，二，号楼.
_SPELT = re.compile(r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff][，,、]){3,}(?=[\u4e00-\u9fff])")
_SEPARATORS = re.compile("[，,、]")
# After a number heard without 号楼 (楼号十二), what makes it no building: a unit, floor or room.
_NOT_BUILDING = re.compile(r"单元|门|楼|层|室|户")
_ADDRESS_FIRST = frozenset(a[0] for a in _ADDRESS_SOUNDS)
_NUMERAL_SOUND_SET = frozenset(_NUMERAL_SOUNDS)  # digits sound as numerals too (pinyin.syllable)
_ADDRESS_PREFIXES = frozenset(_ADDRESS_SOUNDS)  # looked up as the next one and two sounds
_MAX_NUMBER_CHARS = 5  # 一百三十五
_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百幺")
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
    partial: bool = False  # a lane heard without its community (东一巷): below any whole name

    @property
    def score(self) -> float:
        return (self.similarity + (0.1 if self.number is not None else 0.0) + 0.01 * len(self.place.surface)
                - (0.5 if self.partial else 0.0))


# Whose place it is: 我是XX的 / 我家在XX names the caller's home, 去XX看病 a place passed by.
# (不是 她住在, 记得住在: someone else's home; 不是 早上, 晚上: a time.)
_HOME_BEFORE = re.compile(r"(?:我是|我家|我住|(?<![他她得说])住在|(?<![他她])家在|(?<![他她])家住|俺家|俺是|俺住|咱家|我们|咱们"
                          r"|我这儿是|我这是)[^，,。！？]{0,4}$")
_PASSING_BEFORE = re.compile(r"(?:去|到|(?<![早晚马楼路])上|从|路过|送|往)[^，,。！？]{0,1}$")
_PASSING_AFTER = re.compile(r"[^，,。！？]{0,6}(?:看病|买菜|买东西|办事|回来|拿药|开药|住院)")
CUE_WEIGHT = 0.15
# A short landmark name inside a longer word: 一中午, 二小时.
_SHORT_NAME_BREAKERS = "午间途时年级"
# A lane said as its own words, the community anywhere near: 黄岗那片平房东一巷, 东一巷（黄岗那边）.
_LANE_SOUNDS = re.compile(r"(?:^| )(dong|xi) (yi|er|liang|yao) (xiang|hang|xian)(?= |$)")
_LANE_FIRST, _LANE_LAST = frozenset(("dong", "xi")), frozenset(("xiang", "hang", "xian"))  # checked before that search
_LANE_REACH = 16  # characters either side in which the community is looked for
LANE_PREFIX_THRESHOLD = 0.8


def _cue(text: str, match: "Match") -> float:
    """+CUE_WEIGHT for the caller's home, -CUE_WEIGHT for a place passed by, else 0."""
    before = text[max(0, match.start - 8):match.start]
    if _HOME_BEFORE.search(before):
        return CUE_WEIGHT
    if _PASSING_BEFORE.search(before) or _PASSING_AFTER.match(text, match.end):
        return -CUE_WEIGHT
    return 0.0


def _digits_at(text: str, start: int) -> tuple[int, int] | None:
    """(value, end) of the Arabic digits at `start`, else None."""
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return (int(text[start:end]), end) if end > start else None


def _number_run(text: str, sounds: list[str], start: int) -> tuple[int, int] | None:
    """(value, end) of a building/door number at `start` followed by 号楼/栋/号, else None."""
    digits = _digits_at(text, start)
    if digits is not None:
        value, end = digits
    else:
        numeral, end = "", start
        while end < len(text) and len(numeral) < _MAX_NUMBER_CHARS and sounds[end] in _NUMERAL_SOUNDS:
            numeral += _NUMERAL_SOUNDS[sounds[end]]
            end += 1
        value = spoken_to_int(numeral) if numeral else None
        if value is None:
            return None
    following = tuple(sounds[end:end + 2])
    if (following[:1] in _ADDRESS_PREFIXES or following in _ADDRESS_PREFIXES) and not (following[0] == "hao" and text[end + 1:end + 2] == "室"):
        return value, end
    return None


def _bare_number(text: str, sounds: list[str], start: int) -> tuple[int, int] | None:
    """(value, end) of a number said without 号楼 after it, else None (楼号十二, not 三单元)."""
    digits = _digits_at(text, start)
    if digits is not None:
        value, end = digits
    else:
        end = start
        while end < len(text) and end - start < _MAX_NUMBER_CHARS and text[end] in _NUMERAL_CHARS:
            end += 1
        value = spoken_to_int(text[start:end]) if end > start else None
    if value is None or _NOT_BUILDING.match(text, end):
        return None
    return value, end


def _number_after(text: str, sounds: list[str], end: int) -> tuple[int, bool] | None:
    """(number, said right after the name, said as a building) for the building or door number that follows a
    name ending at `end`, past a few filler words, taking a correction into account."""
    run = _number_run(text, sounds, end)
    immediate = run is not None
    if run is None:
        filler = _BEFORE_NUMBER.match(text, end, end + _FILLER_REACH)
        if filler is None or filler.end() == end:
            return None
        run = _number_run(text, sounds, filler.end())
        if run is None and "楼号" in filler.group(0):
            run = _bare_number(text, sounds, filler.end())
        if run is None:
            return None
    value, run_end = run
    correction = _CORRECTION.match(text, run_end) if run_end + 1 < len(text) else None
    if correction is None and not immediate and "不是" in filler.group(0):
        correction = _NEGATED_THEN.match(text, run_end)
    if correction is not None and correction.end() > run_end + 1:
        corrected = _number_run(text, sounds, correction.end())
        if corrected is not None:
            return corrected[0], False, _is_building(sounds, corrected[1])
    return value, immediate, _is_building(sounds, run_end)


def _is_building(sounds: list[str], end: int) -> bool:
    """Whether the number ending at `end` was said as a building (号楼, 栋), not a door (号)."""
    return tuple(sounds[end:end + 2]) in _BUILDING_SOUNDS or tuple(sounds[end:end + 1]) in _BUILDING_SOUNDS


def _number_before(text: str, start: int, end: int) -> int | None:
    """A building said before its compound's name (八号楼，阳光的), else None."""
    if not _OWNER_AFTER.match(text, end):
        return None
    m = _NUMBER_BEFORE.search(text, max(0, start - 10), start)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else spoken_to_int(m.group(2))


def _covered(match: Match, matches: list[Match]) -> bool:
    """Whether a sound-alike match is the tail of a longer match before the same number, one
    close enough without that number: the longer name accounts for more of what was heard.
    In 炒盐民诸酒后楼, 民诸 ~ 民族(街) is the end of 炒盐民诸 ~ 草原明珠."""
    return match.similarity < 1.0 and match.number is not None and any(
        other.end == match.end and other.start < match.start and other.number is not None
        and other.similarity >= PINYIN_THRESHOLDS.get(len(other.place.surface), LONG_NAME_THRESHOLD) for other in matches)


def _taken_back(text: str, matches: list[Match]) -> dict[int, float]:
    """Matches the caller took back (X，不对，是Y): id(match) → penalty."""
    out: dict[int, float] = {}
    for back in _TAKEN_BACK.finditer(text):
        if not any(o.start >= back.end() for o in matches):
            continue  # nothing said instead
        for m in matches:
            if m.end <= back.start() <= m.end + _TAKEN_BACK_REACH and not any(c in "。！？" for c in text[m.end:back.start()]):
                out[id(m)] = TAKEN_BACK_PENALTY
    return out


# What an operator reads of a placement's evidence: the console shows it in Chinese, the
# records keep it in English. One (pattern, Chinese) per kind of line `Locator` writes.
_EVIDENCE_ZH = tuple((re.compile(pattern), chinese) for pattern, chinese in (
    (r"heard '(?P<heard>[^']*)' ~ (?P<name>.+) \(exact\)", "听到“{heard}”：{name}"),
    (r"heard '(?P<heard>[^']*)' ~ (?P<name>.+) \(pinyin (?P<p>[\d.]+)\)", "听到“{heard}”：音近{name}（相似度 {p}）"),
    (r"heard '(?P<heard>[^']*)' ~ (?P<name>.+), grid unclear", "听到“{heard}”：像是{name}，网格不明"),
    (r"building (?P<n>\d+) \((?P<span>.*)\)", "{n}号楼（{span}）"),
    (r"number (?P<n>\d+) \((?P<span>.*)\)", "{n}号（{span}）"),
    (r"no place named; caller (?P<phone>\S+) registered in (?P<grid>\S+) \((?P<address>.*)\)",
     "未说地点；来电号码 {phone} 登记在 {grid}（{address}）"),
    (r"no place named; caller (?P<phone>\S+) placed in (?P<grid>\S+) by an operator on ticket (?P<ticket>\S+)",
     "未说地点；此号码此前的工单 {ticket} 由工作人员定在 {grid}"),
    (r"no place named and caller not registered", "未说地点，来电号码也未登记"),
    (r"grid ambiguous between (?P<grids>.+); caller registered in (?P<grid>\S+)", "网格可能是 {grids}，按来电登记取 {grid}"),
    (r"grid ambiguous between (?P<grids>.+): no community said", "网格在 {grids} 之间不能确定：没说是哪个社区的"),
    (r"grid ambiguous between (?P<grids>.+): no building or door number that settles it",
     "网格在 {grids} 之间不能确定：没说能定网格的楼号或门牌"),
))


def evidence_in_chinese(evidence: str) -> str:
    """One line of placement evidence for the operator: "building 15 (HG-04 1-12)" → 15号楼（HG-04 1-12）."""
    for pattern, chinese in _EVIDENCE_ZH:
        if found := pattern.fullmatch(evidence):
            return chinese.format(**found.groupdict())
    return evidence


class Locator:
    """Built once per register: name forms, their pinyin, and an index by pairs of syllables."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.names = place_names(register)
        self.name_sounds = [syllables(p.surface) for p in self.names]
        self._name_syllables = frozenset(s for sounds in self.name_sounds for s in sounds)
        # Pairs of a name's syllables: first syllable → second syllable → distance → (offset of the
        # first, name index). Two syllables heard that far apart place a window on the name.
        self._pairs: dict[str, dict[str, dict[int, list[tuple[int, int]]]]] = {}
        for index, sounds in enumerate(self.name_sounds):
            for first, second in combinations(range(len(sounds)), 2):
                (self._pairs.setdefault(sounds[first], {}).setdefault(sounds[second], {})
                 .setdefault(second - first, []).append((first, index)))
        # First syllable → the farthest its second can be: most syllables start no long name.
        self._reach = {first: max(max(by_distance) for by_distance in followers.values()) for first, followers in self._pairs.items()}
        self.numbered = [i for i, p in enumerate(self.names) if p.kind in ("compound", "street")]
        # By length: syllable heard → the numbered names that long whose first syllable it is like.
        self._numbered_like = {length: Memo(partial(self._numbered_starting_like, length=length))
                               for length in sorted({len(self.name_sounds[i]) for i in self.numbered})}
        self.exact = re.compile("|".join(re.escape(p.surface) for p in sorted(self.names, key=lambda p: -len(p.surface))))
        self.by_surface: dict[str, list[PlaceName]] = {}
        for p in self.names:
            self.by_surface.setdefault(p.surface, []).append(p)
        self.index_of_surface = {surface: self.names.index(ps[0]) for surface, ps in self.by_surface.items()}
        self.shared = shared_by_compound_and_street(self.names)
        self.grids_of: dict[tuple[str, str], list[tuple[str, int | None, int | None]]] = {}
        # What a pinyin window of each name needs before its similarity is worth computing: a
        # number right after it (a short name only counts so anchored), or a number anywhere.
        self._thresholds = [PINYIN_THRESHOLDS.get(len(p.surface), LONG_NAME_THRESHOLD) for p in self.names]
        self._must_anchor = [threshold > 0.99 for threshold in self._thresholds]
        self._needs_number = [p.needs_number for p in self.names]
        # Lanes by their own part (东一巷) and their community's sounds (黄岗 → huang gang).
        self.lanes: dict[str, list[tuple[str, list[str], PlaceName]]] = {}
        for grid in register.grids:
            for area in grid.areas:
                self.grids_of.setdefault((area.kind, area.name), []).append((grid.id, area.low, area.high))
                prefix, _, part = area.name.partition("平房区")
                if area.kind == "lane" and part:
                    place = PlaceName(area.name, "lane", area.name, True)
                    self.lanes.setdefault(part, []).append((prefix, syllables(prefix), place))
                    if len(prefix) >= 3:  # 斯哈图 for 阿斯哈图, 格尔 for 贡格尔
                        self.lanes[part].append((prefix[1:], syllables(prefix[1:]), place))
                    self.grids_of.setdefault(("lane", part), []).append((grid.id, None, None))
        self._lane_parts = {tuple(syllables(part)): part for part in self.lanes}
        # Syllable heard → the lane prefixes of a lane part whose first syllable it is like.
        self._lane_starts = {part: Memo(partial(self._prefixes_starting_like, part)) for part in self.lanes}
        # Per name, per syllable: syllable heard → its similarity to that syllable of the name.
        likeness = {s: Memo(partial(syllable_similarity, b=s)) for s in self._name_syllables}
        self._name_likeness = [tuple(likeness[s] for s in sounds) for sounds in self.name_sounds]

    def matches(self, text: str) -> list[Match]:
        sounds = syllables(text)
        found: dict[tuple[int, int, str], Match] = {}
        # A building or door number needs 号/栋/号楼 after it: without those sounds there is none.
        numbers_possible = not _ADDRESS_FIRST.isdisjoint(sounds) and not _NUMERAL_SOUND_SET.isdisjoint(sounds)
        runs: dict[int, tuple[int, bool] | None] = {}

        def number_at(end: int) -> tuple[int, bool] | None:
            if not numbers_possible:
                return None
            if end not in runs:
                runs[end] = _number_after(text, sounds, end)
            return runs[end]

        def add(place: PlaceName, start: int, end: int, similarity: float) -> None:
            if place.kind == "landmark" and len(place.surface) <= 2 and text[end:end + 1] in _SHORT_NAME_BREAKERS:
                return
            if (similarity < 1.0 and text[end - 1] in _NUMERAL_CHARS and text[end:end + 1] in _NUMERAL_CHARS
                    and len(sounds_of) < 3):
                return  # 热水路一零|二号, 就是十|二号楼: a number, not a short name (but 康乐小七|四号楼 is 康乐小区)
            run = number_at(end) if place.kind in ("compound", "street") else None
            if run is None and place.kind == "compound" and similarity == 1.0:
                before = _number_before(text, start, end)
                run = (before, False, True) if before is not None else None
            number = run[0] if run else None
            if place.needs_number:
                if number is None:
                    return
                if place.surface in self.shared and run[2] != (place.kind == "compound"):
                    return  # 贡格尔二十一号楼 is the compound, 贡格尔一百号 the street
                if not any(low is not None and low <= number <= high for _, low, high in self.grids_of[(place.kind, place.name)]):
                    return  # a short form counts only before a number its place has
            if similarity < 1.0:
                anchored = number is not None and run[1] and sounds[start][0] == sounds_of[0][0]
                threshold = PINYIN_THRESHOLDS.get(len(place.surface), LONG_NAME_THRESHOLD)
                if not (similarity >= threshold or anchored and similarity >= ANCHORED_THRESHOLD):
                    return
            match = Match(place, start, end, similarity, number)
            key = (start, end, place.name)
            if key not in found or found[key].score < match.score:
                found[key] = match

        for m in self.exact.finditer(text):
            sounds_of = self.name_sounds[self.index_of_surface[m.group(0)]]
            for place in self.by_surface[m.group(0)]:
                add(place, m.start(), m.end(), 1.0)
        # A close match shares at least two syllables with the name, unless a number anchors it.
        candidates = self._shared_windows(sounds)
        if numbers_possible:
            candidates |= self._anchored_candidates(text, sounds, runs)
        must_anchor, needs_number, thresholds, size = self._must_anchor, self._needs_number, self._thresholds, len(text)
        name_sounds, name_likeness, han = self.name_sounds, self._name_likeness, _HAN.fullmatch
        for start, index in candidates:
            sounds_of = name_sounds[index]
            end = start + len(sounds_of)
            if start < 0 or end > size:
                continue
            if must_anchor[index]:  # only a number right after it, first sounds alike, can let it pass
                if not (numbers_possible and end < size and (sounds[end] in _NUMERAL_SOUNDS or text[end].isdigit())
                        and sounds[start][0] == sounds_of[0][0]):
                    continue
            elif needs_number[index] and not numbers_possible:
                continue
            similarity = sum(map(dict.__getitem__, name_likeness[index], sounds[start:end])) / len(sounds_of)  # sequence_similarity
            # Below its name's threshold, a window needs a number right after it to pass `add`;
            # most windows fail here, so the Han check comes after.
            if similarity >= ANCHORED_THRESHOLD and (
                    similarity >= thresholds[index]
                    or end < size and (sounds[end] in _NUMERAL_SOUNDS or text[end].isdigit()) and sounds[start][0] == sounds_of[0][0]
            ) and han(text, start, end):
                add(self.names[index], start, end, min(similarity, 0.99))
        if not _LANE_LAST.isdisjoint(sounds) and not _LANE_FIRST.isdisjoint(sounds):
            for match in self._lane_matches(text, sounds):
                key = (match.start, match.end, match.place.name)
                if key not in found or found[key].score < match.score:
                    found[key] = match
        return list(found.values())

    def _shared_windows(self, sounds: list[str]) -> set[tuple[int, int]]:
        """(start, name index) of the windows where two or more syllables are the name's own, in place.

        Found from the pairs of name syllables heard close enough to sit in one name: a few
        dozen look-ups a message, where counting every syllable's hits took ~250 steps.
        """
        heard = [(i, s) for i, s in enumerate(sounds) if s in self._name_syllables]
        windows = set()
        for k, (i, s) in enumerate(heard):
            followers = self._pairs.get(s)
            if followers is None:
                continue
            reach = i + self._reach[s]
            for j, t in heard[k + 1:]:
                if j > reach:
                    break
                distances = followers.get(t)
                if distances is not None:
                    for offset, index in distances.get(j - i, ()):
                        windows.add((i - offset, index))
        return windows

    def _lane_matches(self, text: str, sounds: list[str]) -> list[Match]:
        """Lanes said as 东一巷 with their community (黄岗) said anywhere near, else alone."""
        joined = " ".join(sounds)
        out = []
        for m in _LANE_SOUNDS.finditer(joined):
            first = len(joined[: m.start()].split())
            part = self._lane_parts.get((m.group(1), {"liang": "er", "yao": "yi"}.get(m.group(2), m.group(2)), "xiang"))
            if part is None:
                continue
            best = None  # (distance - 4 × similarity, the prefix's rank, start), similarity, start, end, place
            for start in range(max(0, first - _LANE_REACH), min(len(text), first + 4 + _LANE_REACH)):
                # Only prefixes whose first syllable is like the one heard here (an exact or homophone start is).
                for rank, prefix, prefix_sounds, place in self._lane_starts[part][sounds[start]]:
                    n = len(prefix_sounds)
                    if start + n > len(text) or first - n < start < first + 3:
                        continue  # past the end, or overlapping the lane's own words
                    if text[start:start + n] == prefix:
                        similarity = 1.0
                    elif sounds[start:start + n] == prefix_sounds:
                        similarity = 0.99  # a homophone: 黄刚 for 黄岗
                    else:
                        similarity = min(0.99, sum(map(syllable_similarity, sounds[start:start + n], prefix_sounds)) / n)
                        if similarity < LANE_PREFIX_THRESHOLD:
                            continue
                    distance = first - (start + n) if start < first else start - (first + 3)
                    candidate = ((distance - 4 * similarity, rank, start), similarity, min(start, first), max(start + n, first + 3), place)
                    if best is None or candidate[0] < best[0]:
                        best = candidate
            if best is not None:
                out.append(Match(best[4], best[2], best[3], best[1], None))
            else:
                out.append(Match(PlaceName(part, "lane", part, False), first, first + 3, 1.0, None, partial=True))
        return out

    def _anchored_candidates(self, text: str, sounds: list[str], runs: dict) -> set[tuple[int, int]]:
        """Name windows ending right before a number: 毕业|七号楼 shares no syllable with 滨悦."""
        out: set[tuple[int, int]] = set()
        # A number runs up to a 号/栋 sound: walk back from each over numeral sounds.
        starts = set()
        for address in compress(range(len(sounds)), map(_ADDRESS_FIRST.__contains__, sounds)):
            end = address - 1
            while end >= 1 and (sounds[end] in _NUMERAL_SOUNDS or text[end].isdigit()):
                starts.add(end)
                end -= 1
        for end in sorted(starts):
            run = runs.get(end)  # a number right at `end`, whether or not a name was seen before it
            if run is None and end not in runs:
                run = _number_run(text, sounds, end)
            elif run is not None and not run[1]:
                run = None
            if run is None or (text[end - 1].isdigit() and text[end].isdigit()):
                continue
            for length, like in self._numbered_like.items():
                start = end - length
                if start >= 0:
                    out.update(zip(repeat(start), like[sounds[start]]))
        return out

    def _numbered_starting_like(self, sound: str, length: int) -> tuple[int, ...]:
        """Numbered names of `length` syllables whose first syllable is like `sound`."""
        return tuple(index for index in self.numbered
                     if len(self.name_sounds[index]) == length and syllable_similarity(sound, self.name_sounds[index][0]) >= 0.5)

    def _prefixes_starting_like(self, part: str, sound: str) -> tuple[tuple[int, str, list[str], PlaceName], ...]:
        """(rank, prefix, its syllables, place) of the lane part's prefixes whose first syllable is like `sound`."""
        return tuple((rank, *prefix) for rank, prefix in enumerate(self.lanes[part])
                     if syllable_similarity(sound, prefix[1][0]) >= 0.5)

    def locate(self, text: str, phone: str | None = None, known: KnownCaller | None = None) -> Placement:
        """The place said, else the caller's registry entry, else `known` (where an operator put
        this number's earlier ticket), else unknown."""
        return self.locate_script(normalize_script(text), phone, known)

    def locate_script(self, text: str, phone: str | None = None, known: KnownCaller | None = None) -> Placement:
        """`locate` for a text already through `normalize_script` (the classifier has it)."""
        resident = self.register.resident(phone)
        if "，" in text or "," in text or "、" in text:
            text = _SPELT.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
        found = self.matches(text)
        found = [m for m in found if not _covered(m, found)]
        penalty = _taken_back(text, found) if len(found) > 1 and ("不对" in text or "错了" in text or "不是不是" in text) else {}
        matches = sorted(found, key=lambda m: -(m.score + _cue(text, m) - penalty.get(id(m), 0.0)))
        for match in matches:
            placement = self._resolve(match, text, resident.grid_id if resident else None)
            if placement is not None:
                return placement
        if resident is not None:
            return Placement(resident.grid_id, 0.8, "registry", evidence=(f"no place named; caller {resident.phone} registered in {resident.grid_id} ({resident.address})",))
        if known is not None:
            return Placement(known.grid_id, 0.75, "history",
                             evidence=(f"no place named; caller {phone} placed in {known.grid_id} by an operator on ticket {known.ticket_id}",))
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
            evidence.append(f"grid ambiguous between {', '.join(candidates)}; caller registered in {resident_grid}")
            return Placement(resident_grid, 0.75, "registry", place.name, match.number, tuple(evidence))
        if match.similarity < 1.0:
            return None  # a doubtful name that does not settle the grid: look at the next match
        missing = "no community said" if place.kind == "lane" else "no building or door number that settles it"
        evidence.append(f"grid ambiguous between {', '.join(candidates)}: {missing}")
        return Placement(None, 0.0, "none", place.name, match.number, tuple(evidence))
