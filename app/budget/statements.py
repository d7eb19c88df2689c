"""The grant accounting (tilskudsregnskab) as files: an Excel workbook (openpyxl) and a PDF
(WeasyPrint), both in Danish, from the same Statement."""

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML

from app.budget import rules
from app.budget.money import hours_text
from app.budget.overview import Statement
from app.danish import format_date, format_kr
from app.jinja import env
from app.spreadsheets import put_text

KR_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="ECEFF3")
TOP_LINE = Border(top=Side(style="thin"))

MANAGEMENT_STATEMENT = (
    "Det erklæres hermed, at tilskuddet er anvendt til de formål og på de vilkår, der er fastsat "
    "i tilsagnet, at regnskabet omfatter alle udgifter afholdt af tilskuddet i "
    "tilskudsperioden, at udgifterne er afholdt i overensstemmelse med gældende regler, og at "
    "ubrugte midler tilbagebetales til tilskudsgiveren."
)
MATERIALITY = (
    f"En afvigelse fra det godkendte budget er væsentlig og skal forklares, når den er over "
    f"{rules.MATERIAL_PERCENT} % af budgetlinjen og over {format_kr(rules.MATERIAL_ORE)}"
)


def _kr(ore: int) -> Decimal:
    return Decimal(ore) / 100


