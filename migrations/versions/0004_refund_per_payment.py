"""refunds: one per payment, not per booking

A booking may refund a stray Kaspi payment (a wrong amount, a second payment) and later make
its own cancellation refund: each payment gets its own Refund row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 03:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint(op.f('uq_refund_booking_id'), 'refund', type_='unique')
    op.create_index(op.f('ix_refund_booking_id'), 'refund', ['booking_id'], unique=False)
    op.create_unique_constraint(op.f('uq_refund_payment_id'), 'refund', ['payment_id'])


def downgrade() -> None:
    op.drop_constraint(op.f('uq_refund_payment_id'), 'refund', type_='unique')
    op.drop_index(op.f('ix_refund_booking_id'), table_name='refund')
    op.create_unique_constraint(op.f('uq_refund_booking_id'), 'refund', ['booking_id'])
