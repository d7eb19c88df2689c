"""What the participants' pages share: the context every page starts from, their URLs and the
reading of a few hidden form fields."""

from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.governance.projects import get_project
from app.numbers import write_number
from app.participants import setup
from app.participants.schemes import (
    FIELD_TYPE_LABELS,
    STAGE_LABELS,
    Stage,
    interval_text,
    outcome_label,
    outcomes,
    stage_fields,
)
from app.participants.values import display_value
from app.web import forms


def base(session: Session, access: Access, **extra: Any) -> dict[str, Any]:
    """The context of every participants page (`extra` added)."""
    return {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "is_registrar": setup.is_registrar(session=session, access=access),
        "stage_labels": STAGE_LABELS,
        "type_labels": FIELD_TYPE_LABELS,
        "stage_fields": stage_fields,
        "display_value": display_value,
        "write_number": write_number,
        "interval_text": interval_text,
        "outcome_label": outcome_label,
        "outcomes": outcomes,
        "Stage": Stage,
        "today": clock.today(),
        "errors": {},
        "values": {},
        "at": "",
    } | extra


def url(access: Access, participant_id: int | None = None, anchor: str = "") -> str:
    """The participants list, a participant's page, or a page under /participants (`anchor`)."""
    one = f"/{participant_id}" if participant_id else ""
    return f"/projects/{access.project_id}/participants{one}{anchor}"


def version(form: FormData) -> int:
    """The version of the copy a form was filled in on."""
    return forms.form_version(form.getlist("version"))


def number(text: Any) -> int | None:
    """A whole number sent in a hidden field, None when it is none."""
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() else None
