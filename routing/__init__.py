"""From a classification to a ticket for the command queue: who handles it, and by when."""
from routing.router import TicketDraft, route
from routing.sinks import TicketMessage, TicketSink

__all__ = ["TicketDraft", "route", "TicketMessage", "TicketSink"]
