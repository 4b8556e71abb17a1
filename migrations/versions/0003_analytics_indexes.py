"""analytics indexes: bookings per apartment by check-in, calendar blocks by night

Measured with bench/analytics_queries.py (10 000 apartments, ~1 M calendar nights).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 00:30:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_booking_property_check_in', 'booking', ['property_id', 'check_in'], unique=False)
    op.create_index('ix_calendar_night_kind_night', 'calendar_night', ['kind', 'night', 'property_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_calendar_night_kind_night', table_name='calendar_night')
    op.drop_index('ix_booking_property_check_in', table_name='booking')
