"""Counters on the Temporal runtime's meter, served on the worker's Prometheus endpoint.

The SDK adds the namespace, task queue and activity type to every point; callers give the
business attributes (a notification's channel and result, a booking's outcome).
"""

from __future__ import annotations

from temporalio import activity

NOTIFICATIONS = "zhilyego_notifications"
BOOKING_OUTCOMES = "zhilyego_booking_outcomes"
_DESCRIPTIONS = {
    NOTIFICATIONS: "Notification deliveries by channel and result (sent / failed / skipped)",
    BOOKING_OUTCOMES: "Bookings reaching confirmed / cancelled / auto_cancelled / completed",
}


def count(name: str, **attributes: str) -> None:
    """Adds one to `name` from inside an activity; never lets metrics break the activity."""
    try:
        counter = activity.metric_meter().create_counter(name, _DESCRIPTIONS.get(name))
        counter.add(1, dict(attributes))
    except RuntimeError:  # not in an activity (a unit test calling the method directly)
        pass
