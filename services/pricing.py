"""An apartment's price rules as every quote reads them: the base price, cleaning fee and
min/max nights from its row, the owner's PricingRules from its JSON column."""

from __future__ import annotations

from models import Property
from models.pricing import PriceRules, PricingRules


def price_rules(prop: Property) -> PriceRules:
    """The same rules for the search cards, the bots, the API pre-check, the hold activity
    and the calendar."""
    return PriceRules(
        price_per_night=prop.price_per_night,
        cleaning_fee=prop.cleaning_fee,
        min_nights=prop.min_nights,
        max_nights=prop.max_nights,
        pricing=PricingRules.model_validate(prop.pricing or {}),
    )
