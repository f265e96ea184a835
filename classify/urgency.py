"""Emergency rules that a recogniser's homophones cannot hide.

A missed emergency is the one error the hotline cannot afford, so emergencies are found by
rules on toneless pinyin (Whisper's 雷气味 still reads 'qi wei', 起步来 still 'qi bu lai')
as well as by the model. A rule is skipped when the words are hypothetical (万一着火);
the model then decides between urgent and normal.

Beyond the rules, the model calls an emergency at probability `EMERGENCY_MODEL_THRESHOLD`.
Authors disagree most about these (sparks from a wire, a dementia patient gone missing, an
oxygen machine stopped by a power cut, someone alone not answering: emergency to some,
urgent to others; classify/corpus/LABELLING.md now says emergency). Over the twenty-two
authors' 2,301 emergencies the rules alone find 74% at precision 0.84 (the rules were
written from many of these messages, so that is in sample). Leave-one-author-out
(classify/crossval.py, twenty-two authors, clean and noisy copies, rules partly in sample,
with `RULE_MODEL_FLOOR`), the model at 0.6: recall 0.925, precision 0.875 (on the eight
authors who wrote to the guide: 0.902 / 0.924); at 0.5: 0.936 / 0.857 (0.918 / 0.910); at
0.7: 0.910 / 0.891. Over twenty-six authors (the last four wrote many close look-alikes) at
0.5 / 0.6 / 0.7: 0.938 / 0.848, 0.925 / 0.865, 0.908 / 0.879 (the twelve guide authors: 0.922
/ 0.872, 0.906 / 0.886, 0.883 / 0.898); over thirty (rules for a live wire down and a push, 了 read
'le' in 撑不了): 0.941 / 0.852, 0.927 / 0.867, 0.913 / 0.880 (the sixteen guide authors: 0.931 /
0.870, 0.914 / 0.884, 0.896 / 0.893); over thirty-two (one author wrote 231 dangers told without
the usual words): 0.939 / 0.856, 0.925 / 0.871, 0.912 / 0.883 (the eighteen guide authors: 0.926 /
0.877, 0.909 / 0.891, 0.892 / 0.901); over forty, at 0.6: 0.929 / 0.877. 0.6 stays: on the blind held-out
sets, whose recall is already at or near 100%, a lower threshold only costs precision.
Fifteen later blind sets (26-40, ~533 messages and ~48 emergencies each) were scored in five
rounds, each before its errors were read and rules written from them: recall 1.000 / 1.000 /
0.979 at precision 0.942 / 0.941 / 0.939 (26-28), 1.000 / 0.958 / 0.939 at 0.810 / 0.868 /
0.868 (29-31), 0.958 / 0.941 / 0.979 at 0.939 / 0.923 / 0.825 (32-34), 0.900 / 0.915 / 0.957
at 0.882 / 0.827 / 0.830 (35-37, written to be harder: a blizzard, a fair, many voices), 0.979 /
1.000 / 0.979 at 0.904 / 0.941 / 0.959 (38-40, not read); 17 of the 25 misses went to review.
Over all forty sets with every rule (20,806 messages, most of their errors read): recall
0.992, precision 0.922. (With fourteen authors the urgency model's C
from 3 to 30, or no class weights, moved along the same curve.) Below it, a likely emergency is urgent and
goes to review (`POSSIBLE_EMERGENCY`); rule words the model finds all but impossible are
urgent and go to review too.

The model misses urgent messages whose words it has not seen, so a message it calls
normal is raised to urgent when it carries signs of at least `URGENT_MIN_CUES` different
kinds (haste, danger, how long it has lasted, how many it hits, someone vulnerable, a
supply gone), also read on pinyin. In the training corpus three kinds together occur in
10 of 4,622 normal messages and in 89 of 666 urgent ones.
"""
from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from dataclasses import dataclass

from classify.pinyin import syllables

EMERGENCY, URGENT, NORMAL = "emergency", "urgent", "normal"
EMERGENCY_MODEL_THRESHOLD = 0.6
# Below that, the emergency probability at which a ticket is at least urgent and goes before an
# operator at once (model.Classifier's review). Leave-one-author-out over twenty-two authors,
# with the rule words doubted below, it flags 2.5% of messages and puts 170 of the 364
# emergencies the rules and the model miss (47%) before an operator. (Eighteen authors, at a
# threshold of 0.7: 0.2 flagged 3.1% and caught 58%; 0.5: 0.8% and 20%.)
POSSIBLE_EMERGENCY = 0.3
# The caller said the danger is over (扶起来了, 原来是, 虚惊), or said its words only as a what-if
# or a rumour (假如说, 听说): the model, which hears those words, must be this sure. For "over",
# on the eleven older blind sets (5,500 messages, 457 emergencies) that is two false alarms
# fewer and no emergency lost; leave-one-author-out over thirty-two authors, 5 fewer for 2 lost
# of 6,268. What-ifs and rumours: of the 247 labelled messages whose only rule words are such,
# 2 are emergencies; on the held-out sets one false alarm fewer (0.82), none lost.
OVER_MODEL_THRESHOLD = 0.9
NOT_NOW = ("hypothetical", "second-hand")  # `not_happening`'s reasons that leave nothing happening
# Rule words the urgency model finds all but impossible in the message (emergency probability
# below this) are no emergency: the ticket is urgent and goes before an operator at once.
# Leave-one-author-out over twenty-two authors at 0.6, such rule hits are 309, 10 of them
# emergencies: precision 0.812 -> 0.861, recall 0.923 -> 0.921 (0.01, before the last rules:
# 0.852 at 0.918, against 0.861 at 0.917). (Eighteen
# authors at 0.7: 0.005: 0.857, no recall lost; 0.01: 0.866; 0.1: 0.897 at 0.904.)
RULE_MODEL_FLOOR = 0.02
# ...except gas: a false alarm costs a visit, a missed leak a building (7 more false alarms there);
# and someone alone who cannot be reached, whom the earlier authors call urgent: the model's doubt
# there is that disagreement, not a sign (leave-one-author-out, 6 more emergencies found, 2 more
# false alarms); and someone standing on a roof, which no training message says: the model has never
# seen it to doubt it (the thirteen older held-out sets and every training message: no hit).
BEYOND_DOUBT = frozenset({"gas smell", "gas leaking", "alone, not heard from", "on a roof edge"})
# Rule words with the caller calling the fire brigade or an ambulance now (我先挂了打119, 快叫救护车) are no
# rule the model may doubt either: whatever else the message complains of, the caller saw it.
_CALLS_SERVICES = re.compile(r"(?:快|赶紧|马上|我先|先)(?:挂了)?[，,]?(?:打|叫|拨)个?(?:119|120|110|消防|救护车|急救)")
UNLIKELY = "unlikely to the model"  # the downgrade's reason, read by `rule_doubted`
URGENT_MIN_CUES = 3


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern  # over ' '-joined toneless syllables
    requires: re.Pattern | None = None  # a second sign somewhere in the message
    skip: re.Pattern | None = None  # characters that, in the same clause, make the words something else (烧烤冒烟)
    misheard: re.Pattern | None = None  # the characters heard (and the one after) are other words: 寻思 is no 寻死
    # (words heard, words anywhere in the message): such words in such a message are no emergency
    # (没气了 where the gas is cut off; 拿棍子 with no blow struck)
    unless: tuple[tuple[re.Pattern, re.Pattern], ...] = ()
    calm: re.Pattern | None = None  # anywhere in the message: it is faint or small (一点点味儿, 不大)...
    calm_unless: re.Pattern | None = None  # ...unless it is also strong (呛, 老冲了)


_GAP = re.compile(r"\)\{(\d+),(\d+)\}(?!\?)")  # a run of any syllables: (?:\S+ ){0,4}


def _p(pattern: str) -> re.Pattern:
    """Whole syllables only; gaps are lazy, so a match is the shortest span that says it (a
    greedy gap can reach past a pause to a repeated word, and a span torn by a pause is dropped)."""
    return re.compile(r"(?:^| )(?:" + _GAP.sub(r"){\1,\2}?", pattern) + r")(?= |$)")


def _w(pattern: str) -> re.Pattern:
    """As `_p`, the start a lookbehind (the match has no leading space): faster to search."""
    return re.compile(r"(?<![^ ])(?:" + pattern + r")(?= |$)")


# A faint smell or a small fire is no emergency, unless the caller also says it is strong.
_FAINT_BUT_STRONG = re.compile(r"呛|老大|特别大|很大|好大|老冲|冲得|熏得|头晕|头疼|嘶嘶|呲呲|越来越")
_SMALL_BUT_STRONG = re.compile(r"窜|老高|好大|很大|浓烟|全是烟|呛|越烧|越来越|烧起来了|蔓延|着起来了")

# A phone that rings out or is off; and who, in the same clause, is then the one out of reach
# (a firm, a swindler), not a person who may be lying on the floor.
_UNANSWERED = r"(?:dian hua|shou ji|shi pin|da) (?:\S+ ){0,12}(?:mei ren jie|bu jie|mei jie|da bu tong|guan ji)"
# Someone posing as a firm or a son: what they say happened is their story (冒充燃气公司的, 说我家漏气).
_SWINDLE = r"冒充|假冒|骗子|诈骗|骗我|骗钱"
# The caller cut the power (我把总闸拉了): sparks from a socket, water on a wire are made safe.
_POWER_OFF = r"(?:拉|关|断|掐)了?(?:总)?(?:电)?闸|闸(?:也|都)?(?:拉|关|掐)了|断了电|电(?:也|都)?断了|(?:跳|掉)闸了"
# An intruder seen afterwards, gone, or there last night: no one to catch now.
_AFTERWARDS = re.compile(r"监控|录像|没进(?:去|来)|(?:跑|溜)了(?!吗)|刚发现|^(?!.*(?:正在|现在|还在|又)).*(?:昨晚|昨天|昨儿|前天|前晚)")
# A pet, and no child or other family said: the pet got out, the pet was poisoned.
_A_PET = (re.compile(r"."), re.compile(r"^(?!.*(?:孩子|小孩|娃|孙|儿子|闺女|女儿|宝宝|丫头|小子|老伴|老头|老太|爸|妈)).*(?:乌龟|猫|狗|鸟|鹦鹉|兔|仓鼠)"))
# The caller says the smell is not gas (臭鸡蛋味，不是煤气啊; 没通燃气), or was not (后来一看，不是煤气).
_NOT_GAS = (re.compile(r"."), re.compile(r"(?<!是)不是(?:煤气|燃气|天然气)(?![味的]?[吗吧])|没通(?:燃气|煤气|天然气)|(?:测|查|看)了?(?:说)?(?:不是|没漏)"))
_NOT_A_PERSON = r"骗|中奖|物业|公司|热线|客服|网格员|医院|单位|快递|外卖|房东|师傅"

