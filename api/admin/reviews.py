"""Guests' reviews in the web admin: read-only words. An owner may answer in public; only
staff remove a review, and then with a reason that stays on the (hidden) row.

Removed reviews count nowhere (ratings, cards, the owner's lists); owners no longer see
them here, staff still do.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, ClassVar

from sqlalchemy import Select
from sqlmodel import col
from starlette.requests import Request

# WTForms ships neither stubs nor py.typed (sqladmin builds its forms with it).
from wtforms import Form, TextAreaField  # type: ignore[import-untyped]
from wtforms.validators import InputRequired, Length, Optional  # type: ignore[import-untyped]

from api.admin.auth import current_scope, current_sessions, current_user
from api.admin.formatting import apartment, guest, person
from api.admin.i18n import Text
from api.admin.views import ScopedView
from models import Review
from models.base import utcnow

MAX_REPLY = 2000
MAX_REASON = 500

# sqladmin builds the edit form without the request; the role is noted while it checks the
# row (check_can_edit runs first, in the same task). The form is only what is shown:
# update_model decides by the signed-in user's role, whatever was posted.
_STAFF_EDITS: ContextVar[bool] = ContextVar("zg_admin_review_staff", default=False)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ReplyForm(Form):  # type: ignore[misc]  # Form is untyped
    owner_reply = TextAreaField(
        Text("Public reply"),
        validators=[Optional(), Length(max=MAX_REPLY)],
        filters=[_strip],
        description="Shown under the guest's review; leave empty to withdraw it.",
    )


class RemovalForm(Form):  # type: ignore[misc]
    deletion_reason = TextAreaField(
        Text("Reason for removal"),
        validators=[InputRequired(), Length(max=MAX_REASON)],
        filters=[_strip],
        description="The review is hidden everywhere; the reason is kept with it.",
    )


class ReviewAdmin(ScopedView, model=Review):
    name, name_plural, icon = Text("Review"), Text("Reviews"), "fa-solid fa-star"
    can_create = False  # reviews arrive through the booking workflow
    can_delete = False  # never erased: staff remove one with a reason, on its edit page
    column_list: ClassVar[Any] = [
        Review.id,
        Review.property_id,
        Review.booking_id,
        Review.rating,
        Review.created_at,
        Review.owner_reply_at,
        Review.deleted_at,
    ]
    column_labels: ClassVar[Any] = {
        Review.id: Text("No."),
        Review.property_id: Text("Apartment"),
        Review.booking_id: Text("Booking"),
        Review.guest_id: Text("Guest"),
        Review.rating: Text("Rating"),
        Review.text: Text("Text"),
        Review.photo_urls: Text("Photo links"),
        Review.created_at: Text("Created"),
        Review.owner_reply: Text("Public reply"),
        Review.owner_reply_at: Text("Replied"),
        Review.deleted_at: Text("Removed"),
        Review.deleted_by_id: Text("Removed by"),
        Review.deletion_reason: Text("Reason for removal"),
    }
    column_formatters: ClassVar[Any] = {
        Review.property_id: apartment,
        Review.guest_id: guest,
        Review.deleted_by_id: person,
        Review.rating: lambda model, _name: "★" * int(model.rating or 0),
    }
    column_formatters_detail: ClassVar[Any] = column_formatters

    def _narrow(self, request: Request, stmt: Select[Any]) -> Select[Any]:
        stmt = super()._narrow(request, stmt)
        if current_scope(request).everything:
            return stmt
        return stmt.where(col(Review.deleted_at).is_(None))

    async def check_can_edit(self, request: Request, model: Any) -> bool:
        _STAFF_EDITS.set(current_scope(request).everything)
        return await super().check_can_edit(request, model)

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        return RemovalForm if _STAFF_EDITS.get() else ReplyForm

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        """Writes the reply (owners) or the removal (staff), never the guest's words."""
        staff = current_scope(request).everything
        async with current_sessions(request)() as session:
            review = (await session.execute(self.form_edit_query(request))).scalars().first()
            if review is None:
                raise ValueError("not one of your apartments' reviews")
            if staff:
                reason = str(data.get("deletion_reason") or "").strip()
                if not reason:
                    raise ValueError("a removal needs its reason")
                review.deletion_reason = reason[:MAX_REASON]
                if review.deleted_at is None:
                    review.deleted_at = utcnow()
                    review.deleted_by_id = current_user(request).id
            else:
                reply = str(data.get("owner_reply") or "").strip()[:MAX_REPLY] or None
                if reply != review.owner_reply:
                    review.owner_reply = reply
                    review.owner_reply_at = utcnow() if reply else None
            await session.commit()
            await session.refresh(review)
        await self.after_model_change(data, review, False, request)  # the rating may move
        return review
