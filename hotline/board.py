"""The command screen's figures (指挥大屏): the whole sub-district at a glance.

`snapshot` is one JSON-ready dict, the same for the first page load and every live update;
`fingerprint` is a cheap mark that changes whenever any ticket does, so the live stream
only recomputes the snapshot when something happened.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from hotline import schema
from hotline.review import as_local
from hotline.schema import TicketStatus
from hotline.ticket_actions import ACKNOWLEDGED
from registry import Register

BANNER_LIMIT = 5
OVERDUE_LIMIT = 8
UNPLACED = "未定位"


def fingerprint(session: Session) -> tuple:
    return (
        session.scalar(select(func.max(schema.TicketEvent.id))),
        session.scalar(select(func.max(schema.Ticket.updated_at))),
        session.scalar(select(func.count()).select_from(schema.Ticket)),
    )


def snapshot(session: Session, register: Register, *, now: datetime, tz: str) -> dict:
    names = {c.code: c.name for c in register.categories}
    is_open = schema.Ticket.status.in_(TicketStatus.OPEN)

    def open_counts(column) -> Counter:
        return Counter(
            {key or UNPLACED: n for key, n in session.execute(
                select(column, func.count()).where(is_open).group_by(column)
            )}
        )

    by_community = open_counts(schema.Ticket.community)
    by_grid = open_counts(schema.Ticket.grid_id)
    by_category = open_counts(schema.Ticket.category)
    overdue_filter = (is_open, schema.Ticket.sla_due < now.astimezone(timezone.utc))
    overdue_total = session.scalar(select(func.count()).select_from(schema.Ticket).where(*overdue_filter)) or 0
    overdue = session.scalars(
        select(schema.Ticket).where(*overdue_filter).order_by(schema.Ticket.sla_due).limit(OVERDUE_LIMIT)
    )
    unacknowledged = (
        schema.Ticket.urgency == "emergency",
        ~exists().where(
            schema.TicketEvent.kind == ACKNOWLEDGED, schema.TicketEvent.ticket_id == schema.Ticket.id
        ),
    )
    emergencies = session.scalars(
        select(schema.Ticket).where(*unacknowledged).order_by(schema.Ticket.created_at.desc()).limit(BANNER_LIMIT)
    )
    emergency_total = session.scalar(select(func.count()).select_from(schema.Ticket).where(*unacknowledged)) or 0

    local_now = now.astimezone(ZoneInfo(tz))
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = session.execute(
        select(schema.Ticket.created_at, schema.Ticket.category).where(
            schema.Ticket.created_at >= midnight.astimezone(timezone.utc),
            schema.Ticket.created_at < (midnight + timedelta(days=1)).astimezone(timezone.utc),
        )
    ).all()
    hourly = Counter((as_local(at, tz).hour, category) for at, category in today)
    today_categories = [c for c, _ in Counter(category for _, category in today).most_common()]

    def ticket(t: schema.Ticket) -> dict:
        return {
            "id": t.id,
            "category": names.get(t.category, t.category),
            "community": t.community or UNPLACED,
            "grid_id": t.grid_id or UNPLACED,
            "summary": t.summary,
            "status": t.status,
            "created": as_local(t.created_at, tz).strftime("%H:%M"),
            "due": as_local(t.sla_due, tz).strftime("%m-%d %H:%M"),
        }

    return {
        "generated": local_now.strftime("%Y-%m-%d %H:%M:%S"),
        "open_total": sum(by_community.values()),
        "today_total": len(today),
        "overdue_total": overdue_total,
        "overdue": [ticket(t) for t in overdue],
        "emergency_total": emergency_total,
        "emergencies": [ticket(t) for t in emergencies],
        "communities": [
            {"name": name, "open": by_community.get(name, 0)}
            for name in (*register.communities, *([UNPLACED] if UNPLACED in by_community else []))
        ],
        "grids": [{"id": grid, "open": n} for grid, n in by_grid.most_common()],
        "categories": [
            {"code": code, "name": names.get(code, code), "open": n} for code, n in by_category.most_common()
        ],
        "category_order": list(register.category_codes),  # fixes each category's colour
        "today": {
            "hours": list(range(24)),
            "series": [
                {"code": c, "name": names.get(c, c), "counts": [hourly.get((h, c), 0) for h in range(24)]}
                for c in today_categories
            ],
        },
    }
