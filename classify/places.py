"""The ways callers name each place of the grid register.

Callers rarely say the canonical name: they say half of it (明源 for 明源御景), the old
work-unit name (电业局家属院), or drop 平房区 from a lane. The locator matches these forms
and the corpus writer speaks them, so both read the same list, built from the register.
"""
from __future__ import annotations

from dataclasses import dataclass

from registry import Register

# Endings a caller drops or swaps when naming a compound (the first that fits: 达里花园 is 达里, not 达里花).
_COMPOUND_ENDINGS = ("小区", "花园", "家园", "新城", "御景", "华府", "华庭", "云天", "名居", "嘉园", "苑", "湾", "里", "城", "园")
_ALIAS_SWAPS = (("家属院", "家属楼"), ("家属楼", "家属院"))
_WORK_UNIT_ENDINGS = ("家属院", "家属楼")  # 林业局家属院 → 林业局 (林业局那边四栋), before a number only
_LANDMARK_SHORT = {"克旗第一中学": ("第一中学", "一中"), "第二小学": ("二小",), "旗人民医院": ("人民医院",),
                   "旗汽车站": ("汽车站",), "旗图书馆": ("图书馆",), "经棚大街新华书店": ("新华书店",),
                   "应昌路农贸市场": ("农贸市场",), "建设路加油站": ("加油站",), "热水路邮政局": ("邮政局",),
                   "黄岗社区卫生服务站": ("黄岗卫生服务站", "黄岗卫生站"), "贡格尔体育场": ("体育场",),
                   "百岔路菜市场": ("百岔菜市场",), "阿斯哈图公园": ("阿斯哈图公园",)}


@dataclass(frozen=True)
class PlaceName:
    """One way to say one place: `surface` is what is heard, `name` the register's name."""

    surface: str
    kind: str  # compound | street | lane | landmark
    name: str
    canonical: bool  # the register's own name or alias, not a form derived here
    needs_number: bool = False  # a short form (阳光, 幸福) counts only before a building or door number


def _compound_forms(name: str, aliases: tuple[str, ...]) -> set[str]:
    forms = set(aliases)
    ending = next((e for e in _COMPOUND_ENDINGS if name.endswith(e) and len(name) - len(e) >= 2), None)
    if ending:
        forms.add(name[: -len(ending)])
    elif len(name) == 4:  # 草原明珠: either half (明珠十三号楼, 明珠小区五号楼)
        forms.update((name[:2], name[2:]))
    for alias in aliases:
        for old, new in _ALIAS_SWAPS:
            if alias.endswith(old):
                forms.add(alias[: -len(old)] + new)
        for ending in _WORK_UNIT_ENDINGS:
            if alias.endswith(ending) and len(alias) - len(ending) >= 3:
                forms.add(alias[: -len(ending)])
    return forms


def _lane_forms(name: str) -> set[str]:
    # 黄岗平房区东一巷 → 黄岗平房东一巷, 黄岗东一巷
    prefix, _, lane = name.partition("平房区")
    return {f"{prefix}平房{lane}", f"{prefix}{lane}"} if lane else set()


def _street_forms(name: str) -> set[str]:
    # 经棚大街 → 经棚街, 经棚; 达里诺尔路 → 达里诺尔; 团结路 → 团结; 民族街 → 民族 (all need a door number)
    if name.endswith("大街"):
        return {name[:-2] + "街", name[:-2]}
    if name.endswith(("路", "街")) and len(name) >= 3:
        return {name[:-1]}
    return set()


def _compound_and_street(owners: set[tuple[str, str]]) -> bool:
    return sorted(kind for kind, _ in owners) == ["compound", "street"]


def shared_by_compound_and_street(names: tuple[PlaceName, ...]) -> frozenset[str]:
    """Surfaces heard for both a compound and a street (贡格尔): 号楼 picks the one, 号 the other."""
    kinds: dict[str, set[str]] = {}
    for p in names:
        kinds.setdefault(p.surface, set()).add(p.kind)
    return frozenset(s for s, k in kinds.items() if k == {"compound", "street"})


def place_names(register: Register) -> tuple[PlaceName, ...]:
    """Every surface form of every place; derived forms that two places share are left out,
    except a short form one compound shares with one street (贡格尔 for 贡格尔小区 and
    贡格尔大街): the locator tells them apart by 号楼 against 号."""
    own: dict[tuple[str, str], set[str]] = {}
    derived: dict[tuple[str, str], set[str]] = {}
    for grid in register.grids:
        for area in grid.areas:
            key = (area.kind, area.name)
            own.setdefault(key, set()).update({area.name, *area.aliases})
            extra = derived.setdefault(key, set())
            if area.kind == "compound":
                extra.update(_compound_forms(area.name, area.aliases))
            elif area.kind == "lane":
                extra.update(_lane_forms(area.name))
            elif area.kind == "street":
                extra.update(_street_forms(area.name))
            else:
                extra.update(_LANDMARK_SHORT.get(area.name, ()))
    owners: dict[str, set[tuple[str, str]]] = {}
    for key, forms in list(own.items()) + list(derived.items()):
        for form in forms:
            owners.setdefault(form, set()).add(key)
    names = [PlaceName(form, kind, name, True) for (kind, name), forms in own.items() for form in sorted(forms)]
    communities = {c.removesuffix("社区") for c in register.communities}
    names += [
        PlaceName(form, kind, name, False, needs_number=kind in ("compound", "street") and "家属" not in form)
        for (kind, name), forms in derived.items()
        for form in sorted(forms - own[(kind, name)])
        if len(owners[form]) == 1 and form not in communities or _compound_and_street(owners[form])
    ]
    return tuple(names)
