"""Issue 10 #1: an owner opens, creates and saves their apartment in the web admin (the form
answered 500 on SQLAlchemy 2.1, where `Float` (area_m2) is no longer a `Numeric`)."""

from __future__ import annotations

from html.parser import HTMLParser

from models import Property
from tests.admin.support import person_with_password, signed_in
from tests.support.factories import make_property


class FormFields(HTMLParser):
    """The name → value pairs a browser would submit from the page's form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields[name] = a.get("value") or "y"
            else:
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_of(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


async def test_an_owner_opens_edits_and_saves_their_apartment(stack):
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner, area_m2=54.5)
    async with signed_in(stack, owner) as admin:
        edit = await admin.get(f"/admin/property/edit/{prop.id}")
        create = await admin.get("/admin/property/create")
        assert (edit.status_code, create.status_code) == (200, 200), edit.text[-500:]
        fields = form_of(edit.text)
        assert fields["area_m2"] == "54.5"
        fields.update(title="Квартира у парка, обновлено", area_m2="61.25")
        saved = await admin.post(f"/admin/property/edit/{prop.id}", data=fields)
    assert saved.status_code == 302, saved.text[-2000:]
    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
    assert row is not None
    assert (row.title, row.area_m2, row.owner_id) == (
        "Квартира у парка, обновлено",
        61.25,
        owner.id,
    )
