"""The street office's registers: need categories, the grid register and the caller registry.

`classify/` and `routing/` both read these; the files beside this module are the embedded
defaults (a deployment points `config.yaml` at its own copies). Loading is pure: paths in,
typed records out, so every consumer sees the same interpretation of the YAML.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_CATEGORIES = HERE / "categories.yaml"
DEFAULT_GRIDS = HERE / "grids.yaml"
DEFAULT_RESIDENTS = HERE / "residents.csv"

GRID_LEADER_ROLE = "网格长"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    department: str
    sla_hours: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    """One place a grid covers. `low`/`high` bound buildings (compound) or door numbers (street)."""

    kind: str  # compound | street | lane | landmark
    name: str
    aliases: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None

    def covers(self, number: int | None) -> bool:
        if number is None or self.low is None or self.high is None:
            return True
        return self.low <= number <= self.high


@dataclass(frozen=True)
class Worker:
    id: str
    role: str


@dataclass(frozen=True)
class Grid:
    id: str
    community: str
    name: str
    areas: tuple[Area, ...]
    workers: tuple[Worker, ...]

    @property
    def leader(self) -> Worker:
        return next((w for w in self.workers if w.role == GRID_LEADER_ROLE), self.workers[0])

    @property
    def duty_worker(self) -> Worker:
        """The worker who takes ordinary tickets: the first full-time one, else the leader."""
        return next((w for w in self.workers if w.role != GRID_LEADER_ROLE), self.leader)


@dataclass(frozen=True)
class Resident:
    phone: str
    grid_id: str
    address: str
    age: int
    lives_alone: bool


@dataclass(frozen=True)
class Register:
    street_office: str
    hotline: str
    categories: tuple[Category, ...]
    grids: tuple[Grid, ...]
    residents: dict[str, Resident] = field(repr=False)
    urgency_levels: tuple[str, ...] = ("emergency", "urgent", "normal")
    emergency_advice: str = ""

    def category(self, code: str) -> Category:
        for c in self.categories:
            if c.code == code:
                return c
        raise KeyError(f"unknown category code {code!r}")

    def grid(self, grid_id: str) -> Grid:
        for g in self.grids:
            if g.id == grid_id:
                return g
        raise KeyError(f"unknown grid id {grid_id!r}")

    @property
    def category_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    @property
    def communities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g.community for g in self.grids))

    def resident(self, phone: str | None) -> Resident | None:
        return self.residents.get(normalize_phone(phone)) if phone else None


def normalize_phone(phone: str) -> str:
    """E.164 with the Chinese country code, so '199 0000 0095' and '+8619900000095' match."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        return "+" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return "+86" + digits
    return ("+" + digits) if phone.strip().startswith("+") else digits


def _area(raw: dict) -> Area:
    bounds = raw.get("buildings") or raw.get("numbers") or (None, None)
    return Area(
        kind=raw["kind"],
        name=raw["name"],
        aliases=tuple(raw.get("aliases") or ()),
        low=bounds[0],
        high=bounds[1],
    )


def load_register(
    categories: Path = DEFAULT_CATEGORIES,
    grids: Path = DEFAULT_GRIDS,
    residents: Path = DEFAULT_RESIDENTS,
) -> Register:
    cat_doc = yaml.safe_load(Path(categories).read_text(encoding="utf-8"))
    grid_doc = yaml.safe_load(Path(grids).read_text(encoding="utf-8"))
    with Path(residents).open(encoding="utf-8", newline="") as fh:
        people = {
            normalize_phone(row["phone"]): Resident(
                phone=normalize_phone(row["phone"]),
                grid_id=row["grid_id"],
                address=row["address"],
                age=int(row["age"]),
                lives_alone=row["lives_alone"].strip().lower() == "true",
            )
            for row in csv.DictReader(fh)
        }
    urgency = cat_doc.get("urgency", {})
    return Register(
        street_office=grid_doc.get("street_office", ""),
        hotline=str(grid_doc.get("hotline", "")),
        categories=tuple(
            Category(
                code=c["code"],
                name=c["name"],
                department=c["department"],
                sla_hours=int(c["sla_hours"]),
                examples=tuple(c.get("examples") or ()),
            )
            for c in cat_doc["categories"]
        ),
        grids=tuple(
            Grid(
                id=g["id"],
                community=g["community"],
                name=g["name"],
                areas=tuple(_area(a) for a in g["areas"]),
                workers=tuple(Worker(id=w["id"], role=w["role"]) for w in g["workers"]),
            )
            for g in grid_doc["grids"]
        ),
        residents=people,
        urgency_levels=tuple(urgency.get("levels") or ("emergency", "urgent", "normal")),
        emergency_advice=urgency.get("emergency_advice", ""),
    )
