"""pricing rules per apartment (weekend price, seasons, holiday dates, stay discounts, extra
guests, advance notice, turnover nights) as JSON on property; price history records rule
changes too; turnover nights are calendar rows of their booking

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD = """
CREATE OR REPLACE FUNCTION record_price_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT'
       OR NEW.price_per_night IS DISTINCT FROM OLD.price_per_night
       OR NEW.pricing IS DISTINCT FROM OLD.pricing THEN
        INSERT INTO price_history (property_id, old_price, new_price, rules, changed_at)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.price_per_night END,
                NEW.price_per_night, NEW.pricing, now());
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
STAMP = """
CREATE OR REPLACE FUNCTION stamp_price_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT'
       OR NEW.price_per_night IS DISTINCT FROM OLD.price_per_night
       OR NEW.pricing IS DISTINCT FROM OLD.pricing THEN
        NEW.price_updated_at := now();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""
TRIGGERS = """
DROP TRIGGER property_price_history ON property;
DROP TRIGGER property_price_stamp ON property;
CREATE TRIGGER property_price_history
AFTER INSERT OR UPDATE OF price_per_night, pricing ON property
FOR EACH ROW EXECUTE FUNCTION record_price_change();
CREATE TRIGGER property_price_stamp
BEFORE INSERT OR UPDATE OF price_per_night, pricing ON property
FOR EACH ROW EXECUTE FUNCTION stamp_price_change()
"""

OLD_RECORD = """
CREATE OR REPLACE FUNCTION record_price_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.price_per_night IS DISTINCT FROM OLD.price_per_night THEN
        INSERT INTO price_history (property_id, old_price, new_price, changed_at)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.price_per_night END,
                NEW.price_per_night, now());
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
OLD_STAMP = """
CREATE OR REPLACE FUNCTION stamp_price_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.price_per_night IS DISTINCT FROM OLD.price_per_night THEN
        NEW.price_updated_at := now();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""
OLD_TRIGGERS = """
DROP TRIGGER property_price_history ON property;
DROP TRIGGER property_price_stamp ON property;
CREATE TRIGGER property_price_history
AFTER INSERT OR UPDATE OF price_per_night ON property
FOR EACH ROW EXECUTE FUNCTION record_price_change();
CREATE TRIGGER property_price_stamp
BEFORE INSERT OR UPDATE OF price_per_night ON property
FOR EACH ROW EXECUTE FUNCTION stamp_price_change()
"""


def upgrade() -> None:
    op.add_column(
        'property', sa.Column('pricing', JSONB(), server_default=sa.text("'{}'"), nullable=False)
    )
    op.add_column('price_history', sa.Column('rules', JSONB(), nullable=True))
    op.drop_constraint('ck_calendar_night_booking_kind_has_booking', 'calendar_night')
    op.create_check_constraint(
        op.f('ck_calendar_night_booking_kind_has_booking'),
        'calendar_night',
        "(kind IN ('booking', 'turnover')) = (booking_id IS NOT NULL)",
    )
    for statement in (RECORD, STAMP, *TRIGGERS.split(";")):
        op.execute(statement)  # asyncpg: one statement per call


def downgrade() -> None:
    for statement in (OLD_RECORD, OLD_STAMP, *OLD_TRIGGERS.split(";")):
        op.execute(statement)
    op.execute("DELETE FROM calendar_night WHERE kind = 'turnover'")
    op.drop_constraint('ck_calendar_night_booking_kind_has_booking', 'calendar_night')
    op.create_check_constraint(
        op.f('ck_calendar_night_booking_kind_has_booking'),
        'calendar_night',
        "(kind = 'booking') = (booking_id IS NOT NULL)",
    )
    op.drop_column('price_history', 'rules')
    op.drop_column('property', 'pricing')
