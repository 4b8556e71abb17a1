"""Whose apartments a person may see and manage: one owner's, or (staff) everyone's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import col

from models import Property, User
from models.enums import STAFF_ROLES, Role

S = TypeVar("S", bound=Any)


@dataclass(frozen=True)
class Scope:
    # None: every owner's apartments (super_admin, super_user).
    owner_id: int | None

    @property
    def everything(self) -> bool:
        return self.owner_id is None


def scope_of(user: User | None) -> Scope | None:
    """The apartments a user manages; None for guests (they manage nothing)."""
    if user is None or user.id is None:
        return None
    if user.role in STAFF_ROLES:
        return Scope(owner_id=None)
    if user.role == Role.ADMIN:
        return Scope(owner_id=user.id)
    return None


def within(statement: S, scope: Scope) -> S:
    """Restricts a select that already involves `Property` to the scope's apartments."""
    if scope.owner_id is None:
        return statement
    narrowed: S = statement.where(col(Property.owner_id) == scope.owner_id)
    return narrowed