RULES = (
    Rule("gas smell",
         _p(r"(?:mei|ran|lei|nei|ye hua|tian ran|yi gu) qi (?:\S+ ){0,2}wei|lou qi le|chou ji dan wei|"
            r"(?:xiang|wen) (?:\S+ ){0,2}(?:mei|ran|lei) qi (?:\S+ )?(?:wei|si de|shi de|yi yang|$)|wen (?:zhe|qi lai) (?:\S+ )?(?:mei|ran) qi|"
            r"(?:mei|ran) qi (?:\S+ ){0,3}(?:xie lou|lou (?:le|qi|la))|ji dan (?:\S+ )?wei|chou ji (?:\S+ )?wei|"
            r"(?:xie lou|si si) (?:\S+ ){0,8}(?:wei (?:er|dao)|chou)|(?:chou|huai) ji dan (?:si de|shi de|yi yang|na wei)|"
            r"(?:mei|ran) qi (?:\S+ )?(?:man|quan) (?:\S+ ){0,3}dou shi"),
         skip=re.compile(r"汽油|柴油|机油|宣传|传单|想装|想开|申请|交了费|交费|充|燃气卡|气卡|费|轮胎|车胎|气球|打气|自来水|水龙头|下水|厕所|演练|演习|电话是多少|电话多少|公司的电话"),
         misheard=re.compile(r"公司"),
         unless=(_NOT_GAS,
                 (re.compile(r"."), re.compile(r"^(?!.*(?:燃气|煤气|天然气|液化气)).*(?:反味|返味|下水道.{0,4}味)"))),  # a drain's smell
         calm=re.compile(r"挺淡|淡淡|不太大|不大|不算冲|不冲|一点点|有一点|一点儿味|时有时无|若有若无|闻着点|没味儿?了|好像没了|说没事"),
         calm_unless=_FAINT_BUT_STRONG),
    Rule("gas leaking",
         _p(r"lou qi|mao qi(?! pao)|pen qi|(?:chi chi|ci ci|si si|hu hu|zi zi) (?:\S+ ){0,3}(?:xiang|mao|lou|pen)|wang wai (?:\S+ )?(?:pen|mao|lou|chi|ci)|"
            r"bao jing qi (?:\S+ ){0,3}(?:jiao|xiang|ming)|(?:wen|wen zhe|wen jian) (?:\S+ ){0,2}wei|(?:yi|you) gu (?:\S+ )?wei|wei (?:er )?(?:lao|hao|ting|te bie|tai) (?:da|chong)"),
         requires=_p(r"(?:ran|mei|ye hua|tian ran) qi|(?<!nuan )qi (?:guan(?! yan)|biao|guan zi)|fa men|tiao ya"),
         misheard=re.compile(r"^问"),
         skip=re.compile(r"暖气|热水|轮胎|车胎|气球|充气|白汽|热气|蒸汽|费|充值|卡|下水|垃圾|臭水|厕所|烧烤|油烟"),
         unless=((re.compile(r"."), re.compile(r"闻不|不着味|没味|没啥味|没什么味|没有味|没漏|不是漏|没闻")),  # an alarm or a meter, and nobody can smell it
                 (re.compile(r"往外"), re.compile(r"^(?!.*(?:燃气|煤气|天然气|液化气|气罐|气瓶|气表|(?<!暖)气管)).*(?:水表|水管|自来水|水龙头|暖气|水一直往外)")),  # a water or heating valve
                 (re.compile(r"."), re.compile(_SWINDLE)),  # 冒充燃气公司的，说我家管子漏气: a swindler's story
                 _NOT_GAS),
         calm=re.compile(r"挺淡|淡淡|不太大|不大|不算冲|不冲|一点点|有一点|一点儿味|时有时无|若有若无|没味儿?了|好像没了|说没事"),
         calm_unless=_FAINT_BUT_STRONG),
    Rule("fire",
         _p(r"(?:zhao|zhe|qi|shi|zhuo) huo(?! che| chai| ji)|huo (?:miao|cuan|shi|guang|hai mei)|"
            r"mao (?:le )?(?:hei |bai |nong |da |qing )?yan(?! li| er| jing)|nong yan|shao (?:qi lai|zhao le|zhe le)|huo zai|"
            r"zhao qi lai|zhe qi lai|(?:jia|wu|fang zi|ku fang|che peng|cao|huang cao|cao di|cao duo|shu lin|chu fang|yang tai|cang fang|pei dian fang|dong xi|chai huo|chai huo duo|yi fu|bei zi|sha fa|lou dao|di xia shi|dian dong che|la ji|yan cong|yan tong|you guo|chou you yan ji|dian re tan|dian ti) (?:\S+ )?(?:zhe|zhao) (?:le|huo)|huo (?:\S+ )?shang (?:le )?(?:fang|ding)|yan (?:wu )?bao jing qi (?:\S+ ){0,3}(?:jiao|xiang|ming)|fang huo (?:shao|dian)|(?:zai|you ren) (?:\S+ ){0,3}fang huo|(?:quan|dou|man) (?:\S+ ){0,2}(?:shi )?yan(?! jing| se| li| er)|"
            r"(?:dian xian|cha zuo|dian biao|xian lu|dian qi|dian xiang|dian dong che|dian ping che) (?:\S+ ){0,3}"
            r"(?:mao huo|da huo|mao yan|zhe le|zhao le|shao)|mao huo (?:hua|xing)|"
            r"(?:zhe|zhao) le (?:\S+ )?huo (?:lao|hao|ke|te bie|ting) da|yue (?:zhao|zhe|shao) yue (?:da|wang|xiong|gao)|shao de hu hu|(?:kan jian|kan dao|qiao jian|jian zhe) (?:\S+ )?yan (?:le|wu)|"
            r"(?:lou dao|wu li|wu zi li|jia li|chu fang|lou ti|zou lang|di xia shi|cang fang) (?:li |li tou |li mian )?you (?:hen duo |hao duo |nong |yi gu )?yan(?! tou| di| hui| jiu| cao| cong| tong)"),
         skip=re.compile(r"熄火|打着火|打不着火|嗓子|打滑|轱辘|消防车咋|消防车怎么|压力|演练|演习|[扶撑拄拉拽搀]着起|往哪跑|跑不开|根本|够不着|就是一大片|都完了|就完了|了不得|似的|那种|咋跑|跑不出|那回|那个事|这活|这伙|[不没]着火|着火车|烧烤|油烟|做饭|炒菜(?!.*(?:油锅|起火|着了))|烟囱(?!着|起火)|抽烟|吸烟|烟花|鞭炮|炉子|抽油烟机|灶|烟头|烧黑|烧糊|烧焦"),
         misheard=re.compile(r"猫眼|伙在|火是|淹|器或|烟头|火药|红眼|留言|[堵挡压放搁占盖锁拴绑捆关开存装留]着|着火星"),
         unless=((re.compile(r"火[花星]"), re.compile(r"^(?!.*(?:水(?!费)|燃气|煤气|天然气|液化气|着了|娃|孩子|小孩)).*$")),  # sparks: with water, gas or children
                 (re.compile(r"电器"), re.compile(r"电压")),  # appliances burnt out by the voltage
                 (re.compile(r"插座|电线|电表|线路|电器|电箱|配电|插排"),  # electrical, and the power is off
                  re.compile(r"^(?!.*(?:还在烧|着起来|烧起来|窜|明火|浓烟|越烧)).*(?:" + _POWER_OFF + ")")),
                 (re.compile(r"冒"), re.compile(r"^(?!.*(?:着了|起火|着火|屋里|家里|呛|火苗|明火|蹿|窜)).*(?:烟囱|烟筒)")),  # a chimney's smoke
                 (re.compile(r"白烟"), re.compile(r"井盖|下水井|窨井|热力井|暖气井|井口")),  # a manhole's steam
                 (re.compile(r"冒|火星"), re.compile(r"^(?!.*(?:着起来|烧起来|(?<![不没点])着了|起火|(?<![不没])着火|火苗|明火|窜)).*(?:炭灰|炉灰|煤灰|烟灰|灰渣)")),  # ash still smoking
                 (re.compile(r"火苗|冒.?烟|^[都全满][有是]?烟"),  # a stove's flame, burning on purpose
                  re.compile(r"^(?!.*(?:窜|老高|浓烟|着起来|蔓延|烧着|没灭|(?<![不没])着了|起火|(?<![不没])着火)).*(?:灶|液化气|减压阀|烧纸|烧树叶|烧叶子|烧垃圾|烧香|烧烤|油烟|炭火)"))),  # a stove's flame, burning on purpose
         calm=re.compile(r"不大|一阵一阵|冒点烟|就冒烟|没看见冒烟|没冒烟|没(?:看|瞅)?见着?烟|没有?烟|没着起来|没有?明火"),
         calm_unless=_SMALL_BUT_STRONG),
    Rule("a fall, cannot get up",
         _p(r"qi bu lai|pa bu qi|zhan bu qi|dong bu (?:liao|le)|bu neng dong|dong tan bu|qi bu shen|(?:fu|zhuai|la|bao|ban|pa) bu (?:qi lai|dong ta|qi ta|shang lai)|"
            r"(?:jiu )?(?:bu (?:keng|kang) sheng|mei sheng|mei dong jing|bu chu sheng) le"),  # fell, and then silence
         requires=_p(r"shuai|die|hua|dao (?:le|zai|di|xia)|diao|zai dao|(?<!yi )(?<!lai )(?<!zhe )tang|pa|di shang|gun (?:xia|le)|chu liu|zai (?:le|dao)"),
         unless=((re.compile(r"声|静"), re.compile(r"摔(?:门|东西|碗|盘|杯|手机|电话)")),)),  # a door slammed, then sulking
    Rule("a fall",
         _p(r"(?:shuai|die|hua|ban) dao (?:le|zai)|(?:shuai|die) (?:le )?yi (?:jiao|xia|ge gen tou)|"
            r"(?:dao|tang|pa|shuai|die|zuo|die dao|shuai dao) (?:zai )?di (?:shang|xia)|dao di (?:le|bu)|"
            r"(?:ban|ma|ba|tou|tai|ye|nai|ren|zi|ta|er|wo) (?:\S+ ){0,4}(?:shuai|die) (?:le|xia|zai|huai|po)"),
         skip=re.compile(r"手机|碗|杯|盘|盆|东西|瓶|电线|电现|树|杆|撞歪|耷拉|管道|好几个|好几回|好多人|经常|老有人|总有人|常有人|不少人|要摔|以后|门|垃圾"),
         misheard=re.compile(r"爹|到地|到底"),
         calm=re.compile(r"擦破|蹭破|破了?点皮|擦伤"),  # a graze: hurt, not in danger
         calm_unless=re.compile(r"起不来|动不了|站不起|爬不起|不能动|昏|不省人事|不吭声|骨折|断了|流了好多血|血止不住|头"),
         unless=((re.compile(r"^(?:我|有?人)"), re.compile(r"冰|滑|溜")),  # a complaint about a slippery path
                 (re.compile(r"."), re.compile(r"(?:好几个|好多|不少|老多)人.{0,8}摔|(?:俩|两个|几个)(?:骑车|骑电动车|过路|走路)的都(?:滑|摔)|(?:俩|两个|几个|好几个)(?:老人|人|老太太|老头)(?:都)?(?:滑|摔)倒")),
                 (re.compile(r"躺"), re.compile(r"(?:站牌|牌子|杆子|广告牌|围挡|栏杆|树)[^，。]{0,6}(?:撞|刮|吹)倒")))),  # a sign knocked down
    Rule("trapped",
         _p(r"kun(?! nan| le ba| jiao| de)|guan zai|chu bu lai|ba bu kai|qia zai ban|qia zhu|"
            r"(?:ka|qia) (?:zhu|zai|si) (?:\S+ ){0,6}you ren|you ren (?:bei )?(?:kun|guan|ka|qia|suo)|ka (?:zai )?dian ti li|"
            r"dian ti (?:\S+ )?(?:guan|kun|jia|suo) (?:zhu |le )?(?:\S+ ){0,2}ren|(?:wo|ren|ta|hai zi|lao ren) (?:\S+ )?(?:zai|jiu zai|hai zai) dian ti li|(?:wo|wo men|lao ban|lao ban er|lao tou|lao tai tai|wo ma|wo ba|hai zi|xiao hai|sun zi|sun nv) (?:\S+ )?(?:zai|hai zai) li (?:tou|mian|bian)|jia zhu (?:\S+ )?(?:ren|tui|shou|jiao)|"
            r"(?:li tou|li mian|li bian) (?:\S+ ){0,2}(?:guan|kun|you) (?:le )?(?:\S+ )?ren|men (?:\S+ )?(?:da bu kai|kai bu kai)|"
            r"(?:li tou|li mian|li bian) (?:guan|kun|ka|suo) (?:le|zhe|zhu)|dian ti ba (?:\S+ ){0,2}(?:guan|kun|suo|jia)|guan (?:zai )?li (?:tou|mian|bian)"),
         requires=_p(r"dian ti|jiang ti|jiao xiang|ti xiang"),
         skip=re.compile(r"贴的|广告|海报|通知|吐痰|抽烟|烟头|烟味")),
    Rule("locked in", _p(r"(?:suo|guan|kun|fan suo) (?:\S+ ){0,4}chu bu (?:lai|qu)|"
                         r"ba (?:wo|ta|ren|lao ren|lao tai tai|lao tou|hai zi|lao ban|wo ma|wo ba) (?:gei )?(?:guan|suo|fan suo) zai "
                         r"(?:li mian|li tou|wu li|ce suo|wei sheng jian|yu shi|chu fang)"),
         misheard=re.compile(r"^管"), skip=re.compile(r"开关|按钮|出不来水|管子")),  # a pipe or a switch stuck
    Rule("no response",
         _p(r"(?:jiao|han|hu) (?:\S+ ){0,4}(?:mei dong jing|bu keng sheng|bu li ren)|"
            r"(?:tang|zai dao|shuai|gun) (?:\S+ ){0,4}(?:bu keng sheng|bu dong le|mei dong jing|bu li ren|hong hong)|"
            r"(?:ran hou|jiu|hou lai|zhi hou) (?:\S+ )?(?:mei (?:you )?(?:dong jing|sheng)|bu keng sheng)|jiao bu qi lai|yan jing (?:\S+ )?zheng bu kai|"
            r"(?:mi mi hu hu|mi hu|mi mi deng deng|mi deng) (?:de|le)|ren (?:dou )?mi (?:hu|deng) le"),
         requires=_p(r"yi ge ren|du ju|gu gua|lao (?:tai|tou|ren|ye|ban|po)|ba shi|qi shi|jiu shi|mei jian (?:zhao )?ren|"
                     r"hai zi|wa|ma|ba|ye ye|nai nai|gong gong|po po|shuai|dao|tang|yun|tou"),
         skip=re.compile(r"物业|开发商|公司|领导|网格员|社区|工作人员|热线|投诉|反映|电话|手机|进展|答复|回复|处理|维修|修|办|电视|广场舞|烧得|发烧"),
         misheard=re.compile(r"大|到|甩")),
    Rule("unconscious",
         _p(r"(?:yun|hun) (?:dao|guo qu|mi|jue|si guo qu)|jiao bu xing|han bu xing|huan bu xing|\S+ sheng ren shi|"
            r"mei (?:you )?yi shi|mei (?:you )?fan ying|kou tu bai mo|chou chu|chou (?:guo qu|feng le|jin le|qi lai le)|yan jing wang shang fan|fan bai yan|"
            r"ren shi bu qing|shen zhi bu qing|dao (?:\S+ ){0,6}bu (?:da ying|ying|chi sheng)|"
            r"(?:jiao|han|hu|zhao|qiao) (?:\S+ ){0,4}(?:bu da ying|bu ying sheng|bu chi sheng|mei fan ying|bu hui ying)|"
            r"chou (?:le )?ban ge (?:duo )?zhong tou|chou (?:\S+ ){0,4}(?:hai mei ting|ting bu xia lai)|ren dou bu ren (?:shi )?le|mei (?:you )?(?:qi|hu xi|xin tiao|mai) le|bu chuan qi le|zhi ting|duan qi le|bu (?:da|li) ren le|lian (?:\S+ ){0,2}zi le"),
         skip=re.compile(r"燃气|煤气|气罐|暖气|天然气|车胎|轮胎|气球|打气|充气|物业|开发商|公司|领导|卡|表|显示|机|电视|灯|按钮|按了|门铃|刷卡|呼叫|录音"),
         misheard=re.compile(r"脚不行|直停|没反应过|^敲"),
         unless=((re.compile(r"气"), re.compile(r"燃气|煤气|天然气|液化气|停气|气表|打不着|点不着")), _A_PET)),
    Rule("cannot breathe", _p(r"chuan qi (?:\S+ )?fei jin|(?:sang zi yan|sang zi|hou long) (?:\S+ )?(?:fa jin|jin le|zhong le)|chuan bu (?:\S+ ){0,2}qi|chuan (?:bu )?shang qi le|tou bu guo qi|hu xi kun nan|qi chuan bu shang|bie de chuan bu"),
         skip=re.compile(r"臭|熏|闷得人|热得人|憋得人")),
    Rule("heart or stroke",
         _p(r"xin zang bing (?:fan|fa|han|you fan)|fan (?:le )?xin zang bing|xin geng|xin jiao tong|xiong (?:kou|tong|men) (?:\S+ ){0,3}(?:teng|tong|men|jiu)|"
            r"zui (?:\S+ )?wai|kou yan wai|ban bian (?:\S+ ){0,5}(?:bu neng dong|dong bu|mei zhi jue|ma|bu ling|mei jin|mei li qi|bu de jin)|"
            r"ban shen bu sui|ban bian lian (?:\S+ ){0,2}da la|zhong feng|nao geng|nao chu xue|nao yi xue|shuo hua (?:\S+ )?bu (?:qing|li suo)"),
         skip=re.compile(r"以后|风后|后遗症|康复|理疗|预防|讲座|体检|开药|拿药|买药|去世|过世|走了[一两三几好]"),
         unless=((re.compile(r"心脏病"), re.compile(r"犯了?似的|(?:吵|气|烦|闹|急|愁|吓)得(?:我|人)?(?:都|快|直)?(?:要)?犯")),  # a figure of speech
                 (re.compile(r"说话"), re.compile(r"捡着|走丢|迷路|找不着家|(?:我|俺)(?:岁数|年纪|年龄)大了?[，,]?说话")),)),  # the caller's own old age
    Rule("heavy bleeding",
         _p(r"(?:liu|chu|mao|tang) (?:le )?(?:hao|hen|te bie|ting|lao) duo (?:xue|xie)|xue zhi bu zhu|zhi bu zhu (?:de )?xue|"
            r"(?:quan|dou|man) (?:shen |lian |tou |di )?(?:shi |de )?xue(?! ya| tang| zhi| guan| ye)|(?:man|yi) (?:shen|lian|tou) (?:\S+ )?(?:xue|xie)|"
            r"yi di (?:de )?xue|xue liu bu zhi|da chu xue|xue (?:liu|mao) (?:\S+ ){0,2}(?:zhi bu|ting bu|bu ting)|"
            r"jian xue|tu xue|ou xue|xue hu hu|xue lin lin|xue hua hua|liu xue (?:bu zhi|le)|"
            r"xue (?:yi zhi|zhi) (?:wang xia |wang wai )?(?:tang|liu|mao|di)|tou po (?:le )?(?:\S+ )?liu xue|wang wai (?:mao|yong|tang) xue"),
         skip=re.compile(r"血压|血糖|血脂|血管|献血|验血|抽血|膝盖|磕破|擦破|蹭破|鼻血"),
         misheard=re.compile(r"学|雪"),
         unless=((re.compile(r"流血了"), re.compile(r"[狗猫](?:给)?咬|[狗猫]抓|狂犬")),)),  # a bite: the vaccine, not an ambulance
    Rule("cry for help", _p(r"jiu ming(?! qian)"), misheard=re.compile(r"舅|旧"), skip=re.compile(r"似的|KTV|电视|电影|游戏|玩具")),
    Rule("armed attack",
         _p(r"na (?:zhe |le )?(?:dao|cai dao|dao zi|fu zi|gun zi|tie gun|jian dao)|qia (?:\S+ ){0,3}bo zi|chi dao|dong dao|kan ren|tong ren|bei tong (?:le|shang)|sha ren|"
            r"kan (?:shang|le|si)|da (?:qi lai|jia|ren) (?:\S+ ){0,4}(?:xue|xie|shou shang|bei da|tang)|"
            r"na (?:\S+ ){0,2}(?:jiu ping|ping zi|zhuan tou|shi tou|tie qiao|qiao) (?:zi )?(?:za|da|kan) (?:ren(?! jia)|ta|wo)"),
         skip=re.compile(r"似的|拿到|看人|看上|看了|杀人游戏|[要藥药]动刀|吵得要|说要|要拿"),
         misheard=re.compile(r"那到|那倒|动道|啥人|大家|量|迟到|^[吃池]|槛"),
         unless=((re.compile(r"棍|棒"), re.compile(r"^(?!.*(?:(?<!要)打(?!电话|听|扫|算|开|个|\d)|砍|伤|血|抡|砸|还在)).*$")),)),  # a stick, no blow
    Rule("water and electricity",
         _p(r"lou dian|chu dian|(?:dian xian|dian lan|cha zuo|cha xian ban|cha ban|cha pai|dian biao|dian xiang|pei dian|dian lu|xian lu) (?:\S+ ){0,4}"
            r"(?:pao|jin shui|yan|shi le|di shui|lou shui|shui li|(?:dou|quan) shi shui)|(?:pao|yan|jin shui|jin le shui) (?:\S+ ){0,4}(?:dian xian|cha zuo|dian biao|dian xiang|dian lu)|"
            r"(?:man|yan|liu|tang|lou|shen|di) dao (?:\S+ ){0,3}(?:cha pai|cha ban|dian cha ban|cha zuo|cha tou|cha xian ban|dian xian|dian biao|dian xiang|dian zha|dian lan|pei dian)|"
            r"(?:man|yan) guo (?:\S+ ){0,3}(?:cha pai|cha zuo|cha tou|cha xian ban)|shui (?:\S+ ){0,3}(?:mei|mo) guo (?:\S+ ){0,3}(?:dian zha|dian xiang|pei dian|dian biao|cha zuo|cha pai)|shun zhe (?:\S+ ){0,4}(?:dian xian|xian lu|dian lan)|"
            r"(?:kai guan he|cha zuo|dian xiang|dian biao xiang) (?:zi )?li (?:\S+ )?(?:quan|dou|man) shi shui|"
            r"(?:deng zuo|deng kou|deng tou|deng guan) (?:\S+ ){0,6}(?:di shui|lou shui|jin shui|shen shui|mao shui)|(?:deng|dian) kai guan (?:\S+ ){0,3}(?:pao|yan|jin shui|shui li)|diao deng (?:\S+ ){0,3}(?:di|lou|liu|shen|jin shui)"),
         requires=_p(r"shui|yan|pao|chu dian|dian (?:dao|zhao|ji)"),
         misheard=re.compile(r"出电梯|出点|楼电|^楼道|漏点|水离"),
         unless=((re.compile(r"^(?!触电)"), re.compile(_POWER_OFF + r"|停电|没电了")),)),  # the power is off (but 触电 is a person hurt)
    Rule("lift shaft open", _p(r"dian ti men (?:\S+ ){0,3}kai (?:zhe|le) (?:\S+ ){0,6}(?:dian ti )?(?:mei|bu zai|mei shang lai|mei xia lai)|"
                               r"dian ti jing (?:\S+ ){0,3}(?:hei dong dong|kong|lu zhe|kai zhe)")),
    Rule("into the water", _p(r"wang (?:shui|he) li (?:zou|tiao|pa)|(?:diao|tiao|luo) (?:jin |dao )?(?:he|shui|bing ku long|shui ku) li")),
    Rule("through the ice", _p(r"lie (?:le )?(?:\S+ ){0,3}diao jin qu|(?:ba|pa) zhe bing ku long"), requires=_p(r"bing")),
    Rule("on cracking ice",  # children or someone still out on ice that is cracking
         _p(r"bing (?:mian )?(?:\S+ ){0,2}(?:lie (?:le|kai|feng)|ka ka|kuai (?:yao )?ta|yao ta)"),
         requires=_p(r"(?:hai zi|xiao hai|wa|ren|lao tou|lao ren) (?:\S+ ){0,6}(?:wan|pao|hua|zou|zhan|zai (?:\S+ )?shang)"),
         skip=re.compile(r"冰雹|滑冰场|路面|马路|人行道|台阶|冰溜"),
         unless=((re.compile(r"."), re.compile(r"冰箱|冰柜|冰棍|冰糖|冰块")),)),  # ice that is no river's
    Rule("electric shock", _p(r"chu dian|bei dian (?:dao|ji|zhao|da)|dian (?:dao|ji) (?:le )?ren"),
         misheard=re.compile(r"出电梯|出点")),
    Rule("live wire down",  # on the ground and showing it is live: sparks, buzzing, something that touched it
         _p(r"(?:dian xian|gao ya xian|dian lan|(?:na |zhe )?ge(?:n)? xian|de xian) (?:\S+ ){0,8}(?:da la|diao|luo|tuo|tang|pu|chui) (?:\S+ ){0,3}di (?:shang|xia)"),
         requires=_p(r"huo hua|huo xing|zi zi|zi la|ci la|pi pa|pi li pa la|da huo|mao huo|bu dong le|chu dian|dian (?:zhao|dao) le"),
         skip=re.compile(r"快|要|差点"),
         unless=((re.compile(r"."), re.compile(_POWER_OFF)),)),  # the power is off
    Rule("fall from a height",
         _p(r"(?:cong|zi) (?:\S+ ){1,5}(?:diao|shuai|die|zhui|tiao|luo) (?:xia|le xia|chu)|zhui lou|"
            r"(?:hai zi|xiao hai|wa|er zi|sun zi|sun nv|nv er|ren) (?:\S+ ){0,3}(?:diao|shuai|zhui) (?:xia|chu) (?:lai|qu)"),
         skip=re.compile(r"花盆|垃圾|东西|瓷砖|墙皮|冰溜|树叶|衣服|雨水|牌|眼看|要掉|就掉|得有人|了不得|咋办|怎么办|再塌|猫|狗|乌龟|鸟|鹦鹉|兔|电线"),
         misheard=re.compile(r"^子|甩|吊")),
    Rule("threat to jump", _p(r"tiao lou|wang xia tiao|tiao he|tiao xia qu|qing sheng|zi sha|xun si|bu xiang huo|shang diao|"
                              r"(?:lou ding|bian shang|chuang tai|yang tai) (?:\S+ ){0,4}(?:shuo )?yao tiao"),
         misheard=re.compile(r"寻思|熏死|上掉|傻|啥|跳楼价"), skip=re.compile(r"塔吊|吊车|吊装")),
    Rule("break-in", _p(r"(?:you ren|zai) (?:zheng )?(?:zai )?qiao|(?:you ren|ta men) chuang jin (?:wo |wo men )?jia|"
                        r"(?:ning|shi|niu|la) (?:\S+ ){0,2}men ba shou|(?:ba|qiao|chai) (?:wo jia |wo men jia |wo men )?fang dao (?:chuang|wang|men)"), misheard=re.compile(r"敲|瞧|桥|巧|乔|侨|^把"), skip=re.compile(r"车"),
         unless=((re.compile(r"."), _AFTERWARDS),
                 (re.compile(r"把手"), re.compile(r"挨家挨户|一家一家|挨个|挨门")))),  # trying every door: casing the building
    Rule("over the wall",  # and still there: heard, seen, not come out
         _p(r"fan (?:qiang|chuang hu|chuang|yang tai|wei qiang|lan gan|tie men) jin"),
         requires=_p(r"xian zai|hai zai|jiu zai|hai mei chu|mei chu lai|ting (?:jian|zhe)|dong jing|kuai (?:lai|pai|jiao)|gan jin"),
         skip=re.compile(r"经常|老有|总有|常有|小孩|孩子|猫|狗|近道|近路|抄近"),
         unless=((re.compile(r"."), _AFTERWARDS),)),
    Rule("burglar still inside",
         _p(r"(?:wu li|li wu|li tou|li mian|li bian|jia li|wo shi|fang li) (?:\S+ ){0,2}(?:hai |ye )?you (?:dong jing|ren|sheng yin|xiang dong|jiao bu sheng)|"
            r"ren (?:\S+ ){0,2}hai zai li (?:tou|mian|bian)"),
         requires=_p(r"qiao|fan (?:de|le|luan)|hua kai|xiao tou|ru shi|bei dao|dao qie|suo (?:\S+ ){0,3}huai|men kai zhe|hao ji tian mei ren"),
         unless=((re.compile(r"."), re.compile(r"不知道[^，,。]{0,8}(?:还在里[边面头]没有|在不在|走没走|走了没有)")),  # a question: urgent
                 (re.compile(r"."), re.compile(r"车门|车里|车窗|翻车|车翻|车.{0,4}(?:水|沟)里")))),  # someone in a car: `people trapped`
    Rule("violence going on",
         _p(r"yao (?:da|nong|gao|zha) si (?:wo|ta|ni|ren)|(?:bei|gei) (?:\S+ ){0,6}dai zou le|"
            r"(?:hai|zheng|zhe hui) zai (?:\S+ ){0,3}(?:da|kan|zhuai) (?:ren|ta|wo|ne|jia|ma)(?! jiang)|wei zhe (?:\S+ ){0,4}da(?= |$)(?! (?:dian|gong|sao|pai|ka|qiu|ma|zhao|sheng))|"
            r"you ren zai da (?:yi ge )?(?:xiao hai|hai zi|ren|lao ren|lao tai tai|lao tou)|wang si li da|la (?:dou |ye )?la bu kai|(?:bei|rang|gei) (?:\S+ ){0,4}wei (?:zhe|zhu|qi lai) da|(?:ji|hao ji) ge (?:ren )?da yi ge|(?:da|bei da) pa xia le|"
            r"men (?:\S+ ){0,2}(?:kuai|yao) (?:bei )?(?:za|chuai|ti|qiao) kai|tong gui yu jin|bang jia|qiang jie|da de (?:\S+ ){0,3}(?:can jiao|ku jiao|liu xue|chu xue)|"
            r"(?:wang|la|zhuai|tuo) (?:\S+ ){0,2}che li (?:zhuai|la|tuo)|(?:zhuai|la|tuo|bao) shang (?:le )?(?:\S+ ){0,2}che le"),
         skip=re.compile(r"打电话|打麻将|打扫|打牌|打针|打球|打工|打卡|打扮|打算|打听|打滚|游戏|电视|说着玩"),
         misheard=re.compile(r"大|在家|杂|咋"),
         unless=((re.compile(r"流血|出血"), _AFTERWARDS),  # blood after a blow, the attacker gone
                 (re.compile(r"拉不开"), re.compile(r"^(?!.*(?:(?<![快要])打(?!电话|听|扫|算|开|个|\d)|(?<![快要])动手了|推|搡|踹|掐)).*$")))),  # a row not yet come to blows
    Rule("burning smell growing",  # wires or plastic burning somewhere, the smell getting stronger
         _p(r"shao (?:dian xian|xian|jiao|hu|su liao|xiang jiao) (?:\S+ ){0,3}wei"),
         requires=_p(r"yue lai yue|yue (?:\S+ )?yue (?:nong|da|chong)|jiu shi qiang|(?:hen|te bie|zhi|lao|ting) qiang|qiang (?:de|ren|sang zi|yan jing)")),
    Rule("child followed",  # a stranger following a child, still around
         _p(r"gen zhe (?:wo )?(?:jia )?(?:sun nv|sun zi|nv er|gui nv|hai zi|xiao hai|wai sun nv|wai sun|ya tou)"),
         requires=_p(r"xian zai hai|hai zai|bu zou|zhuan you|deng zhe|shou zhe")),
    Rule("pushed down",
         _p(r"(?:ba|jiang) (?:\S+ ){0,3}tui dao (?:le|zai)|tui (?:\S+ ){0,4}(?:lou ti|tai jie) (?:\S+ )?xia (?:qu|lai)"),
         skip=re.compile(r"车|东西|柜|墙|门|桶|树|杆|箱|盆|椅|桌|牌")),
    Rule("poisoning",
         _p(r"(?:mei yan|shi wu|yi yang hua tan|ran qi|mei qi) (?:\S+ )?zhong du|zhong du le|"
            r"(?:he|chi|tun) (?:le )?(?:nong yao|lao shu yao|du yao|xiao du ye|ji yao|an mian yao)|(?:xiao du shui|xiao du ye|nong yao|ji yao|lao shu yao) (?:\S+ )?(?:he|chi|tun) le|(?:hai zi|xiao hai|sun zi|sun nv|wa|wai sun|er zi|nv er) (?:\S+ ){0,2}(?:chi|tun|he) (?:le )?(?:\S+ ){0,6}(?:jiang ya|an mian|jiang tang|xiao du|nong|ding) (?:yao|pian|ye)|"
            r"(?:quan|dou(?! shi)|yi ba|yi ping) (?:\S+ ){0,2}(?:tun|chi) (?:xia qu|le)|(?:tun|chi) le (?:\S+ )?(?:yi )?(?:zheng ban|zheng ping|da ba)|"
            r"(?:mei|ran|tian ran) qi (?:\S+ ){0,6}(?:tou yun|tou teng|e xin|xiang tu|tu le)|(?:tou yun|tou teng|e xin|xiang tu) (?:\S+ ){0,6}(?:mei|ran|tian ran) qi"),
         skip=re.compile(r"防|预防|报警器|安装|知识|宣传|讲座|检测|检查|年检|安检"),
         unless=((re.compile(r"."), re.compile(r"不是(?:燃气|煤气|天然气)")),)),
    Rule("choking",
         _p(r"ye (?:zhu|zhe) le|(?:ka|qia) (?:zai|zhu) (?:sang zi|hou long|qi guan)|bie de (?:\S+ ){0,2}(?:tong hong|fa zi|zi le|qing le)|"
            r"shuo bu chu hua (?:lai )?le")),
    Rule("stroke signs",
         _p(r"bu ting shi huan|zui (?:jiao|ba) (?:\S+ ){0,3}(?:wai|xie|liu kou shui)|liu kou shui|"
            r"xin kou (?:\S+ ){0,3}(?:teng|tong|men|ya|jiu)|zuo (?:ge bo|bi|shou|ge bei) (?:\S+ ){0,2}ma"),
         skip=re.compile(r"以后|后遗症|康复|理疗|预防|讲座|体检|开药|拿药|买药|经常|老毛病|一直|这两天|这几天|好几天|老疼|总疼|时不时")),
    Rule("people trapped",
         _p(r"(?:ren|ta|gong ren|hai zi|lao tou) (?:\S+ ){0,4}(?:chu bu lai|shang bu lai|xia bu lai|mei shang lai|pa bu chu lai)|"
            r"xia (?:qu|dao) (?:\S+ ){0,3}mei shang lai|ya zai (?:\S+ ){0,3}(?:xia mian|di xia)|bei ya (?:zhu|zhe)|"
            r"(?:hai zi|xiao hai|ren|lao ren|lao tou|lao tai tai|lao tai|gong ren) (?:\S+ ){0,2}diao (?:jin |dao )?(?:\S+ ){0,8}(?:fen chi|fen keng|jing|keng|gou|bing ku long|he) li|"
            r"yi jiao cai kong (?:\S+ )?(?:xia qu|diao xia qu|diao jin qu)|(?:rang|gei|bei) (?:\S+ )?ya zhu le|ya zai (?:\S+ )?ren shen shang|"
            r"(?:hai zi|xiao hai|ren|lao ren|lao tou|lian ren dai che) (?:\S+ ){0,2}diao jin qu le|"
            r"(?:li mian|li tou|li bian|che li) (?:hao xiang )?(?:hai |dou )?you ren(?! zhu)|diao (?:jin |dao )?(?:\S+ ){0,2}(?:jing|fen chi|fen keng) li (?:le|qu le)"),
         requires=_p(r"che|diao|ta le|ta xia|jing|keng|dian ti|fei|wa|lou ti|ya|fen chi"),
         skip=re.compile(r"停车|车位|挪车|没人|车库|车棚|出不来门|轮椅|电梯坏|电梯停|停电|高层|下不去|手机|钥匙|东西|狗|猫|鸡|羊|球|鞋|车轮|轮子|瘫|人没事"),
         unless=((re.compile(r"[下上]不[来去]"), re.compile(r"电梯.{0,4}(?:坏|停|不走|不动|不能用|不运行)|停电")),)),  # the stairs, with the lift out
    Rule("child in danger",
         _p(r"ban ge shen zi (?:\S+ ){0,3}wai|(?:chuang hu|chuang tai|yang tai|lou ding) (?:\S+ ){0,4}(?:wai tou|wai mian|bian shang|bian yuan) (?:\S+ ){0,2}(?:pa|zuo|zhan|diao)|"
            r"(?:pa|zuo|zhan) (?:dao|zai) (?:\S+ ){0,2}(?:lou ding|chuang tai|yang tai wai|chuang wai)|"
            r"(?:hai zi|xiao hai|wa zi) (?:\S+ ){0,3}(?:fan )?suo zai|(?:fan )?suo (?:\S+ ){0,2}(?:hai zi|xiao hai|wa zi) |"
            r"(?:chuang hu|chuang tai|yang tai) (?:\S+ ){0,2}(?:pa|fan|zuan) chu qu|nv er qiang (?:\S+ ){0,2}(?:zou|pao|wan|zuo|zhan|pa)|kong tiao wai ji (?:\S+ ){0,2}(?:dun|zhan|zuo|pa)"),
         skip=re.compile(r"防护网|护栏|安装|要装|该装|猫|狗|师傅|工人|装空调|修空调"), misheard=re.compile(r"占"),
         unless=(_A_PET,)),
    Rule("on a roof edge",  # someone standing or pacing up there, not at work
         _p(r"(?:lou ding|fang ding|wu ding|tian tai) (?:shang |bian shang )?(?:zhan|zuo|pa|zou) (?:zhe|le) (?:\S+ ){0,2}ren|"
            r"(?:lou ding|fang ding|wu ding|tian tai) (?:\S+ ){0,4}bian (?:shang|yuan|er) (?:\S+ ){0,3}(?:zou lai zou qu|zhan zhe|zuo zhe|huang)"),
         skip=re.compile(r"修|干活|施工|清雪|扫雪|铲雪|工人|师傅|太阳能|晒|鸽子|猫|狗|广告|天线")),
    Rule("child missing",
         _p(r"(?:hai zi|xiao hai|xiao hai er|er zi|nv er|gui nv|sun zi|sun nv|wa zi) (?:\S+ )?(?:zhao bu (?:zhao|zhe|dao)|bu jian le|diu le|zou diu le)|"
            r"(?:wan zhe(?: wan zhe)?|yi zhuan yan) (?:\S+ )?(?:jiu )?(?:mei le|bu jian le)|fang xue (?:\S+ ){0,2}(?:mei hui jia|hai mei hui|mei hui lai)"),
         requires=_p(r"hai zi|xiao hai|er zi|nv er|gui nv|sun zi|sun nv|wa|wa zi|xue sheng|ya tou|wai sun|wai sun nv|xiao zi"),
         skip=re.compile(r"书包|作业|手机|钥匙|东西|衣服|玩具|车|证|卡|钱|狗|猫|户口本|存折|本子")),
    Rule("swallowed",
         _p(r"(?:dian chi|ci li zhu|ci zhu|ci tie|ying bi|ding zi) (?:\S+ ){0,3}(?:yan|tun) (?:xia qu|jin qu|le)|"
            r"(?:yan|tun) (?:xia qu |jin qu |le )?(?:\S+ ){0,3}(?:dian chi|ci li zhu|ci zhu|ci tie|ying bi|ding zi)")),
    Rule("old person missing",
         _p(r"zou diu|zou shi|bu jian (?:ren )?le|diu le|(?:mei|hai mei|bu) hui (?:lai|jia)|zhao bu (?:zhao|zhe|dao)|(?:pao|zou|men|zi ji) chu qu le|"
            r"mei (?:zhao|kan) (?:zhao|zhe|jian) (?:ren|ta)|(?:zhao|kan) (?:le )?(?:\S+ ){0,3}mei (?:zhao|kan) (?:zhao|zhe|jian)"),
         requires=_p(r"wo (?:\S+ )?zhao bu (?:zhao|zhe|dao) jia|chi dai|a er ci hai mo|hu tu|ji xing bu hao|nao zi bu|shi zhi|ren bu de (?:lu|dao|jia)|ji bu zhu (?:lu|dao|jia)|"
                     r"shuo bu (?:ming bai|qing chu) (?:jia|zhu)"),
         skip=re.compile(r"钥匙|证|卡|钱包|狗|猫|东西|手机|药|假牙|眼镜|拐棍|镯|首饰|项链|戒指|耳环|最近|经常|老是|老找不着|总是|有时候|手环|定位"),
         unless=((re.compile(r"找不"), re.compile(r"找不[着到](?:自己家门|家门|屋门|厕所|卫生间)|在家里?找不")),),  # lost inside his own home
         calm=re.compile(r"不冷|不算冷|不太冷|天暖和|天还(?:没黑|亮)"),  # the guide's emergency is one lost in the cold
         calm_unless=re.compile(r"冷得|下雪|零下|冻|天黑了|夜里|半夜|一宿|一夜|晚上")),
    Rule("nobody answers the door",
         _p(r"(?:qiao (?:le )?(?:\S+ ){0,2}men|qiao|jiao|han|pai) (?:men )?(?:\S+ ){0,8}"  # 敲了半天门 counts from the door
            r"(?:mei ren (?:da )?ying|bu (?:da )?ying|bu kai|mei dong jing|mei ren kai|mei ying|heng heng|shen yin)"),
         requires=_p(r"yi ge ren|du ju|gu gua|lao (?:tai|tou|ren|ye|ban|po|jie)|lao \S+ (?:tou|tai)|nai nai|ye ye|da ye|da niang|ba shi|qi shi|jiu shi|"
                     r"(?:liang|san|ji|hao ji) tian (?:\S+ ){0,2}mei"),
         skip=re.compile(r"物业|快递|外卖|收费|推销|抄表|维修|修|社区|办事|上班|工作人员|热线|单位|公司|网格员|医院|客服")),
    Rule("not answering the phone",  # someone who always answers
         _p(_UNANSWERED),
         requires=_p(r"ping (?:shi|chang) (?:\S+ ){0,8}(?:jie|da|shi pin|dian hua|bao ping an)|cong lai (?:mei|bu)|yi xiang|mei tian (?:\S+ ){0,4}(?:zhun|dou|yi ding|ding shi)"),
         skip=re.compile(_NOT_A_PERSON + r"|专家|车主|保健品|送(?:氧|气|水|煤|饭|瓶|货)|助餐"),
         unless=((re.compile(r"."), re.compile(r"平[时常](?:都是)?(?:卫生站|服务站|社区|物业|医院|公司)")),)),  # the one who always answers is a service
    Rule("alone, not heard from",  # someone who lives alone: no answer on the phone, off, or not seen
         _p(_UNANSWERED + r"|mei jian (?:zhao |zhe )?(?:ren|ta|ren ying|ta chu men|ta xia lou|ta chu lai)|mei lu (?:guo )?mian|"
            r"(?:liang|san|si|ji|hao ji|zheng) tian (?:\S+ ){0,2}mei (?:xia lou|chu men|chu lai|jian)"),
         requires=_p(r"du ju|yi ge ren (?:zhu|guo|sheng huo|zai jia)|gu gua|kong chao|zi ji yi ge ren|zi (?:ji|ge) zhu|sheng ta yi ge|jiu ta yi ge"),
         skip=re.compile(_NOT_A_PERSON + r"|装修|热力|社区|工作人员|领导|部门|卫生站|儿子|女儿|闺女|儿女|孩子|子女|补贴"),
         unless=((re.compile(r"接|通|关机"), re.compile(r"公司|物业|师傅|中介|房东")),  # the firm is what cannot be reached
                 (re.compile(r"."), re.compile(r"(?:我|俺)(?:是|就|自己|现在|家就|家)?(?:一个人|独居|孤寡)")),  # the caller is the one alone
                 (re.compile(r"."), re.compile(r"应了一声|答应了|应声了|回话了|[他她]说没事|灯(?:还)?亮着|应该没事")))),  # who answered after all
    Rule("life support stopped",  # and the person already struggling: a stopped machine alone is urgent to many
         _p(r"(?:zhi yang ji|xi yang ji|yang qi ji|hu xi ji|tou xi|yang qi dai|yang qi ping) (?:\S+ ){0,16}"
            r"(?:chuan|bie de|fa zi|cheng bu (?:liao|le)|ding bu (?:liao|le|zhu)|bu xing le|shang bu lai qi|tou bu guo qi)"),
         requires=_p(r"ting dian|mei dian|duan dian|tiao zha|ting le|bu zhuan|bu dong le|bu xiang le|yong wan|huai le|sheng (?:\S+ )?(?:xiao|yi dian)")),
    Rule("hit by a car",
         _p(r"zhuang (?:le )?ren|(?:ren|lao tai tai|lao tou|lao ren|lao ban|hai zi|xiao hai|wo|ta|sun zi|er zi|nv er|xue sheng) "
            r"(?:\S+ ){0,4}(?:bei|rang|gei) (?:\S+ ){0,2}che (?:gei )?(?:zhuang|ya|guai)|"
            r"che (?:\S+ ){0,2}(?:zhuang|ya) (?:le|dao|fei|shang) (?:\S+ ){0,2}(?:ren|hai zi|lao tai|lao tou|xiao hai)|zhuang fei le"),
         misheard=re.compile(r"装|状|壮|庄|压力|鸭"), skip=re.compile(r"狗|猫|宠物|羊|鸡"),
         unless=((re.compile(r"撞"), re.compile(_SWINDLE + r"|私了")),)),  # the story a swindler told
    Rule("scalding water",
         _p(r"(?:kai shui|gun shui|gun kai de shui|re shui|gun tang de shui) (?:\S+ ){0,3}(?:ci|chi|pen|fan|hua hua)|"
            r"(?:ci|chi|pen) (?:\S+ ){0,2}(?:kai shui|gun shui|gun kai de shui|re shui(?! qi))|(?:pen|ci|chi) (?:re )?shui (?:\S+ ){0,6}(?:re qi|bai qi|tang de)|(?:ci|chi|zi) shui (?:\S+ ){0,4}(?:ting|hen|te bie|lao) tang"),
         requires=_p(r"nuan qi|guan|fa men|pian"),
         misheard=re.compile(r"盆|池|迟|吃|持|翻身"),
         skip=re.compile(r"热水器|洗澡|水壶|烧水|暖壶|费|修好|停了"),
         calm=re.compile(r"有点烫|不太烫|不怎么烫|温乎|温的|不烫"), calm_unless=re.compile(r"烫伤|烫着|白气|老烫|很烫|特别烫|滚烫")),
    Rule("scalded",
         _p(r"(?:bei|gei|rang) (?:\S+ ){0,2}tang (?:zhao|shang|le)|tang (?:zhao|zhe|shang) (?:le )?(?:\S+ )?(?:ren|tui|shou|jiao|lian|lao ban|hai zi|wo)|"
            r"(?:bao|beng|zha) (?:kai )?le (?:\S+ ){0,6}(?:tan huan|dian xian|cha pai|cha zuo)"),
         requires=_p(r"nuan qi|guan|shui|you"),
         skip=re.compile(r"热水器|洗澡|费|上个月|以前")),
)


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern  # over ' '-joined toneless syllables
    cancelled_by_hypothetical: bool = False  # 怕出危险 is no danger yet


