"""What the model sees of a message: tokens that survive recognition errors.

Character 1-3-grams keep working when a word is half wrong, jieba words carry the meaning
when it is right, and toneless pinyin 1-2-grams still match when a recogniser wrote a
homophone (单眼 for 单元, 冷气 for 暖气 shares 'qi'). Place names and numbers are the
locator's business, so they are folded to placeholders here and do not sway the category.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cached_property
from math import log
from operator import add

import jieba

from classify.normalize import normalize
from classify.pinyin import Memo, syllable, syllables
from classify.places import place_names
from registry import Register

jieba.setLogLevel(logging.WARNING)  # it announces every dictionary load on stderr otherwise

_NOT_HAN = re.compile("[^\u4e00-\u9fff#]+")
_JIEBA_BLOCK = re.compile("[\u4e00-\u9fd5#]+")  # a chunk jieba would cut as one block
_NUMBER = re.compile("[0-9]+")
_PINYIN, _PINYIN_PAIR, _WORD = "p:", "p:{}_{}".format, "w:"  # token prefixes
_NO_WORD = float("-inf")  # below any route's log probability
CATEGORY_WORDS = (
    "暖气", "暖气片", "供暖", "供热", "取暖费", "热力公司", "电梯", "楼道灯", "门禁", "漏雨", "下水道", "停水", "停电",
    "水压", "燃气", "煤气", "燃气卡", "跳闸", "垃圾", "小广告", "化粪池", "装修", "广场舞", "噪音", "物业费", "赡养",
    "调解", "电动车", "消防通道", "井盖", "瓷砖", "可疑", "诈骗", "低保", "医保", "养老金", "高龄补贴", "助餐",
    "独居", "陪同", "居住证明", "身份证", "残疾证", "路灯", "减速带", "斑马线", "红绿灯", "家庭医生", "疫苗",
    "血压", "胰岛素", "网格员", "表扬", "建议", "煤气味", "燃气味", "着火", "冒烟", "摔倒", "起不来", "晕倒",
    "叫不醒", "救命",
)


class Analyzer:
    """Text → feature tokens. Picklable: the jieba tokenizer is rebuilt from `words` on load."""

    def __init__(self, words: tuple[str, ...], places: tuple[str, ...]) -> None:
        self.words = words
        self.places = places

    @classmethod
    def for_register(cls, register: Register) -> "Analyzer":
        places = tuple(sorted({p.surface for p in place_names(register)}, key=len, reverse=True))
        return cls(tuple(dict.fromkeys(CATEGORY_WORDS + places)), places)

    def __getstate__(self) -> dict:
        return {"words": self.words, "places": self.places}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["words"], state["places"])

    @cached_property
    def tokenizer(self) -> jieba.Tokenizer:
        """A private tokenizer: the user words never leak into the process-wide jieba."""
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in self.words:
            tokenizer.add_word(word, freq=20000)
        return tokenizer

    @cached_property
    def _word_log(self) -> Memo:
        """Word → log(frequency) - log(total), 0.0 for a prefix of longer words only, None for
        neither: one look-up per step of the segmentation, memoised as strings are met."""
        freq, log_total = self.tokenizer.FREQ, log(self.tokenizer.total)
        return Memo(lambda word: None if (f := freq.get(word)) is None else log(f) - log_total if f else 0.0)

    def words_of(self, chunk: str) -> list[str]:
        """`tokenizer.cut(chunk, HMM=False)`, computed in one pass (see `segment`)."""
        chars = list(chunk)
        return self.segment(chunk, chars, list(map(add, chars, chars[1:])))

    def segment(self, chunk: str, chars: list[str], pairs: list[str]) -> list[str]:
        """`words_of(chunk)`, given its characters and character pairs (a caller that looked
        them up already has their hashes: the first two steps from each position are free).

        The same maximum-probability route over the same prefix dictionary as jieba's
        no-HMM cut, ties to the longer word as there; jieba spends most of its time in
        generators and tuples. Chunks jieba would split into blocks go to jieba itself.
        """
        if not _JIEBA_BLOCK.fullmatch(chunk):
            return list(self.tokenizer.cut(chunk, HMM=False))
        word_log = self._word_log.__getitem__  # a dict subclass's [] goes through a slower slot
        n = len(chunk)
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best_score, best_end = _NO_WORD, k
            lp, i = word_log(chars[k]), k
            while lp is not None:
                if lp:  # a word, not only a prefix (no word's log frequency is 0.0)
                    total = lp + score[i + 1]
                    if total >= best_score:
                        best_score, best_end = total, i
                i += 1
                if i == n:
                    break
                lp = word_log(pairs[k] if i == k + 1 else chunk[k:i + 1])
            if best_score == _NO_WORD:  # an unknown character is a word of its own, frequency 1
                best_score = -log(self.tokenizer.total) + score[k + 1]
            score[k], end[k] = best_score, best_end
        words, x = [], 0
        while x < n:
            y = end[x] + 1
            words.append(chunk[x:y])
            x = y
        return words

    @cached_property
    def _place_pattern(self) -> re.Pattern:
        return re.compile("|".join(map(re.escape, self.places)))

    def clean(self, text: str) -> str:
        """Normalised Han text with places as '#' and numbers dropped, punctuation removed."""
        return self._clean_normalized(normalize(text))

    def _clean_normalized(self, normalized: str) -> str:
        text = self._place_pattern.sub("#", normalized)
        return _NOT_HAN.sub(" ", _NUMBER.sub("", text)).strip()

    def __call__(self, text: str) -> list[str]:
        return self.tokens(normalize(text))

    def tokens(self, normalized: str) -> list[str]:
        """The tokens of a text already passed through `normalize` (callers that need the
        normalised text anyway save doing it twice)."""
        tokens: list[str] = []
        extend = tokens.extend
        for chunk in self._clean_normalized(normalized).split():
            # characters, character bigrams and trigrams, syllables and syllable bigrams, words
            bigrams = list(map(str.__add__, chunk, chunk[1:]))
            extend(chunk)
            extend(bigrams)
            extend(map(str.__add__, bigrams, chunk[2:]))
            sounds = syllables(chunk)
            extend(map(_PINYIN.__add__, sounds))
            extend(map(_PINYIN_PAIR, sounds, sounds[1:]))
            extend(_WORD + w for w in self.words_of(chunk) if len(w) > 1)
        return tokens


class TokenCounter:
    """The vocabulary indices of an `Analyzer`'s tokens, counted without building the tokens.

    Same counts as `Counter(vocabulary[t] for t in analyzer.tokens(text) if t in vocabulary)`,
    but a syllable's or syllable pair's id is looked up by its character or character pair
    (memoised) instead of as a new 'p:...' string: the classifier's busiest loop.
    """

    def __init__(self, analyzer: Analyzer, vocabulary: dict[str, int]) -> None:
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.syllable_ids: dict[str, int] = {}
        self.pair_ids: dict[tuple[str, str], int] = {}
        self.word_ids: dict[str, int] = {}
        for token, j in vocabulary.items():
            if token.startswith(_PINYIN):
                sounds = token[len(_PINYIN):].split("_")
                if len(sounds) == 1:
                    self.syllable_ids[sounds[0]] = j
                elif len(sounds) == 2:
                    self.pair_ids[sounds[0], sounds[1]] = j
            elif token.startswith(_WORD):
                self.word_ids[token[len(_WORD):]] = j
        self._syllable_id_of = Memo(lambda char: self.syllable_ids.get(syllable(char)))
        self._pair_id_of = Memo(lambda pair: self.pair_ids.get((syllable(pair[0]), syllable(pair[1]))))

    def __call__(self, normalized: str, memo: dict[str, list[int | None]] | None = None) -> Counter:
        """Vocabulary index → count for a text already through `normalize`.

        `memo` (chunk → its ids) lets the clauses of one message reuse the whole message's
        chunks: a chunk's ids depend on the chunk alone.
        """
        ids: list[int | None] = []
        for chunk in self.analyzer._clean_normalized(normalized).split():
            found = memo.get(chunk) if memo is not None else None
            if found is None:
                found = self._chunk_ids(chunk)
                if memo is not None:
                    memo[chunk] = found
            ids += found
        counts = Counter(ids)
        counts.pop(None, None)
        return counts

    def _chunk_ids(self, chunk: str) -> list[int | None]:
        """The ids (None: not in the vocabulary) of one chunk's tokens, in `Analyzer.tokens` order."""
        text_id = self.vocabulary.get
        chars = list(chunk)  # one string per character, hashed once for all the look-ups
        bigrams = list(map(add, chars, chars[1:]))  # operator.add: no argument tuple per call, as str.__add__ has
        ids = list(map(text_id, chars))
        ids += map(text_id, bigrams)
        ids += map(text_id, map(add, bigrams, chars[2:]))
        ids += map(self._syllable_id_of.__getitem__, chars)
        ids += map(self._pair_id_of.__getitem__, bigrams)
        word_id = self.word_ids.get
        ids += [word_id(w) for w in self.analyzer.segment(chunk, chars, bigrams) if len(w) > 1]
        return ids
