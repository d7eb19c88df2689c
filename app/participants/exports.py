"""Excel workbooks: the grantor's published figures and the leader's row-level export of the
pseudonymous records. Text is written as typed, never as a formula (app/spreadsheets.py)."""

from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.danish import format_date
from app.participants.disclosure import shown_value
from app.participants.models import RegistrationScheme
from app.participants.monitoring import Record, Report
from app.participants.schemes import Stage, outcome_label, stage_fields
from app.participants.values import display_value
from app.spreadsheets import put_text

HEADER_FILL = PatternFill("solid", fgColor="ECEFF3")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def _append(ws: Worksheet, values: list[Any]) -> None:
    """A row of cells; text through put_text (shown as typed, without control characters)."""
    ws.append([None if isinstance(v, str) else v for v in values])
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            put_text(cell, value)


def _write(ws: Worksheet, rows: list[list[Any]], *, header_row: int) -> None:
    for row in rows:
        _append(ws, row)
    for c in ws[header_row]:
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, column in enumerate(ws.columns, 1):
        width = max((len(str(c.value or "")) for c in column), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)


def _number_or_text(text: str) -> Any:
    """Numbers as numbers (so the grantor can add them up); suppressed cells stay text."""
    if text.endswith(" %"):
        return text
    value = shown_value(text)
    if value is None:
        return text
    return int(value) if value == int(value) else value


def monitoring_workbook(report: Report, *, title: str, scheme_name: str) -> bytes:
    """The aggregated figures, one sheet per table, with a sheet about the figures first."""
    wb = Workbook()
    about = wb.active
    about.title = "Om tallene"
    rows: list[list[Any]] = [
        ["Projekt", title],
        ["Registreringsskema", scheme_name],
        ["Opgjort pr.", format_date(report.as_of)],
        ["Målgruppe", report.target_group or "Alle"],
        ["Periode", "Kvartal" if report.unit == "quarter" else "Måned"],
        [],
        ["Nøgletal", "Værdi"],
        *([label, _number_or_text(value)] for label, value in report.key_figures()),
        [],
        ["<5", "Færre end 5 personer: tallet vises ikke af hensyn til deltagernes anonymitet."],
        ["..", "Skjult, så et lille tal ikke kan regnes ud af en total."],
        ["–", "Intet at beregne."],
        [
            "Afrunding",
            "Antal er afrundet til nærmeste 5 og opgjort ved en månedsudgang; andele er regnet "
            "af de afrundede antal.",
        ],
    ]
    _write(about, rows, header_row=7)
    about["A1"].font = Font(bold=True)
    for table in report.tables():
        ws = wb.create_sheet(_sheet_title(table.title))
        body = [
            [cell if i == 0 else _number_or_text(cell) for i, cell in enumerate(row)]
            for row in table.rows
        ]
        _write(ws, [table.columns, *body], header_row=1)
        if table.note:
            ws.append([])
            _append(ws, [table.note])
        ws.freeze_panes = "A2"
    return _save(wb)


def participants_workbook(records: list[Record], schemes: list[RegistrationScheme]) -> bytes:
    """The pseudonymous records: one sheet of participants and one of follow-ups per scheme."""
    wb = Workbook()
    wb.remove(wb.active)
    for scheme in schemes:
        fields = stage_fields(scheme)
        mine = [r for r in records if r.scheme.id == scheme.id]
        ws = wb.create_sheet(_sheet_title(f"{scheme.code_prefix} deltagere"))
        header = (
            ["Deltagerkode", "Målgruppe", "Startdato"]
            + [f.label for f in fields[Stage.start]]
            + ["Antal opfølgninger", "Seneste opfølgning", "Afslutningsdato", "Afslutningsstatus"]
            + [f.label for f in fields[Stage.exit]]
        )
        rows: list[list[Any]] = [header]
        for r in mine:
            p = r.participant
            rows.append(
                [p.code, p.target_group or "", p.start_date]
                + [_cell(f, p.start_values.get(f.key)) for f in fields[Stage.start]]
                + [
                    len(r.follow_ups),
                    r.last_follow_up_date,
                    p.exit_date,
                    outcome_label(scheme, p.exit_outcome) if p.exit_outcome else "",
                ]
                + [_cell(f, p.exit_values.get(f.key)) for f in fields[Stage.exit]]
            )
        _write(ws, rows, header_row=1)
        _date_format(ws)
        ws.freeze_panes = "B2"
        ws = wb.create_sheet(_sheet_title(f"{scheme.code_prefix} opfølgninger"))
        rows = [["Deltagerkode", "Opfølgningsdato"] + [f.label for f in fields[Stage.follow_up]]]
        for r in mine:
            for f in r.follow_ups:
                rows.append(
                    [r.participant.code, f.follow_up_date]
                    + [_cell(d, f.values.get(d.key)) for d in fields[Stage.follow_up]]
                )
        _write(ws, rows, header_row=1)
        _date_format(ws)
        ws.freeze_panes = "B2"
    if not wb.worksheets:
        wb.create_sheet("Deltagere").append(["Projektet har ingen registreringsskemaer."])
    return _save(wb)


def _cell(f: Any, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return display_value(f, value)


def _date_format(ws: Worksheet) -> None:
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, date):
                c.number_format = "DD.MM.YYYY"


def _save(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