# Signs that a problem cannot wait, by kind; a message needs several kinds (URGENT_MIN_CUES).
URGENT_CUES = (
    Cue("haste", _w(r"kuai (?:lai|dian|bang|gei|pai|xiang)|gan (?:jin|kuai|jian)|ma shang|jin kuai|deng bu (?:liao|le|ji)|"
                     r"ji si|huo ji|yue kuai yue hao|ke zen me ban|zen me zheng|zen me ban a")),
    Cue("danger", _w(r"wei xian|xia ren|xia si|yao ta|yao dao|za (?:zhao|dao|shang) ren|chu shi|shang ren|shou shang"),
        cancelled_by_hypothetical=True),
    Cue("how long", _w(r"(?:liang|san|si|wu|ji|hao ji|zheng zheng) tian|yi zheng tian|cong (?:zuo tian|qian tian|zao shang)|"
                        r"dao xian zai|yi zhou|yi ge li bai")),
    Cue("how many", _w(r"yi zheng dong|zheng dong|quan lou|yi pian|zheng ge (?:dan yuan|lou|xiao qu)|quan (?:dan yuan|xiao qu)")),
    Cue("someone vulnerable", _w(r"lao ren|lao tai tai|lao ye zi|lao tou|lao ban|lao ye ye|nai nai|ye ye|hai zi|xiao hai|"
                                  r"yun fu|bing ren|tan huan|wo chuang|tui jiao|xin zang|hu xi ji|tou xi|du ju|yi ge ren")),
    Cue("supply gone", _w(r"mei (?:shui|dian|nuan qi|re hu|qi|ran qi)|ting (?:shui|dian|nuan)|bu re|dong de|leng de")),
)
# What an operator reads: the console shows the evidence in Chinese, the records keep it in English.
NAMES_ZH = {
    "gas smell": "燃气味", "gas leaking": "燃气泄漏", "fire": "着火冒烟", "a fall, cannot get up": "摔倒起不来",
    "a fall": "摔倒", "trapped": "被困电梯", "locked in": "被关屋内", "no response": "呼叫无回应", "unconscious": "昏迷",
    "cannot breathe": "呼吸困难", "heart or stroke": "心脏病或中风", "heavy bleeding": "大量出血", "cry for help": "呼救",
    "armed attack": "持械伤人", "water and electricity": "水漫电器", "electric shock": "触电", "fall from a height": "高处坠落", "live wire down": "电线落地带电",
    "threat to jump": "轻生", "break-in": "有人闯入", "over the wall": "有人翻墙入户", "burglar still inside": "窃贼可能还在屋内", "violence going on": "正在施暴", "pushed down": "被推倒", "burning smell growing": "焦糊味越来越浓", "child followed": "陌生人尾随孩子", "poisoning": "中毒",
    "choking": "噎住窒息", "stroke signs": "中风征兆", "people trapped": "有人被困", "child in danger": "儿童险情",
    "child missing": "孩子走失", "swallowed": "误吞异物", "old person missing": "失智老人走失",
    "nobody answers the door": "敲门无人应", "not answering the phone": "平时接电话今天不接",
    "alone, not heard from": "独居老人联系不上",
    "life support stopped": "制氧呼吸设备停了且呼吸困难", "hit by a car": "车撞人", "lift shaft open": "电梯门开着无轿厢",
    "into the water": "落水", "on a roof edge": "有人在楼顶边上", "through the ice": "冰面塌陷落水", "on cracking ice": "有人在开裂的冰面上", "scalding water": "开水喷出", "scalded": "烫伤",
    "haste": "催促", "danger": "危险", "how long": "持续已久", "how many": "影响多户", "someone vulnerable": "涉及老弱病幼",
    "supply gone": "断水断电断暖",
}
LEVELS_ZH = {EMERGENCY: "紧急", URGENT: "较急", NORMAL: "一般"}
_WHY_ZH = {"faint or small": "但较轻微", "over": "但已过去", "asks for paperwork": "但在咨询办事", UNLIKELY: "但模型认为不像",
           "hypothetical": "但只是假设", "second-hand": "但只是听说"}
