"""sqladmin's list export, with cells no spreadsheet runs as formulas.

Its built-in CSV writes each value as is, so an apartment titled `=HYPERLINK(...)` or a
guest's name reached the file as a live formula; every cell now goes through `safe_cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, ClassVar

from sqladmin import ModelView
from sqladmin.helpers import secure_filename
from starlette.requests import Request
from starlette.responses import StreamingResponse

from api.admin.forms import ZhilyegoConverter
from services.csv_cells import SafeWriter


class SafeExportView(ModelView):
    """The base of every model view: safe CSV export, and forms for every column type."""

    form_converter = ZhilyegoConverter
    # JSON adds nothing an owner needs: one format, kept safe.
    export_types: ClassVar[list[str]] = ["csv"]

    async def export_data(
        self, data: list[Any], export_type: str = "csv", request: Request | None = None
    ) -> StreamingResponse:
        columns = self.get_export_columns()
        out = io.StringIO()
        writer = SafeWriter(csv.writer(out))
        writer.writerow(columns)
        for row in data:
            values = [await self.get_prop_value(row, name) for name in columns]
            writer.writerow(["" if v is None else str(v) for v in values])
        filename = secure_filename(self.get_export_name(export_type="csv"))
        body = out.getvalue()

        def chunks() -> Iterator[str]:
            yield body

        return StreamingResponse(
            chunks(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment;filename={filename}"},
        )
