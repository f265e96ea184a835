"""Where posted tickets go: the command queue, behind one small interface.

A sink must be idempotent by (ticket_id, kind): posting the same message twice posts once.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TicketMessage:
    ticket_id: str
    kind: str  # ticket.created | ticket.updated
    payload: dict = field(default_factory=dict)


class TicketSink(ABC):
    name: str

    @abstractmethod
    def post(self, message: TicketMessage) -> bool:
        """Post once; return False when this (ticket_id, kind) was already posted."""