_HEARD = re.compile(r"(?P<name>[^:]+): heard '(?P<heard>[^']*)'(?: but (?P<why>[a-z -]+?)(?: \('(?P<words>[^']*)'\))?)?")
_MODEL = re.compile(r"model: (?P<level>[a-z]+) (?P<p>[\d.]+)")


def evidence_in_chinese(evidence: str) -> str:
    """One line of urgency evidence for the operator: "gas smell: heard '煤气味'" → 燃气味：听到“煤气味”."""
    if found := _MODEL.fullmatch(evidence):
        return f"模型判断：{LEVELS_ZH.get(found['level'], found['level'])} {found['p']}"
    found = _HEARD.fullmatch(evidence)
    if found is None or found["name"] not in NAMES_ZH:
        return evidence
    said = f"{NAMES_ZH[found['name']]}：听到“{found['heard']}”"
    if found["why"]:
        said += f"，{_WHY_ZH.get(found['why'], found['why'])}"
    return said + f"（“{found['words']}”）" if found["words"] is not None else said


_NOT_HAN_OR_DIGIT = re.compile(r"[^\u4e00-\u9fff\d]+")
_WORD_START, _WORD_END = "(?:^| )", "(?= |$)"
_SYLLABLE_START = "(?<![^ ])"  # as `_w` begins


