"""The JSON API over tickets: what the command screen and other tools read."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy import func, select

from hotline import auth, schema, store
from hotline.auth import CurrentUser
from hotline.schema import UserRole

router = APIRouter(prefix="/api")
signed_in = auth.api_user(*UserRole.ALL)  # grid workers see only their own tickets


def _hotline(request: Request):
    return request.app.state.hotline


@router.get("/tickets")
def list_tickets(
    request: Request,
    status: str | None = None,
    grid_id: str | None = None,
    community: str | None = None,
    category: str | None = None,
    needs_review: bool | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    user: CurrentUser = Depends(signed_in),
) -> dict:
    filters = [
        column == value
        for column, value in (
            (schema.Ticket.status, status),
            (schema.Ticket.grid_id, grid_id),
            (schema.Ticket.community, community),
            (schema.Ticket.category, category),
            (schema.Ticket.needs_review, needs_review),
        )
        if value is not None
    ]
    if not user.is_staff:
        filters.append(schema.Ticket.worker_id == user.worker_id)
    with _hotline(request).db.session() as s:
        total = s.scalar(select(func.count()).select_from(schema.Ticket).where(*filters))
        rows = s.scalars(
            select(schema.Ticket).where(*filters).order_by(schema.Ticket.created_at.desc(), schema.Ticket.id.desc())
            .limit(limit).offset(offset)
        )
        return {"total": total, "tickets": [store.ticket_payload(t) for t in rows]}


@router.get("/tickets/{ticket_id}")
def get_ticket(request: Request, ticket_id: str, user: CurrentUser = Depends(signed_in)) -> dict:
    with _hotline(request).db.session() as s:
        ticket = s.get(schema.Ticket, ticket_id)
        if ticket is None or not auth.can_view(user, ticket):
            raise HTTPException(status_code=404, detail=f"no ticket {ticket_id}")
        transcript = store.latest_transcript(s, ticket.voicemail_id)
        classification = s.get(schema.Classification, ticket.classification_id) if ticket.classification_id else None
        return {
            **store.ticket_payload(ticket),
            "transcript": transcript.text if transcript else None,
            "transcript_engine": transcript.engine if transcript else None,
            "classification": classification.detail if classification else None,
            "events": [
                {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": e.detail} for e in ticket.events
            ],
        }
