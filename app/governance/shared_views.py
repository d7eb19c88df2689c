"""What every page of the organisation shares: the page context (the project, the caller's
access and what they may do), a refused form's context, the answer after a write, and links."""

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.models import Role
from app.auth.service import Access
from app.governance import bodies, projects
from app.governance.models import (
    BODY_KIND_LABELS,
    CHANGE_KIND_LABELS,
    MANDATE_STATUS_LABELS,
    MEMBER_ROLE_LABELS,
)
from app.governance.permissions import DECISION_ROLES, FOLLOW_UP_ROLES, MINUTES_ROLES
from app.web import forms

ORG = "/projects/{project_id}/organisation"


def page_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    """What every organisation page needs: the project, the caller's access and what they may do."""
    return {
        "project": projects.get_project(session=session, project_id=access.project_id),
        "access": access,
        "can_organise": access.leads,
        "can_meet": access.has(Role.secretariat, Role.project_leader),
        "can_minute": access.has(*MINUTES_ROLES),
        "can_decide": access.has(*DECISION_ROLES),
        "can_follow_up": access.has(*FOLLOW_UP_ROLES),
        "kind_labels": BODY_KIND_LABELS,
        "role_labels": MEMBER_ROLE_LABELS,
        "status_labels": MANDATE_STATUS_LABELS,
        "change_kind_labels": CHANGE_KIND_LABELS,
    } | values


def refusal(outcome: forms.Outcome, form: FormData, name: str, **opened: Any) -> dict[str, Any]:
    """A refused form's messages and what was typed, under the names its section reads
    (`area_errors`, `area_values`), with its inline form kept open; nothing if the write passed."""
    if not outcome.failed:
        return {}
    return {f"{name}_{key}": value for key, value in outcome.context(form).items()} | opened


def answer(
    request: Request,
    outcome: forms.Outcome,
    context: dict[str, Any],
    page: str,
    partial: str,
    url: str,
    message: str,
) -> Response:
    """After an attempted write: refused, the section again with its messages (the whole page
    without htmx); done, the section with the message announced, or back to `url`."""
    if outcome.failed:
        return forms.refused(request, page, context, outcome, partial=partial)
    return forms.done(request, url, message, partial=partial, context=context)


def org_url(access: Access, path: str = "") -> str:
    return f"/projects/{access.project_id}/organisation{path}"


def bodies_by_id(session: Session, access: Access) -> dict[str, Any]:
    """The project's bodies in order (`bodies`) and by id (`by_id`), as the pages read them."""
    listed = bodies.bodies(session=session, project_id=access.project_id)
    return {"bodies": listed, "by_id": {b.id: b for b in listed}}


def optional_id(value: str) -> int | None:
    """A filter's id from a query string, where an empty choice ("all") comes as ''."""
    return int(value) if value.strip().isdigit() else None


def row_url(access: Access, kind: str, row_id: int | None, anchor: str = "") -> str:
    """A meeting's or a decision's page (`kind` is "meetings" or "decisions"), at `anchor`."""
    return f"/projects/{access.project_id}/{kind}/{row_id}" + (f"#{anchor}" if anchor else "")
