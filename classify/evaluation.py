"""Score classifications against labelled messages: the figures the issue asks for.

Category accuracy, macro-F1, per-category report and confusion matrix; grid accuracy
overall and where a place is said (the label's grid follows from the register); urgency
recall and precision per level; how often review is asked for, why, how many category
errors it catches, and how many missed emergencies it still puts before an operator; how
many tickets have no grid, which the command centre places (most say no place and come from
a number the register lacks: no classifier can place those).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from classify.records import Classification
from registry import Register

LEVELS = ("emergency", "urgent", "normal")


def location_grids(location: dict, register: Register) -> list[str]:
    """The grids that hold a labelled place (several for a compound split between grids when
    no building is said); empty when the register has no such place or number."""
    number = location.get("building", location.get("number"))
    return [grid.id for grid in register.grids for area in grid.areas
            if area.kind == location["kind"] and area.name == location["name"] and area.covers(number)]


def expected_grid(example: dict, register: Register) -> str | None:
    """The grid a labelled message belongs to: its named place, else the caller's registry entry.

    A place that several grids share, said without the number that settles it, has no grid
    unless the caller's registered grid is one of them: the right answer is then 'unknown',
    not the first grid of the register.
    """
    resident = register.resident(example.get("phone"))
    resident_grid = resident.grid_id if resident else None
    location = example.get("location")
    if not location:
        return resident_grid
    grids = location_grids(location, register)
    if len(grids) == 1:
        return grids[0]
    return resident_grid if resident_grid in grids else None


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


@dataclass
class EvalReport:
    codes: list[str]
    truth: list[str]
    predicted: list[str]
    accuracy: float
    macro_f1: float
    grid_accuracy: float
    grid_accuracy_placed: float
    placed: int
    urgency: dict[str, dict[str, float]]  # level → recall, precision, support
    review_rate: float
    errors: int
    errors_caught: int
    confusion: np.ndarray = field(repr=False)
    review_reasons: dict[str, int] = field(default_factory=dict)  # kind ('category margin') → messages
    emergencies_missed: int = 0
    emergencies_missed_in_review: int = 0
    unplaced: int = 0  # no grid given
    unplaceable: int = 0  # ...of which the label has none either (no place said, or a split place without its number, and the number not registered)
    operator_queue: int = 0  # in review or unplaced

    def format(self) -> str:
        lines = [
            f"messages: {len(self.truth)}",
            f"category accuracy: {self.accuracy:.3f}   macro-F1: {self.macro_f1:.3f}",
            f"grid accuracy: {self.grid_accuracy:.3f} overall, {self.grid_accuracy_placed:.3f} where a place is said ({self.placed})",
        ]
        for level in LEVELS:
            u = self.urgency[level]
            lines.append(f"urgency {level}: recall {u['recall']:.3f} precision {u['precision']:.3f} (support {int(u['support'])})")
        lines.append(f"review rate: {self.review_rate:.3f}; category errors {self.errors}, caught by review {self.errors_caught}"
                     f" ({_ratio(self.errors_caught, self.errors):.3f})")
        if self.review_reasons:
            shares = ", ".join(f"{kind} {_ratio(n, len(self.truth)):.3f}" for kind, n in sorted(self.review_reasons.items()))
            lines.append(f"  review reasons (a message may have several): {shares}")
        lines.append(f"  emergencies missed {self.emergencies_missed}, of which in review {self.emergencies_missed_in_review}")
        lines.append(f"unplaced (no grid: the command centre places it): {_ratio(self.unplaced, len(self.truth)):.3f}; "
                     f"of which the label has no grid either {_ratio(self.unplaceable, len(self.truth)):.3f}")
        lines.append(f"before an operator (review or unplaced): {_ratio(self.operator_queue, len(self.truth)):.3f}")
        lines.append("")
        lines.append(classification_report(self.truth, self.predicted, labels=self.codes, zero_division=0, digits=3))
        width = max(len(c) for c in self.codes)
        lines.append("confusion (rows: true, columns: predicted, in code order)")
        for code, row in zip(self.codes, self.confusion):
            lines.append(f"{code:>{width}} " + " ".join(f"{n:3d}" for n in row))
        return "\n".join(lines)

    def save_confusion_png(self, path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 8))
        ax.imshow(self.confusion, cmap="Blues")
        ax.set_xticks(range(len(self.codes)), self.codes, rotation=60, ha="right")
        ax.set_yticks(range(len(self.codes)), self.codes)
        for (i, j), n in np.ndenumerate(self.confusion):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"accuracy {self.accuracy:.3f}, macro-F1 {self.macro_f1:.3f}")
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)


def evaluate(examples: list[dict], predictions: list[Classification], register: Register) -> EvalReport:
    codes = list(register.category_codes)
    truth = [e["category"] for e in examples]
    predicted = [p.category for p in predictions]
    grids = [(expected_grid(e, register), p.grid_id, bool(e.get("location"))) for e, p in zip(examples, predictions)]
    placed = [g for g in grids if g[2]]
    urgency = {}
    for level in LEVELS:
        true_pos = sum(e.get("urgency") == level and p.urgency == level for e, p in zip(examples, predictions))
        support = sum(e.get("urgency") == level for e in examples)
        flagged = sum(p.urgency == level for p in predictions)
        urgency[level] = {"recall": _ratio(true_pos, support), "precision": _ratio(true_pos, flagged), "support": support}
    wrong = [p.needs_review for t, p in zip(truth, predictions) if p.category != t]
    missed = [p.needs_review for e, p in zip(examples, predictions) if e.get("urgency") == "emergency" and p.urgency != "emergency"]
    reasons = Counter(kind for p in predictions for kind in set(p.review_kinds))
    return EvalReport(
        codes=codes,
        truth=truth,
        predicted=predicted,
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, labels=codes, average="macro", zero_division=0)),
        grid_accuracy=_ratio(sum(g == p for g, p, _ in grids), len(grids)),
        grid_accuracy_placed=_ratio(sum(g == p for g, p, _ in placed), len(placed)),
        placed=len(placed),
        urgency=urgency,
        review_rate=_ratio(sum(p.needs_review for p in predictions), len(predictions)),
        errors=len(wrong),
        errors_caught=sum(wrong),
        confusion=confusion_matrix(truth, predicted, labels=codes),
        review_reasons=dict(reasons),
        emergencies_missed=len(missed),
        emergencies_missed_in_review=sum(missed),
        unplaced=sum(p is None for _, p, _ in grids),
        unplaceable=sum(g is None and p is None for g, p, _ in grids),
        operator_queue=sum(p.needs_review or p.grid_id is None for p in predictions),
    )
