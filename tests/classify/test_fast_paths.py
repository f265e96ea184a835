"""The fast prediction paths give what the straightforward ones gave: sklearn's transform and
predict_proba, jieba's cut, the analyzer's tokens, pypinyin per character, NFKC, the locator's
windows."""
import unicodedata
from collections import Counter

import numpy as np
import pytest
from pypinyin import Style, lazy_pinyin

from classify import pinyin
from classify.corpus_writer import CORPUS_DIR, read_jsonl
from classify.locator import Locator
from classify.normalize import normalize, normalize_script, to_half_width

ASR_LIKE = [
    "喂,快来眼爱,我是明年15号楼三单眼2010",
    "為,找火了,陰倉路108號那個美式房後頭貌黑煙",
    "我是毕业七号楼三单颜四领外的，暖气不热",
    "你好,阿斯哈土街95号那段路,路灯黑了",
    "",
    "。。。",
]


@pytest.fixture(scope="module")
def texts():
    return [e["text"] for e in read_jsonl(CORPUS_DIR / "heldout.jsonl")[::4]] + ASR_LIKE


def test_scorer_matches_sklearn(classifier, texts):
    model = classifier.model
    x = model.vectorizer.transform(texts)
    expected_categories = model.category_model.predict_proba(x)
    expected_levels = model.urgency_model.predict_proba(x)
    for i, text in enumerate(texts):
        categories, levels, _ = classifier.scorer.probabilities(*classifier.scorer.features(normalize(text)))
        np.testing.assert_allclose(categories, expected_categories[i], rtol=0, atol=1e-9)
        np.testing.assert_allclose(levels, expected_levels[i], rtol=0, atol=1e-9)


def test_token_counter_matches_analyzer(classifier, texts):
    analyzer, vocabulary = classifier.scorer.analyzer, classifier.scorer.vocabulary
    for text in texts:
        expected = Counter(vocabulary[t] for t in analyzer(text) if t in vocabulary)
        assert classifier.scorer.count(normalize(text)) == expected


def test_segmenter_matches_jieba(classifier, texts):
    analyzer = classifier.scorer.analyzer
    for text in texts:
        for chunk in analyzer.clean(text).split():
            assert analyzer.words_of(chunk) == list(analyzer.tokenizer.cut(chunk, HMM=False))


def test_classify_many_is_classify(classifier, texts):
    assert classifier.classify_many(texts[:20]) == [classifier.classify(t) for t in texts[:20]]


def test_pinyin_table_is_pypinyin():
    text = "明源御景十五号楼着火了陽光花園123#"
    expected = [pinyin._DIGIT_SOUNDS[int(c)] if c.isdigit() else lazy_pinyin(c, style=Style.NORMAL, errors=lambda c: c)[0]
                for c in text]
    assert pinyin.syllables(text) == expected
    pinyin.preload(text)
    assert pinyin.syllables(text) == expected


def test_locator_same_with_cold_pinyin_table(register, texts):
    locator = Locator(register)
    warm = [locator.locate(t) for t in texts]
    saved = dict(pinyin._TABLE)
    pinyin._TABLE.clear()
    try:
        assert [Locator(register).locate(t) for t in texts] == warm
    finally:
        pinyin._TABLE.update(saved)


def test_token_counter_memo_changes_nothing(classifier, texts):
    """The clause pass shares one chunk memo per message with the whole message."""
    count = classifier.scorer.count
    for text in texts:
        normalized = normalize(text)
        memo: dict = {}
        assert count(normalized, memo) == count(normalized)
        for clause in normalized.replace("另外", "，").split("，"):
            assert count(clause, memo) == count(clause)


def test_urgent_cues_early_exit_keeps_decision(texts):
    """`decide` stops looking for cues once three kinds are out of reach; where it needs them
    it gets all of them."""
    from classify import urgency

    for text in texts + ["快来人啊，老人家里停水好几天了，整栋楼都没水，太危险了"]:
        normalized = normalize(text)
        han, joined = urgency._heard(normalized)
        full = urgency._urgent_cues(normalized, han, joined)
        early = urgency._urgent_cues(normalized, han, joined, needed=urgency.URGENT_MIN_CUES)
        assert (len(early) >= urgency.URGENT_MIN_CUES) == (len(full) >= urgency.URGENT_MIN_CUES)
        if len(full) >= urgency.URGENT_MIN_CUES:
            assert early == full


def test_half_width_is_nfkc(texts):
    for text in texts + ["陽光花園\u3000１２號樓（三单元）！", "ｅｍａｉｌ：ａ＠ｂ．ｃｏｍ…", "café", "ｶﾞ", "㈱①", "\u1100\u1161"]:
        assert to_half_width(text) == unicodedata.normalize("NFKC", text)


def test_shared_windows_are_those_with_two_syllables_in_place(register, texts):
    """`_shared_windows` against its definition, counted window by window."""
    locator = Locator(register)
    for text in texts:
        sounds = pinyin.syllables(normalize_script(text))
        expected = {
            (start, index)
            for index, name in enumerate(locator.name_sounds)
            for start in range(-len(name), len(sounds))
            if sum(0 <= start + k < len(sounds) and sounds[start + k] == s for k, s in enumerate(name)) >= 2}
        assert locator._shared_windows(sounds) == expected


def test_memo_starts_afresh_at_its_limit():
    memo = pinyin.Memo(lambda n: n * n)
    memo.LIMIT = 3
    assert [memo[n] for n in range(5)] == [0, 1, 4, 9, 16]
    assert len(memo) <= 3
