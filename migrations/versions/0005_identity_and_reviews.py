"""identities: verified phones, contact phone per booking; reviews: owner reply, staff removal

No automatic merges: a phone counts as verified only where WhatsApp vouched for it (the
user's WhatsApp number is that phone); every other phone stays as it was, unverified, and
joins no identity until the person proves it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('app_user', sa.Column('phone_verified', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE app_user SET phone_verified = true WHERE phone IS NOT NULL AND whatsapp_phone = phone")
    op.add_column('booking', sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.execute("UPDATE booking SET contact_phone = u.phone FROM app_user u WHERE u.id = booking.guest_id")
    op.add_column('review', sa.Column('owner_reply', sa.Text(), nullable=True))
    op.add_column('review', sa.Column('owner_reply_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('review', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('review', sa.Column('deleted_by_id', sa.Integer(), nullable=True))
    op.add_column('review', sa.Column('deletion_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    op.create_foreign_key(op.f('fk_review_deleted_by_id_app_user'), 'review', 'app_user', ['deleted_by_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_review_deleted_by_id_app_user'), 'review', type_='foreignkey')
    for column in ('deletion_reason', 'deleted_by_id', 'deleted_at', 'owner_reply_at', 'owner_reply'):
        op.drop_column('review', column)
    op.drop_column('booking', 'contact_phone')
    op.drop_column('app_user', 'phone_verified')
