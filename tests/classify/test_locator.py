import pytest

from classify.locator import Locator


@pytest.fixture(scope="module")
def locator(register):
    return Locator(register)


@pytest.mark.parametrize("text, grid, method", [
    ("我是明源御景十五号楼的，暖气不热", "HG-05", "compound"),       # canonical name, split compound
    ("我是明源三号楼的", "HG-04", "compound"),                      # alias, other half of the split
    ("电业局家属院五号楼，楼道灯坏了", "HG-09", "compound"),          # old work-unit name
    ("滨悦新城三十号楼门口减速带掉了", "HG-03", "compound"),
    ("应昌路一百零八号着火了", "HG-10", "street"),                   # door number
    ("我是黄岗平房区东二巷的", "HG-11", "lane"),
    ("第二小学后头那个路口车乱停", "GG-08", "landmark"),
    ("百岔路菜市场后头烂菜叶子", "BC-02", "landmark"),
])
def test_places_said_plainly(locator, text, grid, method):
    placement = locator.locate(text)
    assert (placement.grid_id, placement.method) == (grid, method)
    assert placement.evidence


@pytest.mark.parametrize("heard, grid, place", [
    ("喂,快来眼爱,我是明年15号楼三单眼2010", "HG-05", "明源御景"),
    ("我是毕业七号楼三单颜四领外的", "HG-01", "滨悦新城"),
    ("你好,阿斯哈土街95号那段路,路灯黑了", "AS-09", "阿斯哈图街"),
    ("你好,我是康乐小七四号楼灯", "GG-08", "康乐小区"),
    ("我是福太院八号楼楼楼的", "GG-05", "福泰苑"),
])
def test_recogniser_homophones(locator, heard, grid, place):
    placement = locator.locate(heard)
    assert (placement.grid_id, placement.place) == (grid, place)
    assert any("pinyin" in e or "exact" in e for e in placement.evidence)


def test_room_number_is_not_a_building_number(locator):
    placement = locator.locate("我是滨悦三单元四零二的")
    assert placement.grid_id is None  # 滨悦 spans three grids and no building was said
    assert placement.number is None


def test_registry_when_no_place_is_said(locator, register):
    phone = "+8619900000002"
    placement = locator.locate("我家暖气不热", phone=phone)
    assert placement.method == "registry"
    assert placement.grid_id == register.resident(phone).grid_id


def test_unknown_when_neither_place_nor_registered_caller(locator):
    placement = locator.locate("喂，这咋没人说话呢，我回头再打吧", phone="+8613800000000")
    assert placement.grid_id is None and placement.method == "none"


def test_building_out_of_range_is_not_guessed(locator):
    assert locator.locate("翡翠城一百一十三号楼").grid_id is None
