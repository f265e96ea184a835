"""Emergency rules that a recogniser's homophones cannot hide.

A missed emergency is the one error the hotline cannot afford, so emergencies are found by
rules on toneless pinyin (Whisper's 雷气味 still reads 'qi wei', 起步来 still 'qi bu lai')
as well as by the model. A rule is skipped when the words are hypothetical (万一着火);
the model then decides between urgent and normal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from classify.pinyin import syllables

EMERGENCY, URGENT, NORMAL = "emergency", "urgent", "normal"
EMERGENCY_MODEL_THRESHOLD = 0.6


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern  # over ' '-joined toneless syllables
    requires: re.Pattern | None = None  # a second sign somewhere in the message


def _p(pattern: str) -> re.Pattern:
    return re.compile(r"(?:^| )(?:" + pattern + r")(?= |$)")


RULES = (
    Rule("gas smell", _p(r"(?:mei|ran|lei|nei|ye hua|tian ran|yi gu) qi (?:\S+ )?wei|lou qi le|chou ji dan wei")),
    Rule("fire", _p(r"(?:zhao|qi|shi) huo|huo miao|huo cuan|mao (?:hei |bai |nong )?yan(?! li| er)|nong yan|shao qi lai|huo zai|zhao qi lai")),
    Rule("a fall, cannot get up",
         _p(r"qi bu lai|pa bu qi|zhan bu qi|dong bu liao|bu neng dong|dong tan bu"),
         requires=_p(r"shuai|die|hua|dao|diao|zai dao|tang")),
    Rule("trapped in a lift",
         _p(r"kun|guan zai|chu bu lai|ba bu kai|qia zai ban|qia zhu"),
         requires=_p(r"dian ti|jiang ti|jiao xiang")),
    Rule("unconscious",
         _p(r"(?:yun|hun) (?:dao|guo qu)|jiao bu xing|\S+ sheng ren shi|mei (?:you )?yi shi|mei fan ying|"
            r"kou tu bai mo|chou chu|ren shi bu qing|dao (?:\S+ ){0,6}bu (?:da ying|ying|chi sheng)")),
    Rule("cannot breathe", _p(r"chuan bu (?:shang|guo) qi|xin zang bing fan|tou bu guo qi")),
    Rule("heavy bleeding",
         _p(r"(?:liu|chu) le hao duo (?:xue|xie)|xue zhi bu zhu|zhi bu zhu xue|quan shi xue|yi di (?:de )?xue|xue liu bu zhi")),
    Rule("cry for help", _p(r"jiu ming(?! qian)")),
    Rule("armed attack", _p(r"na (?:zhe )?dao|kan ren|tong ren")),
)
# Words that make what follows hypothetical: 万一着火, 怕着起来, 要是摔了.
_HYPOTHETICAL = re.compile(r"(?:wan yi|yao shi|pa|dan xin|rong yi|fang zhi|ru guo|zhen yao|yi dan|cha dian|hui bu hui) (?:\S+ ){0,3}$")


def _char_span(text: str, joined: str, match: re.Match) -> str:
    """The characters behind a match on the joined syllables (one character per syllable)."""
    first = len(joined[: match.start()].split()) if match.group(0).startswith(" ") or match.start() == 0 else 0
    return text[first:first + len(match.group(0).split())]


def emergency_evidence(text: str) -> tuple[str, ...]:
    """The emergency rules the text triggers, each with the words heard; empty when none."""
    han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isdigit())
    joined = " ".join(syllables(han))
    evidence = []
    for rule in RULES:
        if rule.requires is not None and not rule.requires.search(joined):
            continue
        for m in rule.pattern.finditer(joined):
            if _HYPOTHETICAL.search(joined[: m.start()]):
                continue
            evidence.append(f"{rule.name}: heard '{_char_span(han, joined, m)}'")
            break
    return tuple(evidence)


def decide(text: str, probabilities: dict[str, float]) -> tuple[str, tuple[str, ...]]:
    """(level, evidence) from the rules and the urgency model's probabilities."""
    evidence = emergency_evidence(text)
    if evidence:
        return EMERGENCY, evidence
    p_emergency = probabilities.get(EMERGENCY, 0.0)
    if p_emergency >= EMERGENCY_MODEL_THRESHOLD:
        return EMERGENCY, (f"model: emergency {p_emergency:.2f}",)
    level = URGENT if probabilities.get(URGENT, 0.0) + p_emergency > probabilities.get(NORMAL, 0.0) else NORMAL
    return level, (f"model: {level} {probabilities.get(level, 0.0):.2f}",)
