from __future__ import annotations

import pytest

from asr.scoring import cer, normalise
from asr.text import join_tokens, remove_cjk_spaces


def test_spaces_between_chinese_words_go_other_spaces_stay():
    assert join_tokens(["我", "家", "暖气", "不", "热"]) == "我家暖气不热"
    assert join_tokens(["打", "110", "报警"]) == "打 110 报警"
    assert join_tokens(["안녕", "하세요"]) == "안녕 하세요"
    assert remove_cjk_spaces(" 喂 ，  你好 ") == "喂，你好"


def test_normalise_drops_punctuation_and_spaces():
    assert normalise("喂，你好！ 阳光花园。") == "喂你好阳光花园"
    assert normalise("喂,你好?") == "喂你好"


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("阿斯哈图街一百零八号", "阿斯哈图街108号", 0.0),  # cardinal reading
        ("三单元二零一的", "三单元201的", 0.0),  # digit-by-digit reading
        ("十五号楼", "15号楼", 0.0),
        ("十五号楼", "16号楼", 0.25),  # a wrong value still counts
        ("你好", "", 1.0),
        ("路灯黑了", "路等黑了", 0.25),
    ],
)
def test_cer_ignores_number_reading_style_not_values(reference, hypothesis, expected):
    assert cer(reference, hypothesis) == pytest.approx(expected)
