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


# Real emergencies, said in many ways (and as a recogniser may write them).
MANY_EMERGENCIES = [
    # gas
    "我一进门就一股煤气味儿", "楼道里燃气味特别大", "屋里一股味儿像煤气似的", "闻着像煤气", "厨房煤气管子漏气了",
    "我家燃气好像漏气了，嘶嘶响，还有味儿", "家里一股臭鸡蛋味儿，怕是天然气漏了",
    # fire
    "着火了", "楼下起火了", "门市房冒黑烟了", "窗户里都是火苗子", "楼下车棚烧起来了", "屋里全是烟，看不见人",
    "楼上往下滴水，电线打火了",
    # falls
    "我老伴摔倒了", "我妈在卫生间摔了，起不来", "老头跌倒了爬不起来", "我老伴倒地上了", "老太太趴地上起不来了",
    "老伴儿在地上趴着起不来", "我妈摔倒在地上，动不了", "老伴儿从床上掉下来了，起不来",
    # unconscious
    "我老伴晕倒了", "我爸突然昏过去了", "老爷子不省人事了", "叫我妈叫不醒", "老伴躺床上没反应了", "喊他也不答应",
    "我老伴抽过去了", "老头好像没气了", "他口吐白沫",
    # bleeding
    "流了好多血", "血止不住", "摔了一跤满脸是血",
    # heart, stroke, breath
    "我老伴胸口疼得厉害", "我爸嘴歪了，说话不清楚", "老伴半边身子不能动了", "我家老头中风了", "我喘不上气来",
    "我老伴心脏病犯了", "我家老头儿喘不气了，脸都紫了",
    # trapped
    "我被困在电梯里了", "我妈关在电梯里出不来", "电梯卡住了，里面有人", "老人被锁屋里出不来了",
    # violence
    "楼下有人拿刀", "两个人动刀了", "楼下打起来了见血了", "有人砍人",
    # water and electricity, heights
    "地下室进水了，电线泡水里了", "水漫进屋了，插座冒火花", "家里进水了，漏电了", "小孩从楼上掉下来了",
    "孩子从窗户摔下去了", "有人要跳楼", "楼顶有个人说要往下跳",
    # past but still now
    "我老伴昨天晚上摔倒了，到现在还起不来", "以前摔过，刚才又摔倒了，起不来",
]


@pytest.mark.parametrize("text", MANY_EMERGENCIES)
def test_emergencies_said_many_ways(text):
    evidence = emergency_evidence(normalize(text))
    assert evidence and all("heard '" in e for e in evidence)


@pytest.mark.parametrize("text", [
    "有人把电动车推到楼道里充电，万一着火咋整", "楼道堆东西，就怕起火", "地上太滑了，怕摔着老人",
    "我上个月摔过一次，想申请个扶手", "昨天有点煤气味，现在没了", "烟雾报警器响了但是没烟", "电梯昨天困过人，你们得修修",
    "我们楼以前着过火", "去年冬天楼下着过一次火", "电梯老是坏，万一把人困里面怎么办", "我怕哪天摔倒了起不来没人知道",
    "要是晕倒了谁管啊", "独居老人怕哪天晕倒没人知道", "上回电梯困人了，到现在也没修", "护栏坏了，小孩容易掉下去",
    "消防通道让车给堵死了，一着火消防车进不来", "楼下烧烤冒烟呛人", "燃气灶打不着火", "燃气卡充不进去", "想装天然气，上哪儿申请",
    "买了电插卡没反应，显示没电", "想找个康复理疗的地方，中风以后腿不好", "路面结冰了，老人出门摔了好几个",
    "电线杆子让车撞歪了，电线耷拉到地上了", "楼上孩子天天拍球蹦跳，楼上吵", "我拿到养老金了", "我去医院看人", "能提个小建议，谢谢",
    "垃圾撒了一地，谢谢啊", "这活儿干得不行", "我家暖气片漏水了，地上全是水",
])
def test_hypothetical_past_and_look_alike_words_are_not_emergencies(text):
    assert emergency_evidence(normalize(text)) == ()


@pytest.mark.parametrize("text, reason", [
    ("万一着火", "hypothetical"), ("就怕起火", "hypothetical"), ("没着火", "denied"), ("电梯困过人", "done before"),
    ("上个月摔倒了", "in the past"), ("昨天有点煤气味，现在没了", "over"),
])
def test_not_happening_says_why(text, reason):
    from classify.urgency import not_happening

    for word in ("着火", "起火", "困", "摔倒", "煤气味"):
        if word in text:
            start = text.index(word)
            assert not_happening(text, start, start + len(word)) == reason


def test_the_hypothetical_check_reads_the_character_not_the_syllable():
    # 趴 and 怕 are both 'pa': lying on the floor is no hypothetical...
    assert emergency_evidence(normalize("老太太趴在地上起不来了"))
    # ...and 怕 now does cancel (the old check never fired at all).
    assert emergency_evidence(normalize("我怕老伴哪天摔倒了起不来")) == ()