def _whole_syllables(pattern: re.Pattern) -> re.Pattern:
    """A rule's pattern with its start as a lookbehind, as `_needs` reads patterns (`_w`)."""
    source = pattern.pattern
    assert source.startswith(_WORD_START) and source.endswith(_WORD_END), source
    return re.compile(_SYLLABLE_START + "(?:" + source[len(_WORD_START):-len(_WORD_END)] + ")" + _WORD_END)


# A cheap exact pre-check before a syllable pattern's search. From the pattern itself (read
# with the regex parser) every way it can match is spelled out as whole syllables, any one
# syllable (\S+) left unknown; each way needs its known syllables, and each pair of them
# side by side, in the message. Lookaheads only narrow a match, so they are ignored: the
# pre-check may let through a message the pattern does not match, never the reverse.
_ANY_SYLLABLE = object()


class _Unreadable(Exception):
    """A regex construct the pre-check does not read: the pattern is then always searched."""


def _ways(items, states: set) -> set:
    """`states` (syllables so far, the syllable being spelled or None once the text has
    ended) after `items` of a parsed pattern."""
    for op, av in items:
        states = _way_step(op, av, states)
    return states


def _way_step(op, av, states: set) -> set:
    if op is _sre.LITERAL:
        out = set()
        for done, part in states:
            if part is None:  # after '$' no character can follow
                continue
            if av == ord(" "):
                out.add((done + (part,), ""))
            else:
                out.add((done, _ANY_SYLLABLE if part is _ANY_SYLLABLE else part + chr(av)))
        return out
    if op is _sre.NOT_LITERAL and av == ord(" ") or op is _sre.IN and av == [(_sre.CATEGORY, _sre.CATEGORY_NOT_SPACE)]:
        return {(done, _ANY_SYLLABLE) for done, part in states if part is not None}
    if op is _sre.IN and all(kind is _sre.LITERAL and char != ord(" ") for kind, char in av):
        return set().union(*(_way_step(_sre.LITERAL, char, states) for _, char in av))
    if op is _sre.BRANCH:
        return set().union(*(_ways(branch, states) for branch in av[1]))
    if op is _sre.SUBPATTERN and not av[1] & _sre.SRE_FLAG_IGNORECASE:
        return _ways(av[-1], states)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return states
    if op is _sre.AT and av is _sre.AT_END:
        return {(done if part is None else done + (part,), None) for done, part in states}
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, high, sub = av
        result, current = (set(states) if low == 0 else set()), states
        for count in range(1, 50):
            current = _ways(sub, current)
            if count >= low:
                if high == _sre.MAXREPEAT and current <= result:
                    return result
                result |= current
            if count == high:
                return result
    raise _Unreadable(op, av)


