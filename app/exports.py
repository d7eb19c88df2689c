"""Lists as files that leave the tool: one table (a title, Danish column headers and rows)
written as an Excel workbook or as CSV the way Danish Excel opens it (UTF-8 with BOM, `;`,
CRLF). Each domain builds its table from the read its list page uses; the routes are in
app/web/exports.py.

Cells are typed by their value: text (written as typed, never as a formula:
app/spreadsheets.py), a date (a real date cell in Excel, dd.mm.yyyy in CSV), a whole number, a
Decimal, which is an amount in kroner (never a float), a bool (Ja/Nej) or None (empty)."""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from starlette.responses import Response

from app.danish import format_date
from app.spreadsheets import csv_text, put_text

Format = Literal["xlsx", "csv"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
KR_FORMAT = '#,##0.00 "kr."'
# An export is the whole list, not a page of it; the list reads take a limit, so this is one
# no list reaches.
EVERY_ROW = 1_000_000


@dataclass
class Table:
    """A list as a file holds it: its title (the sheet's name), headers and rows of cells."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


def id_filter(text: str) -> int | None:
    """A filter's id from the query string (`group=4`); anything else is no filter."""
    return int(text) if text.strip().isdigit() else None


def kroner(ore: int | None) -> Decimal | None:
    """An amount in øre as kroner, exactly."""
    return None if ore is None else Decimal(ore) / 100


def _sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31] or "Liste"


def xlsx_bytes(table: Table) -> bytes:
    """The table as a workbook: bold, frozen header row with an autofilter; dates and amounts
    as real cells with Danish number formats."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(table.title)
    for row_number, values in enumerate([table.columns, *table.rows], 1):
        for column_number, value in enumerate(values, 1):
            cell = ws.cell(row=row_number, column=column_number)
            if isinstance(value, str):
                put_text(cell, value)
            elif isinstance(value, bool):
                put_text(cell, "Ja" if value else "Nej")
            elif isinstance(value, datetime):
                cell.value = value.replace(tzinfo=None)
                cell.number_format = DATE_FORMAT + " hh:mm"
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Decimal):
                cell.value = value
                cell.number_format = KR_FORMAT
            else:
                cell.value = value
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(table.columns)))
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    for i, header in enumerate(table.columns, 1):
        longest = max([len(header), *(len(_csv_cell(r[i - 1])) for r in table.rows[:200])])
        ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV for Danish Excel: UTF-8 with BOM, `;`-separated, CRLF line ends, dates
    as dd.mm.yyyy and amounts with a decimal comma."""
    out = StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(c) for c in table.columns])
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return "\ufeff".encode() + out.getvalue().encode()


def export_response(table: Table, *, name: str, day: date, format: Format) -> Response:
    """The table as a download named `<name>-<yyyy-mm-dd>.<format>`."""
    filename = f"{name}-{day.isoformat()}.{format}"
    if format == "xlsx":
        body, media_type = xlsx_bytes(table), XLSX
    else:
        body, media_type = csv_bytes(table), "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)