def _put(
    ws: Worksheet, row: int, column: int, value: Any, *, money: bool = False, bold: bool = False
) -> Cell:
    """Write a cell; text that a spreadsheet would read as a formula is stored as plain text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        put_text(cell, value)
    elif money and isinstance(value, int):
        cell.value = _kr(value)
        cell.number_format = KR_FORMAT
    else:
        cell.value = value
        if hasattr(value, "isoformat"):
            cell.number_format = DATE_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def _header(ws: Worksheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, 1):
        cell = _put(ws, row, column, title, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def statement_xlsx(st: Statement) -> bytes:
    """The statement as an Excel workbook: the accounting with the management statement, and
    every expense line by line on a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tilskudsregnskab"
    grant = st.grant
    _put(ws, 1, 1, "Tilskudsregnskab").font = Font(bold=True, size=14)
    facts = [
        ("Kommune", st.municipality),
        ("Projekt", st.project_name),
        ("Tilskud", grant.name),
        ("Pulje", f"{st.fund.name} ({st.fund.grantor})" if st.fund else ""),
        ("Journalnummer", grant.reference),
        ("Tilskudsperiode", f"{format_date(grant.first_date)}–{format_date(grant.last_date)}"),
        ("Frist for regnskabet", format_date(grant.report_due_date)),
        ("Udarbejdet", format_date(st.made_date)),
        ("Beløb", "i kr."),
    ]
    row = 2
    for title, value in facts:
        _put(ws, row, 1, title, bold=True)
        _put(ws, row, 2, value)
        row += 1
    row += 1
    _header(
        ws,
        row,
        [
            "Udgiftsart",
            "Godkendt budget",
            "Regnskab",
            "Afvigelse",
            "Afvigelse i %",
            "Væsentlig afvigelse",
            "Forklaring",
        ],
    )
    for line in st.lines:
        row += 1
        _put(ws, row, 1, line.label)
        _put(ws, row, 2, line.budget_ore, money=True)
        _put(ws, row, 3, line.actual_ore, money=True)
        _put(ws, row, 4, line.deviation_ore, money=True)
        if line.deviation_percent is not None:
            _put(ws, row, 5, line.deviation_percent).number_format = "0.0"
        _put(ws, row, 6, "Ja" if line.material else "Nej")
        _put(ws, row, 7, line.explanation).alignment = Alignment(wrap_text=True, vertical="top")
    row += 1
    _put(ws, row, 1, "I alt", bold=True)
    for total_column, total in (
        (2, st.total_budget_ore),
        (3, st.total_actual_ore),
        (4, st.total_actual_ore - st.total_budget_ore),
    ):
        _put(ws, row, total_column, total, money=True, bold=True).border = TOP_LINE
    row += 2
    for title, amount in [
        ("Tilskud", grant.amount_ore),
        ("Forbrugt i alt", st.total_actual_ore),
        ("Heraf disponeret, endnu ikke betalt", st.committed_ore),
        ("Ubrugt beløb, der skal tilbagebetales", st.unused_ore),
    ]:
        _put(ws, row, 1, title, bold=True)
        _put(ws, row, 2, amount, money=True)
        row += 1
    row += 1
    _put(ws, row, 1, MATERIALITY)
    row += 2
    _header(ws, row, ["Formål", "Godkendt budget", "Regnskab"])
    for p in st.purpose_lines:
        row += 1
        _put(ws, row, 1, p.text).alignment = Alignment(wrap_text=True, vertical="top")
        _put(ws, row, 2, p.budget_ore, money=True)
        _put(ws, row, 3, p.actual_ore, money=True)
    if st.post_lines:
        row += 2
        _header(ws, row, ["Stilling", "Budget", "Betalt", "Disponeret", "Tilbage"])
        for post in st.post_lines:
            row += 1
            _put(ws, row, 1, post.label)
            for column, amount in enumerate(
                (post.budget_ore, post.paid_ore, post.committed_ore, post.remaining_ore), 2
            ):
                _put(ws, row, column, amount, money=True)
    row += 2
    _put(ws, row, 1, "Ledelseserklæring").font = Font(bold=True, size=12)
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
    _put(ws, row, 1, MANAGEMENT_STATEMENT).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 48
    for title in ("Sted og dato", "Underskrift", "Navn og stilling"):
        row += 2
        _put(ws, row, 1, title, bold=True)
        ws.cell(row=row, column=2).border = Border(bottom=Side(style="thin"))
        ws.cell(row=row, column=3).border = Border(bottom=Side(style="thin"))
    for letter, width in zip("ABCDEFG", (44, 18, 18, 16, 14, 12, 60), strict=True):
        ws.column_dimensions[letter].width = width

    lines = wb.create_sheet("Udgifter")
    _header(
        lines,
        1,
        [
            "Dato",
            "Bilag",
            "Beskrivelse",
            "Udgiftsart",
            "Formål",
            "Leverandør / frikøbt medarbejder",
            "Timer",
            "Timesats",
            "Gruppe",
            "Status",
            "Korrektion af",
            "Beløb",
            "Stilling",
            "Sådan er betingelsen opfyldt",
        ],
    )
    row = 1
    for r in st.rows:
        e = r.expense
        row += 1
        _put(lines, row, 1, e.expense_date)
        _put(lines, row, 2, e.attachment_ref)
        _put(lines, row, 3, e.description)
        _put(lines, row, 4, r.category_label)
        _put(lines, row, 5, r.purpose_text)
        _put(lines, row, 6, e.supplier)
        if e.hours_hundredths is not None:
            _put(lines, row, 7, Decimal(e.hours_hundredths) / 100).number_format = "0.00"
        if e.hourly_rate_ore is not None:
            _put(lines, row, 8, e.hourly_rate_ore, money=True)
        _put(lines, row, 9, r.group_name)
        _put(lines, row, 10, r.status_label)
        if e.correction_of_id is not None:
            _put(lines, row, 11, f"Udgift nr. {e.correction_of_id}")
        _put(lines, row, 12, e.amount_ore, money=True)
        _put(lines, row, 13, r.post_title)
        _put(lines, row, 14, r.how_met).alignment = Alignment(wrap_text=True, vertical="top")
    row += 1
    _put(lines, row, 1, "I alt", bold=True)
    _put(lines, row, 12, st.total_actual_ore, money=True, bold=True).border = TOP_LINE
    for letter, width in zip(
        "ABCDEFGHIJKLMN", (12, 10, 44, 24, 40, 28, 8, 12, 30, 11, 14, 16, 24, 50), strict=True
    ):
        lines.column_dimensions[letter].width = width
    lines.freeze_panes = "A2"

    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def statement_html(st: Statement) -> str:
    """The statement as a printable HTML document (the source of the PDF)."""
    return env.get_template("budget/statement_print.html").render(
        st=st,
        management_statement=MANAGEMENT_STATEMENT,
        materiality=MATERIALITY,
        hours_text=hours_text,
    )


def statement_pdf(st: Statement) -> bytes:
    """The statement as an A4 PDF in Danish."""
    return HTML(string=statement_html(st)).write_pdf()


def filename(st: Statement, extension: str) -> str:
    """tilskudsregnskab-<grant>-<date>.<ext>, safe for a Content-Disposition header."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in st.grant.name.lower())
    slug = "-".join(part for part in slug.split("-") if part)[:60]
    ascii_slug = slug.encode("ascii", "ignore").decode() or "tilskud"
    return f"tilskudsregnskab-{ascii_slug}-{st.made_date.isoformat()}.{extension}"
