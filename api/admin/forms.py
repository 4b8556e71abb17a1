"""Form fields for column types sqladmin does not convert on every SQLAlchemy release.

SQLAlchemy 2.1 no longer derives `Float` from `Numeric`, so sqladmin's Numeric converter
misses it and the apartment form (area_m2) answered 500; floats get a FloatField here.
"""

from __future__ import annotations

from typing import Any

from sqladmin.forms import ModelConverter, converts
from sqlalchemy.orm import ColumnProperty
from wtforms import FloatField  # type: ignore[import-untyped]  # ships no stubs


class ZhilyegoConverter(ModelConverter):
    @converts("Float", "Double", "REAL", "DOUBLE_PRECISION")  # type: ignore[untyped-decorator]
    def conv_float(self, model: type, prop: ColumnProperty[Any], kwargs: dict[str, Any]) -> Any:
        return FloatField(**kwargs)
