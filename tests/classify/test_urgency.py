import pytest

from classify.normalize import normalize
from classify.urgency import decide, emergency_evidence

EMERGENCIES = [
    "我一进门就一股煤气味儿，呛得慌",
    "楼道里燃气味儿老大了",
    "着火了！门市房后头冒黑烟了",
    "我老伴儿在卫生间滑倒了，躺地上起不来",
    "有人被困在电梯里了，门扒不开",
    "文化广场有个老爷子倒地上了，叫他也不答应",
    "我老伴儿晕倒了，叫不醒",
    "摔了一跤脑袋磕破了，流了好多血",
    "救命啊，快来人",
    # as Whisper wrote them
    "我一进门就一股雷气味儿,香德荒",
    "我老大儿在卫生间划到了,航地上起步来",
    "為,找火了,陰倉路108號那個美式房後頭貌黑煙",
]


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergencies_are_never_missed(text):
    evidence = emergency_evidence(normalize(text))
    assert evidence and all("heard" in e for e in evidence)


@pytest.mark.parametrize("text", [
    "有人把电动车推到楼道里充电，万一着火咋整",
    "我从猫眼里瞅见一个男的",
    "我是御景湾八号楼七楼的，高龄补贴咋申请",
    "这是我的救命钱，养老金咋还没到",
    "电梯门老是关不严，差点把人夹着",
])
def test_ordinary_or_hypothetical_words_are_not_emergencies(text):
    assert emergency_evidence(normalize(text)) == ()


def test_several_kinds_of_urgency_sign_raise_normal_to_urgent():
    text = normalize("喂，我们这一整栋楼三天没暖气了，家里老人冻得受不了，你们赶紧来看看")
    level, evidence = decide(text, {"normal": 0.7, "urgent": 0.3, "emergency": 0.0})
    assert level == "urgent"
    assert {e.split(":")[0] for e in evidence} >= {"haste", "how long", "how many", "someone vulnerable"}


@pytest.mark.parametrize("text", [
    "想开个居住证明，孩子上学用",            # one sign (a child) is not urgency
    "我怕出危险，楼道里堆的东西能不能清清",    # hypothetical danger, one sign
    "麻烦你们快点来看看，路灯坏了好几天了",    # haste and duration: two kinds
])
def test_fewer_signs_leave_the_model_to_decide(text):
    assert decide(normalize(text), {"normal": 0.7, "urgent": 0.3, "emergency": 0.0})[0] == "normal"


def test_urgency_signs_never_lower_an_emergency():
    text = normalize("我老伴儿在卫生间滑倒了，躺地上起不来，三天了，快来")
    assert decide(text, {"normal": 0.9, "urgent": 0.05, "emergency": 0.05})[0] == "emergency"
