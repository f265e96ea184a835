import pytest

from classify.normalize import normalize, spoken_to_int


@pytest.mark.parametrize("spoken, expected", [
    ("明源十五号楼", "明源15号楼"),
    ("应昌路一百零八号", "应昌路108号"),
    ("三单元五零二", "3单元502"),
    ("天泽园六号楼一单元幺零二", "天泽园6号楼1单元102"),
    ("贡格尔小区二十号楼", "贡格尔小区20号楼"),
    ("两百号", "200号"),
    ("幺幺九我打过了", "119我打过了"),
])
def test_spoken_numbers_become_digits_in_addresses(spoken, expected):
    assert normalize(spoken) == expected


@pytest.mark.parametrize("text", ["屋里才十五六度", "第二小学", "黄岗平房区东一巷", "一个人在家", "一两点还在吵"])
def test_numbers_outside_addresses_are_left_alone(text):
    assert normalize(text) == text


def test_traditional_full_width_and_spaces_are_folded():
    assert normalize("陽光花園 １２號樓") == "阳光花园12号楼"


@pytest.mark.parametrize("numeral, value", [("十二", 12), ("一百零八", 108), ("二十", 20), ("五零二", 502), ("幺零一", 101), ("一百五十", 150)])
def test_spoken_to_int(numeral, value):
    assert spoken_to_int(numeral) == value
