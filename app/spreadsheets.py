"""What a spreadsheet cell may hold: text shown as typed, never read as a formula, and without
the control characters the .xlsx format refuses (openpyxl raises IllegalCharacterError). One rule
for both formats we write: .xlsx cells (`put_text`) and CSV fields (`csv_text`)."""

from openpyxl.cell import Cell

from app.inputs import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t")


def put_text(cell: Cell, value: str) -> Cell:
    """Write text into the cell; text a spreadsheet would read as a formula stays plain text."""
    cell.value = text = clean_text(value)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_text(value: str) -> str:
    """Text for a CSV field; text a spreadsheet would read as a formula gets a leading
    apostrophe (OWASP's advice for CSV injection), so Excel shows it as typed."""
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