_WHOLE_SYLLABLES = [repr(item) for item in list(_sre_parse.parse(_SYLLABLE_START + "x" + _WORD_END))[::2]]


def _needs(pattern: re.Pattern) -> tuple[frozenset, dict] | None:
    """(keys, {key: the sets of syllables and pairs side by side, one set per way to match}):
    the message must hold one such set in full, and holds its key, one of its members; None
    when some way needs nothing known or the pattern cannot be read. Only a pattern that
    starts and ends at whole syllables (as `_w` makes them) is read: elsewhere its first and
    last syllables could be parts of the message's."""
    items = list(_sre_parse.parse(pattern.pattern))
    if pattern.flags & re.IGNORECASE or len(items) < 3 or [repr(items[0]), repr(items[-1])] != _WHOLE_SYLLABLES:
        return None
    try:
        states = _ways(items[1:-1], {((), "")})
    except _Unreadable:
        return None
    needs = set()
    for done, part in states:
        words = done if part is None else done + (part,)
        known = {w for w in words if w is not _ANY_SYLLABLE and w}
        known.update((a, b) for a, b in zip(words, words[1:]) if a in known and b in known)
        if not known:
            return None
        needs.add(frozenset(known))
    index: dict = {}
    for need in needs:
        index.setdefault(min(need, key=lambda w: (isinstance(w, str), repr(w))), []).append(need)  # a pair if it has one
    for key, bucket in index.items():  # a way needing more than another of its key adds nothing
        index[key] = [need for need in bucket if not any(other < need for other in bucket)]
    return frozenset(index), index


