"""The one Asia/Almaty clock: guests, owners and Kaspi live in Kazakhstan's time.

Store aware UTC; convert to Almaty only to show a time or to ask what day it is there.
Workflows never call these (they use workflow.now()).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Almaty")


def now_local() -> datetime:
    return datetime.now(LOCAL_TZ)


def today_local() -> date:
    """Today in Almaty: the first day a guest can check in."""
    return now_local().date()
