"""WhatsApp Flows the bot sends. `dates.json` is the dates calendar (publish it once, see
README.md here, and set WHATSAPP_DATES_FLOW_ID); `flow_data` fills its screen for one
apartment. The answer comes back as an `nfm_reply` (bots/whatsapp/inbound.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bots.journey.screens import DatePicker
from bots.texts import t

DATES_SCREEN = "DATES"


def flow_data(picker: DatePicker, lang: str) -> dict[str, Any]:
    """The DATES screen's data: the check-in window, the nights a range may not cross
    (taken nights are unselectable, so no range spans one) and the apartment's min/max
    nights. The journey checks the answer again like typed dates."""
    last = picker.check_in_to + timedelta(days=picker.max_nights)
    return {
        "heading": t("wa_flow_dates_heading", lang),
        "label_in": t("wa_flow_check_in", lang),
        "label_out": t("wa_flow_check_out", lang),
        "min_date": picker.check_in_from.isoformat(),
        "max_date": last.isoformat(),
        "unavailable": [d.isoformat() for d in picker.taken if d <= last],
        "min_days": picker.min_nights,
        "max_days": picker.max_nights,
        "cta": t("wa_flow_done", lang),
    }
