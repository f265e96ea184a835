"""Routing rules: grid -> its worker (the 网格长 for emergencies), category -> department,
SLA due time from categories.yaml (emergencies: now).

Pure: the same classification, register and clock always give the same draft.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from classify.records import Classification
from registry import Register


@dataclass(frozen=True)
class TicketDraft:
    category: str
    urgency: str
    grid_id: str | None
    community: str | None
    worker_id: str | None
    department: str
    sla_due: datetime
    needs_review: bool
    reasons: tuple[str, ...]  # why it went where it went, for the audit trail

    def to_dict(self) -> dict:
        return {
            "category": self.category,
            "urgency": self.urgency,
            "grid_id": self.grid_id,
            "community": self.community,
            "worker_id": self.worker_id,
            "department": self.department,
            "sla_due": self.sla_due.isoformat(),
            "needs_review": self.needs_review,
            "reasons": list(self.reasons),
        }


URGENT_SLA_FRACTION = 0.5  # urgent needs get half the category's normal time


def route(classification: Classification, register: Register, now: datetime) -> TicketDraft:
    category = register.category(classification.category)
    reasons = [f"category {category.code} -> {category.department}"]
    grid = register.grid(classification.grid_id) if classification.grid_id else None
    worker = None
    if grid is not None:
        worker = grid.leader if classification.urgency == "emergency" else grid.duty_worker
        reasons.append(f"grid {grid.id} -> {worker.role} {worker.id}")
    else:
        reasons.append("grid unknown: the command centre assigns it")

    if classification.urgency == "emergency":
        due = now
        reasons.append("emergency: due now")
    elif classification.urgency == "urgent":
        due = now + timedelta(hours=category.sla_hours * URGENT_SLA_FRACTION)
        reasons.append(f"urgent: due in {category.sla_hours * URGENT_SLA_FRACTION:g} h")
    else:
        due = now + timedelta(hours=category.sla_hours)
        reasons.append(f"due in {category.sla_hours} h")

    return TicketDraft(
        category=category.code,
        urgency=classification.urgency,
        grid_id=grid.id if grid else None,
        community=grid.community if grid else None,
        worker_id=worker.id if worker else None,
        department=category.department,
        sla_due=due,
        needs_review=classification.needs_review,
        reasons=tuple(reasons),
    )
