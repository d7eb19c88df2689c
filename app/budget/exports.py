"""The expenditures as a table for export (app/exports.py): the selected grant's, as the budget
page lists them (`grant=<id>`), those on own financing (`grant=egen`), or all the project's."""

from collections.abc import Mapping

from sqlmodel import Session

from app.budget.expenditures import list_expenditures
from app.budget.grants import list_grants
from app.budget.models import CATEGORY_LABELS, STATUS_LABELS
from app.budget.overview import group_names
from app.budget.reads import purpose_numbers
from app.exports import Table, kroner

# `grant=egen`: the expenditures on own financing (no grant).
OWN = "egen"
COLUMNS = [
    "Nr.",
    "Dato",
    "Tilskud",
    "Beskrivelse",
    "Leverandør",
    "Udgiftsart",
    "Formål",
    "Gruppe",
    "Status",
    "Beløb (kr.)",
    "Korrektion af nr.",
    "Bilag",
    "Bemærkning",
]


def expenditures_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """The expenditures by date, with amounts in kroner (Decimal, exact to the øre)."""
    grant = filters.get("grant", "")
    rows = list_expenditures(
        session=session,
        project_id=project_id,
        grant_id=int(grant) if grant.isdigit() else None,
        own=grant == OWN,
    )
    grants = list_grants(session=session, project_id=project_id)
    grant_names = {v.grant.id: v.grant.name for v in grants}
    purposes = purpose_numbers(grants)
    groups = group_names(session=session, project_id=project_id)
    return Table(
        title="Udgifter",
        columns=COLUMNS,
        rows=[
            [
                e.id,
                e.expense_date,
                grant_names.get(e.grant_id, "") if e.grant_id else "Egenfinansiering",
                e.description,
                e.supplier,
                CATEGORY_LABELS[e.category],
                purposes.get(e.purpose_id, "") if e.purpose_id else "",
                groups.get(e.group_id, "") if e.group_id else "",
                STATUS_LABELS[e.status],
                kroner(e.amount_ore),
                e.correction_of_id,
                e.attachment_ref,
                e.note,
            ]
            for e in rows
        ],
    )