def _words(joined: str) -> set:
    """The syllables of the joined text and each pair side by side, as `_needs` reads them."""
    syllables_ = joined.split(" ")
    words = set(syllables_)
    words.update(zip(syllables_, syllables_[1:]))
    return words


def _may_match(needs: tuple[frozenset, dict] | None, words: set) -> bool:
    """False only when the pattern whose `_needs` these are cannot match the text of `words`."""
    if needs is None:
        return True
    keys, index = needs
    return any(need <= words for key in keys.intersection(words) for need in index[key])


def _joint(needs: tuple) -> tuple[frozenset, dict]:
    """Several patterns' `_needs` as one: (all keys, {key: [(the pattern's position, a set it
    needs)]}), read with one intersection for all the patterns."""
    index: dict = {}
    for position, (keys, by_key) in enumerate(needs):
        for key in keys:
            index.setdefault(key, []).extend((position, need) for need in by_key[key])
    return frozenset(index), index


# Per rule, so that only the rules a message may match are searched (one search of a regex of
# all rules cost ~80 µs for each message that might match it).
_RULE_NEEDS = tuple(_needs(_whole_syllables(rule.pattern)) for rule in RULES)
_RULE_KEYS, _RULE_INDEX = _joint(_RULE_NEEDS)


def _rules_that_may_match(words: set) -> list[Rule]:
    """The rules, in order, whose `_may_match` holds for `words`."""
    positions = {position for key in _RULE_KEYS.intersection(words) for position, need in _RULE_INDEX[key] if need <= words}
    return [RULES[position] for position in sorted(positions)]


_CUE_NEEDS = tuple(_needs(cue.pattern) for cue in URGENT_CUES)
# Whether the words describe something happening now is read on the characters (the
# pinyin 'pa' is 怕 but also 趴 and 爬), within the clause that holds the rule's words.
_CLAUSE_BREAK = re.compile(r"[，。！？,.!?；;：:、…\s]")
_SENTENCE_BREAK = re.compile(_CLAUSE_BREAK.pattern.replace("、", ""))  # not 、, which lists things
# 万一着火, 就怕起火, 要是晕倒了谁管, 别摔着, 防止有人被困: not happening (yet).
_HYPOTHETICAL = re.compile(r"以为|梦见|做梦|万一|要是|如果|假如|假若|一旦|一(?=着火|起火|失火|出事)|怕(?!是)|担心|操心|容易|防止|以防|预防|免得|省得|别|小心|会不会|"
                           r"可能会|迟早|早晚|哪天|隐患|差点|差一点|险些|幸亏|好在|得防|怎么防|提防|能不能|有没有|"
                           r"真(?!的|是)|就能|就会|等着")
# 假如说啊，我是说假如，半夜闻着煤气味了: a question framed as made up holds to the end of
# its sentence, across its commas; so does a rumour or the news (听说隔壁小区着火了，是不是真的).
_FRAMED = re.compile(r"假如说|假设|打个比方|比方说|举个例子|我是说假如")
_HEARSAY = re.compile(r"听(?:人|人家|别人|邻居)?说|据说|新闻|电视上|电视里|看电视|报纸上|网上|广播里|视频里|抖音")
_FULL_STOP = re.compile(r"[。！？.!?]")
# 没着火, 不是摔倒: denied just before the words.
# The caller corrects themselves right after the words: 摔了……不对，是肚子疼.
_TAKEN_BACK = re.compile(r"[^，,。！？!?…]{0,3}[…，,.。]+\s*(?:不对(?!劲)|说错了|不是不是)")
_DENIED = re.compile(r"(?:没|没有|(?<!是)不是|并没|并没有|未|不会|没人|(?:倒是|已经|都)不)(?:看着|看见|瞅见|看到|见着?)?$")
# 上个月摔过一次, 以前着过火: long past, whatever clause it was said in...
_LONG_PAST = re.compile(r"前几年|前些年|上个?月|上回|上次|以前|之前|从前|去年|前年|那年|前些天|前些日子|前几天|前阵子|前段时间|曾经|那回|那次|"
                        r"年前|小时候|好几年|上个?礼拜|上个?周|上个?星期|前两天|前俩天|前一阵")
# ...or recent past with the matter over: 昨天有点味儿现在没了.
_RECENT_PAST = re.compile(r"昨天|昨晚|昨儿|前天|前晚|早上|上午|前半夜")
_RESOLVED = re.compile(r"熏黑了|烧黑了|没事儿了|拉走了|来过了|来了警察|警察来了|现在没|现在好|现在不|没事了|没啥事|好多了|好了|修好|救出来|出来了|处理好|散了|灭了|停了|送医院了|住院了|找着了|找到了|回来了")
# ...unless the caller says it is now: 以前摔过，刚才又摔倒了.
_NOW = re.compile(r"现在|刚才|刚刚|这会儿|正在|还在|快来|赶紧|马上|救命|快点|又")
_NOW_SAID = re.compile(_NOW.pattern.removesuffix("|又"))  # after a rumour, 又 is the rumour's (电视上说又着火了)
_DONE_BEFORE = re.compile(r"^(?:过(?!去|来)|了?一[回次])")  # 困过人, 犯了一回: done before (but 晕过去 is now)
# Anywhere after the words: it is over (当时没事, 自己爬起来了, 灭了) or already in care (住院)...
_OVER = re.compile(r"当时没[事啥]|没大事|自己爬起来|爬起来了|醒过来了|已经不流了|不漏了|止住了|没味儿?了|现在好了|就正常了|恢复正常|修完了|修好了|[拉救捞爬]上来了|"
                   r"现在没事|不抽了|缝了|缝针|(?:是我|我)(?:弄|搞|闹)错了|给换了|换好了|查了是|后来一看|扶走了|住院|在医院|从医院(?!家属)|扶起来了|扶起来的|扶着起来了|自己起来了|已经起来了|没事了|人没事|还好没事|幸好没事|没事儿了|已经出来了|弄出来了|人出来了|解决了|发现是|虚惊|原来是|一看是|是空的|(?<!不)(?<!不太)能动(?!不)|(?<![没不])找[着到]了|找回来了|送回来了")
