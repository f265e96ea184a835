"""Labels operators corrected, fed back into training (`hotline train --include-corrections`)."""
from __future__ import annotations

from sqlalchemy import select

from hotline import schema
from hotline.services import Hotline


def as_examples(hotline: Hotline) -> list[dict]:
    """The newest correction per ticket, in the training corpus's own fields."""
    with hotline.db.session() as s:
        rows = s.scalars(select(schema.Correction).order_by(schema.Correction.id))
        latest = {row.ticket_id: row for row in rows}
        return [
            {"text": c.text, "category": c.category, "urgency": c.urgency, "grid_id": c.grid_id}
            for c in latest.values()
        ]
