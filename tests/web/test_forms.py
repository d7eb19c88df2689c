"""The form pipeline (app/web/forms.py): a form read through the API's schema, Danish numbers
and labels, refusals kept and rolled back; errors under htmx shown beside the control."""

import json
from datetime import date
from decimal import Decimal

import pytest
from pydantic import Field
from starlette.datastructures import FormData

from app.errors import Conflict
from app.inputs import Input, Version
from app.labels import LABELS, inner_model
from app.risks.models import RaidItem
from app.web import forms
from tests.factories import bearer, login
from tests.risks.factories import make_item


class ExpenseForm(Input):
    amount: Decimal = Field(decimal_places=2)
    hours: Decimal | None = None
    date: date
    description: str = ""
    group_id: int | None = None
    depends_on: list[int] = []
    billable: bool = False
    version: Version


def _form(*pairs: tuple[str, str]) -> FormData:
    return FormData([("csrf_token", "x"), *pairs])


def test_a_form_is_read_through_the_schema_with_danish_numbers() -> None:
    data = forms.read(
        ExpenseForm,
        _form(
            ("amount", "12.500,50"),
            ("hours", ""),
            ("date", "2013-03-01"),
            ("description", " Kursus "),
            ("group_id", ""),
            ("depends_on", "3"),
            ("depends_on", "4"),
            ("billable", "false"),
            ("billable", "true"),
            ("version", "2"),
        ),
    )
    assert data.amount == Decimal("12500.50") and data.hours is None and data.group_id is None
    assert data.date == date(2013, 3, 1) and data.description == "Kursus"
    assert data.depends_on == [3, 4] and data.billable is True and data.version == 2


def test_ambiguous_amounts_and_missing_fields_are_refused_by_their_danish_labels() -> None:
    with pytest.raises(forms.FormInvalid) as refused:
        forms.read(ExpenseForm, _form(("amount", "12,500.00"), ("date", ""), ("version", "1")))
    errors = refused.value.errors
    assert errors["amount"].startswith("Feltet »Beløb« kan ikke læses: »12,500.00«")
    assert "12.500,50" in errors["amount"]
    assert errors["date"] == "Feltet »Dato« skal udfyldes."


def test_a_value_from_the_path_wins_over_the_form() -> None:
    data = forms.read(
        ExpenseForm,
        _form(("amount", "1"), ("date", "2013-03-01"), ("group_id", "9"), ("version", "1")),
        group_id=2,
    )
    assert data.group_id == 2


def test_a_refused_write_is_rolled_back_and_kept_with_its_status(session, world) -> None:
    item = make_item(session, world.project, title="Før")
    with forms.attempt(session) as outcome:
        session.get(RaidItem, item.id).title = "Halvt skrevet"
        session.flush()
        raise Conflict("Posten er ændret af en anden.", field="version")
    assert outcome.failed and outcome.status_code == 409
    assert outcome.errors == {"version": "Posten er ændret af en anden."}
    session.expire_all()
    assert session.get(RaidItem, item.id).title == "Før"
    # After a conflict the form shows the stored copy, not what was typed.
    assert outcome.context(_form(("title", "Ny"))) == {"errors": outcome.errors}


def test_every_input_field_has_a_danish_label() -> None:
    """Every field of every input schema, and of the schemas nested in them (a report's
    tolerances), has a label for its messages."""
    import app.main  # noqa: F401  (imports every domain's schemas)

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    schemas = [s for s in subclasses(Input) if s.__module__.startswith("app.")]
    missing = set()
    while schemas:
        schema = schemas.pop()
        for name, info in schema.model_fields.items():
            if not info.title and name not in LABELS:
                missing.add(f"{schema.__module__}.{schema.__name__}.{name}")
            inner = inner_model(info.annotation)
            if inner is not None and not issubclass(inner, Input):
                schemas.append(inner)
    assert not missing, sorted(missing)


def test_an_api_refusal_names_the_field_by_its_label_and_keeps_its_json_name(client, world):
    answer = client.post(
        f"/api/projects/{world.project.id}/risks",
        json={"review_date": "13-03-2013"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    detail = {(d["in"], d["field"]): d["message"] for d in answer.json()["errors"]}
    assert detail[("body", "title")] == "Feltet »Titel« skal udfyldes."
    assert detail[("body", "review_date")].startswith("Feltet »Næste revision« skal være en dato")


def test_an_htmx_refusal_leaves_the_page_as_it_was_with_a_message_for_the_control(client, world):
    login(client, "leader")
    answer = client.get(
        f"/projects/{world.project.id}/risks/999999/row", headers={"HX-Request": "true"}
    )
    assert answer.status_code == 404
    assert answer.headers["HX-Reswap"] == "none"
    assert json.loads(answer.headers["HX-Trigger"])["failed"]
    assert "site-header" not in answer.text
