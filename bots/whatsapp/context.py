"""What every WhatsApp step gets: the journey's context (the guest, the state, the shared
services); the sender's number is always known here."""

from __future__ import annotations

from bots.journey.context import Journey, JourneyDeps

BotDeps = JourneyDeps
Ctx = Journey
