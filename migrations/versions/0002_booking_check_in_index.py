"""booking check-in index (analytics select bookings by check-in day)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f('ix_booking_check_in'), 'booking', ['check_in'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_booking_check_in'), table_name='booking')
