"""The dates Flow as shipped (bots/whatsapp/flows/dates.json) and its answer: the screen the
bot fills is the screen the JSON declares, and an `nfm_reply` as Meta posts it is read into
the stay (anything else into no stay, so the journey asks again)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bots.journey.screens import DatePicker
from bots.whatsapp.flows import DATES_SCREEN, flow_data
from bots.whatsapp.inbound import parse_webhook
from tests.bots.whatsapp.phone import flow_reply_message

FLOW = Path(__file__).resolve().parents[3] / "bots" / "whatsapp" / "flows" / "dates.json"


def test_the_flow_declares_every_field_the_bot_fills_and_returns_the_stay():
    flow = json.loads(FLOW.read_text())
    assert float(flow["version"]) >= 6.1  # CalendarPicker needs Flow JSON 6.1
    (screen,) = flow["screens"]
    assert screen["id"] == DATES_SCREEN and screen["terminal"] is True
    picker = DatePicker(
        property_id=7,
        check_in_from=date(2026, 12, 8),
        check_in_to=date(2027, 12, 8),
        min_nights=2,
        max_nights=14,
        taken=(date(2026, 12, 31), date(2028, 1, 1)),
    )
    data = flow_data(picker, "kk")
    assert set(data) == set(screen["data"])
    assert data["unavailable"] == ["2026-12-31"]  # past the last check-out: not sent
    assert data["max_date"] == "2027-12-22"
    form = screen["layout"]["children"][0]["children"]
    calendar = next(c for c in form if c["type"] == "CalendarPicker")
    assert calendar["mode"] == "range"
    assert calendar["unavailable-dates"] == "${data.unavailable}"
    assert (calendar["min-days"], calendar["max-days"]) == ("${data.min_days}", "${data.max_days}")
    footer = next(c for c in form if c["type"] == "Footer")
    assert footer["on-click-action"]["name"] == "complete"
    assert footer["on-click-action"]["payload"] == {
        "check_in": "${form.stay.start-date}",
        "check_out": "${form.stay.end-date}",
    }


def test_an_nfm_reply_is_read_into_the_stay():
    payload = flow_reply_message(
        "77015550123",
        {"check_in": "2027-07-12", "check_out": "2027-07-15", "flow_token": "dates:7"},
    )
    (message,) = parse_webhook(payload).messages
    assert message.dates == (date(2027, 7, 12), date(2027, 7, 15))
    assert message.text == "" and message.reply_id is None


def test_a_malformed_flow_answer_is_no_stay():
    for response in ({"flow_token": "x"}, {"check_in": "12.07", "check_out": "2027-07-15"}):
        (message,) = parse_webhook(flow_reply_message("77015550123", response)).messages
        assert message.dates is None