# A fire put out is over; 灭了 after other words is the light or a stove's flame (电梯里灯也灭了).
_FIRE_OUT = re.compile(r"灭了|浇灭|扑灭|烟没了|不冒烟了|不冒了")
# ...unless it is still going on.
_STILL = re.compile(r"还在烧|又着|越烧|到现在还|又摔|还起不来|越来越")
# Only words that may be a request's background (中风 of 申请床位); never 'cannot get up'.
_BACKGROUND_RULES = frozenset({"a fall", "heart or stroke", "fire", "unconscious", "no response", "old person missing", "cannot breathe"})
_HASTE = re.compile(r"出大事|快来|赶紧|马上|救命|快点|快派|快叫")
# The message asks for paperwork or a service (申请, 补贴): the scary words are its background.
_PAPERWORK = re.compile(r"拍片|认证|刷脸|申请|补贴|政策|证明|手续|办理|身份证|医保|救助|床位|结算|报销|签字|保姆|助行器|轮椅|评估|养老院|"
                        r"手环|一键呼叫|呼叫器|呼叫的|擦擦?身")
_HAN_OR_DIGIT = re.compile(r"[\u4e00-\u9fff\d]")


def _char_span(text: str, joined: str, match: re.Match) -> str:
    """The characters behind a match on the joined syllables (one character per syllable);
    matches start at a syllable, with or without the space before it."""
    first, count = _span(joined, match)
    return text[first:first + count]


def _span(joined: str, match: re.Match) -> tuple[int, int]:
    """(index of the first character, number of characters) of a match on the syllables."""
    return len(joined[: match.start()].split()), len(match.group(0).split())


def _heard(text: str) -> tuple[str, str]:
    """(the Han characters and digits, their syllables joined by spaces)."""
    han = _NOT_HAN_OR_DIGIT.sub("", text)
    return han, " ".join(syllables(han))


def _after_last(breaks: re.Pattern, text: str, start: int) -> int:
    """Where the clause or sentence holding text[start] begins: after the last break before it."""
    return max((m.end() for m in breaks.finditer(text, 0, start)), default=0)


def not_happening(text: str, start: int, end: int) -> str | None:
    """Why the words at text[start:end] do not describe something happening now, else None:
    hypothetical (万一着火), denied (没着火), done before (困过人), a rumour (听说), or in the
    past and over."""
    clause_start = _after_last(_CLAUSE_BREAK, text, start)
    found = _CLAUSE_BREAK.search(text, end)
    clause_end = found.start() if found else len(text)
    before, after = text[clause_start:start], text[end:clause_end]
    # 容易掉下去 has it inside the words; 万一嘶嘶响、一股味 carries it across the list
    if _HYPOTHETICAL.search(text, _after_last(_SENTENCE_BREAK, text, start), end):
        return "hypothetical"
    sentence_start = _after_last(_FULL_STOP, text, start)
    if _FRAMED.search(text, sentence_start, start):
        return "hypothetical"
    if _DENIED.search(before):
        return "denied"
    if _DONE_BEFORE.match(after):
        return "done before"
    if _TAKEN_BACK.match(text, end):
        return "taken back"
    heard_at = max((m.end() for m in _HEARSAY.finditer(text, sentence_start, start)), default=None)
    if heard_at is not None and not _NOW_SAID.search(text, heard_at):
        return "second-hand"  # ...unless the caller says it is going on now (听说着火了，现在还冒烟), not 刚才看新闻说
    if _NOW.search(before + text[start:clause_end]):
        return None
    if _LONG_PAST.search(text, max(0, start - 20), start):
        return "in the past"
    if _RECENT_PAST.search(text, max(0, start - 20), start) and _RESOLVED.search(text, end):
        return "over"
    return None


def _positions(text: str) -> list[int]:
    """Where each Han character or digit of `_heard(text)[0]` sits in `text`."""
    return [m.start() for m in _HAN_OR_DIGIT.finditer(text)]


def emergency_evidence(text: str) -> tuple[str, ...]:
    """The emergency rules the text triggers, each with the words heard; empty when none."""
    return _emergency_evidence(text, *_heard(text))


def _emergency_evidence(text: str, han: str, joined: str) -> tuple[str, ...]:
    return _weighed(text, han, joined)[0]


def _weighed(text: str, han: str, joined: str, words: set | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the emergency rules triggered, each with the words heard; the rules whose words were
    heard but that a calming sign in the message downgraded, or that were said only as a
    what-if or a rumour, each saying which and why).
    `words`: `_words(joined)`, when the caller has it."""
    words = _words(joined) if words is None else words
    positions = None
    evidence, downgraded = [], []
    for rule in _rules_that_may_match(words):  # most messages: none
        if rule.requires is not None and not rule.requires.search(joined):
            continue
        search_from = 0
        while (m := rule.pattern.search(joined, search_from)) is not None:
            search_from = m.end()
            positions = positions or _positions(text)
            first, count = _span(joined, m)
            start, end = positions[first], positions[first + count - 1] + 1
            if _torn(text, start, end):  # the words may still be said whole from the next syllable on (一直抽，抽到现在)
                search_from = m.start() + 1
                continue
            if rule.skip is not None and _in_clause(rule.skip, text, start, end):
                continue
            heard = han[first:first + count]
            if rule.misheard is not None and rule.misheard.search(han[first:first + count + 1]):
                continue
            if any(words.search(heard) and context.search(text) for words, context in rule.unless):
                continue
            if why_not := not_happening(text, start, end):
                line = f"{rule.name}: heard '{heard}' but {why_not}"
                if why_not in NOT_NOW and line not in downgraded:
                    downgraded.append(line)  # the model hears these words too: `decide` doubts it
                continue
            why = _calmed(rule, text, end)
            if why:
                downgraded.append(f"{rule.name}: heard '{heard}' but {why}")
                continue
            evidence.append(f"{rule.name}: heard '{heard}'")
            break
    return tuple(evidence), tuple(downgraded)


def _calmed(rule: Rule, text: str, end: int) -> str | None:
    """Why the words heard, happening or not, are no emergency: faint or small, over, or the
    background of a request for paperwork; else None."""
    if rule.calm is not None:
        found = rule.calm.search(text)
        if found and not rule.calm_unless.search(text):
            return f"faint or small ('{found.group(0)}')"
    found = _OVER.search(text, end) or (_FIRE_OUT.search(text, end) if rule.name == "fire" else None)
    if found and not _STILL.search(text, end):
        return f"over ('{found.group(0)}')"
    found = _PAPERWORK.search(text) if rule.name in _BACKGROUND_RULES else None
    if found and not _HASTE.search(text):
        return f"asks for paperwork ('{found.group(0)}')"
    return None


def _torn(text: str, start: int, end: int) -> bool:
    """Whether the words heard are torn across a pause after their first or before their last
    character (蹦跳，楼上 is no 跳楼); longer spans may cross one (倒地上了，叫也不答应)."""
    found = _CLAUSE_BREAK.search(text, start, end)
    if found is None:
        return False
    first_char = _HAN_OR_DIGIT.search(text, start, found.start())
    last_char = _HAN_OR_DIGIT.search(text, found.end(), end)
    return (first_char is None or _HAN_OR_DIGIT.search(text, first_char.end(), found.start()) is None
            or last_char is None or _HAN_OR_DIGIT.search(text, last_char.end(), end) is None)


def _in_clause(pattern: re.Pattern, text: str, start: int, end: int) -> bool:
    clause_start = _after_last(_CLAUSE_BREAK, text, start)
    found = _CLAUSE_BREAK.search(text, end)
    return pattern.search(text, clause_start, found.start() if found else len(text)) is not None


def urgent_cues(text: str) -> tuple[str, ...]:
    """The kinds of urgency sign the text carries, each with the words heard."""
    return _urgent_cues(text, *_heard(text))


def _urgent_cues(text: str, han: str, joined: str, needed: int = 0, words: set | None = None) -> tuple[str, ...]:
    """As `urgent_cues`; stops early (with a shorter answer) once fewer than `needed` kinds
    can still be found, which is all `decide` wants to know then. `words`: `_words(joined)`."""
    words = _words(joined) if words is None else words
    evidence = []
    positions = None
    for i, cue in enumerate(URGENT_CUES):
        if len(evidence) + len(URGENT_CUES) - i < needed:
            break
        if not _may_match(_CUE_NEEDS[i], words):
            continue
        for m in cue.pattern.finditer(joined):
            first, count = _span(joined, m)
            if cue.cancelled_by_hypothetical:
                positions = positions or _positions(text)
                start, end = positions[first], positions[first + count - 1] + 1
                if not_happening(text, start, end):
                    continue
            evidence.append(f"{cue.name}: heard '{han[first:first + count]}'")
            break
    return tuple(evidence)


def decide(text: str, probabilities: dict[str, float]) -> tuple[str, tuple[str, ...]]:
    """(level, evidence) from the rules and the urgency model's probabilities."""
    han, joined = _heard(text)
    words = _words(joined)
    evidence, downgraded = _weighed(text, han, joined, words)
    p_emergency = probabilities.get(EMERGENCY, 0.0)
    if evidence and (p_emergency >= RULE_MODEL_FLOOR or any(line.split(":")[0] in BEYOND_DOUBT for line in evidence)
                     or _CALLS_SERVICES.search(text)):
        return EMERGENCY, evidence
    downgraded += tuple(f"{line} but {UNLIKELY} ('{p_emergency:.3f}')" for line in evidence)
    if p_emergency >= model_threshold(downgraded):
        return EMERGENCY, downgraded + (f"model: emergency {p_emergency:.2f}",)
    level = URGENT if probabilities.get(URGENT, 0.0) + p_emergency > probabilities.get(NORMAL, 0.0) else NORMAL
    calmed = [d for d in downgraded if not d.endswith(NOT_NOW)]
    if calmed and level == NORMAL and not any("paperwork" in d for d in calmed):
        level = URGENT  # a small fire or a faint smell still cannot wait
    if p_emergency >= POSSIBLE_EMERGENCY:  # what may be an emergency cannot wait either
        level = URGENT
        model_evidence = downgraded + (f"model: {EMERGENCY} {p_emergency:.2f}",)
    else:
        model_evidence = downgraded + (f"model: {level} {probabilities.get(level, 0.0):.2f}",)
    if level == NORMAL:
        cues = _urgent_cues(text, han, joined, needed=URGENT_MIN_CUES, words=words)
        if len(cues) >= URGENT_MIN_CUES:
            return URGENT, cues + model_evidence
    return level, model_evidence


def model_threshold(evidence: tuple[str, ...]) -> float:
    """The emergency probability at which the model alone calls an emergency, given what the
    rules heard: surer when the caller said the danger is over, or only a what-if or a rumour."""
    not_now = any(" but over (" in line or line.endswith(NOT_NOW) for line in evidence)
    return OVER_MODEL_THRESHOLD if not_now else EMERGENCY_MODEL_THRESHOLD


def rule_doubted(evidence: tuple[str, ...]) -> bool:
    """Whether emergency rule words were heard but the model found them all but impossible
    (`decide` then says urgent; the ticket still goes before an operator at once)."""
    return any(f" but {UNLIKELY} (" in line for line in evidence)
