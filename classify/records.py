"""The record `classify/` hands to routing: what the caller needs, how urgent, and where.

Every decision carries its confidence and the evidence behind it, so an operator can see
why a ticket went where it went, and so review can be triggered by low confidence.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class CategoryGuess:
    code: str  # a code from categories.yaml
    confidence: float


@dataclass(frozen=True)
class KnownCaller:
    """Where a person put an earlier ticket from this number: for callers the register lacks,
    so that an operator who placed one call by hand places the next ones too."""

    grid_id: str
    ticket_id: str


@dataclass(frozen=True)
class Placement:
    """Where the caller lives or where the problem is, resolved to a grid of the register."""

    grid_id: str | None  # None: unknown, never a guess presented as certain
    confidence: float
    method: str  # compound | street | lane | landmark | registry | history | none
    place: str | None = None  # canonical register name of the matched place
    number: int | None = None  # building (compound) or door number (street)
    evidence: tuple[str, ...] = ()  # e.g. ("heard '明年十五号楼' ~ 明源御景 (pinyin)", "building 15 in 10-18")


@dataclass(frozen=True)
class Classification:
    category: str
    confidence: float
    alternatives: tuple[CategoryGuess, ...]  # the next best categories, best first
    urgency: str  # emergency | urgent | normal
    urgency_evidence: tuple[str, ...]
    placement: Placement
    category_evidence: tuple[str, ...] = ()  # the words that weighed most
    secondary_category: str | None = None  # a second problem raised in the same message
    needs_review: bool = False
    review_reasons: tuple[str, ...] = field(default=())
    model_version: str = ""

    @property
    def grid_id(self) -> str | None:
        return self.placement.grid_id

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def review_kinds(self) -> tuple[str, ...]:
        """Why review was asked for, one kind per reason: 'category margin' or 'possible
        emergency' (the first two words of a reason; the rest are its figures)."""
        return tuple(review_kind(r) for r in self.review_reasons)

    @classmethod
    def from_dict(cls, raw: dict) -> "Classification":
        raw = dict(raw)
        raw["alternatives"] = tuple(CategoryGuess(**a) for a in raw.get("alternatives", ()))
        p = dict(raw["placement"])
        p["evidence"] = tuple(p.get("evidence", ()))
        raw["placement"] = Placement(**p)
        for key in ("urgency_evidence", "category_evidence", "review_reasons"):
            raw[key] = tuple(raw.get(key, ()))
        return cls(**raw)


def review_kind(reason: str) -> str:
    """'category margin over the runner-up 0.12 below 0.34' → 'category margin'."""
    return " ".join(reason.split()[:2]).rstrip(":")
