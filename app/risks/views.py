"""Pages of the risk register (with heat map and inline edits) and of the success measures."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from app import clock
from app.auth.models import Role
from app.auth.service import Access
from app.charts import page_json
from app.danish import format_measure
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.errors import Forbidden
from app.governance.bodies import implementation_groups
from app.governance.projects import get_project
from app.numbers import write_number
from app.risks import charts, measures, rules, service
from app.risks.models import RaidItem
from app.risks.rules import RaidKind, RaidStatus, RiskLevel
from app.risks.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    MeasurementCreate,
    RaidItemCreate,
    RaidItemUpdate,
)
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import is_htmx, render

router = APIRouter()
E = TypeVar("E", bound=StrEnum)
M = TypeVar("M", bound=BaseModel)

LABELS = {
    "kinds": rules.RAID_KIND_LABELS,
    "kinds_plural": rules.RAID_KIND_PLURAL,
    "statuses": rules.RAID_STATUS_LABELS,
    "status_badges": rules.RAID_STATUS_BADGES,
    "levels": rules.RISK_LEVEL_LABELS,
    "level_badges": rules.RISK_LEVEL_BADGES,
    "directions": rules.DIRECTION_LABELS,
    "frequencies": rules.FREQUENCY_LABELS,
    "scale": list(rules.SCALE),
    "high_from": rules.HIGH_FROM,
    "medium_from": rules.MEDIUM_FROM,
}


# A measured value in Danish (12,5 or 1.000), as the status report shows it too.
number = format_measure


def _can_write(access: Access) -> bool:
    return access.has(Role.project_leader, Role.group_member)


def _can_edit(access: Access, group_id: int | None) -> bool:
    return _can_write(access) and access.can_edit_group(group_id)


def _common(session: Session, access: Access) -> dict[str, Any]:
    groups = implementation_groups(session=session, project_id=access.project_id)
    people = service.owner_names(session=session, project_id=access.project_id)
    return {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "labels": LABELS,
        "groups": groups,
        "group_names": {g.id: g.name for g in groups},
        "people": sorted(people.items(), key=lambda p: p[1]),
        "owner_names": people,
        "group_options": [(g.id, g.name) for g in groups if access.can_edit_group(g.id)],
        "scale_options": [(n, str(n)) for n in rules.SCALE],
        "can_write": _can_write(access),
        "may_leave_group_empty": access.leads,
        "number": number,
        "today": clock.today(),
    }


# --- The RAID register ---


def _enum_or_none(enum: type[E], value: str) -> E | None:
    try:
        return enum(value)
    except ValueError:
        return None


def _register_context(session: Session, access: Access, filters: dict[str, str]) -> dict[str, Any]:
    context = _common(session, access)
    today = context["today"]
    kind = _enum_or_none(RaidKind, filters.get("kind", ""))
    level = _enum_or_none(RiskLevel, filters.get("level", ""))
    state = filters.get("status", "")
    group_id = int(filters["group"]) if filters.get("group", "").isdigit() else None
    items = service.list_items(
        session=session,
        project_id=access.project_id,
        kind=kind,
        group_id=group_id,
        level=level,
        status=_enum_or_none(RaidStatus, state),
        open_only=state == "open",
    )
    open_risks = service.open_risks(session=session, project_id=access.project_id)
    overdue = service.overdue_reviews(session=session, project_id=access.project_id, today=today)
    return context | {
        "items": items,
        "rows": [_row_flags(i, access, today) for i in items],
        "open_risks": open_risks,
        "high_count": sum(1 for r in open_risks if r.level == RiskLevel.high),
        "overdue": overdue,
        "heat": list(reversed(rules.heat_matrix(open_risks))),
        "heat_json": page_json(charts.heatmap_figure(open_risks)),
        "filters": {
            "kind": kind.value if kind else "",
            "level": level.value if level else "",
            "status": state if state in {"open", *RaidStatus} else "",
            "group": str(group_id or ""),
        },
        "values": {"kind": "risk", "status": "open"},
        "errors": {},
    }


def _row_flags(item: RaidItem, access: Access, today: date) -> dict[str, Any]:
    return {
        "item": item,
        "can_edit": _can_edit(access, item.group_id),
        "overdue": rules.review_overdue(
            review_date=item.review_date, is_open=item.is_open, today=today
        ),
    }


@router.get("/projects/{project_id}/risks")
def register(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    kind: str = "",
    status: str = "",
    group: str = "",
    level: str = "",
) -> Response:
    filters = {"kind": kind, "status": status, "group": group, "level": level}
    return render(request, "risks/register.html", _register_context(session, access, filters))


@router.post("/projects/{project_id}/risks")
def create_item(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        item = service.create_item(
            session=session, by=access, data=forms.read(RaidItemCreate, form)
        )
    if outcome.failed:
        context = _register_context(session, access, {}) | outcome.context(form)
        return forms.refused(request, "risks/register.html", context, outcome)
    url = f"/projects/{access.project_id}/risks#item-{item.id}"
    return forms.done(request, url, "Posten er oprettet.")


def _item_context(session: Session, access: Access, item_id: int) -> dict[str, Any]:
    """An item with its flags and the values its edit form (or its register row) starts from."""
    context = _common(session, access)
    item = service.get_item(session=session, project_id=access.project_id, item_id=item_id)
    values = item.model_dump(include=set(RaidItemUpdate.model_fields))
    return context | _row_flags(item, access, context["today"]) | {"values": values, "errors": {}}


@router.get("/projects/{project_id}/risks/{item_id}")
def item_page(
    request: Request, item_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "risks/item.html", _item_context(session, access, item_id))


@router.post("/projects/{project_id}/risks/{item_id}")
def update_item(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    service.get_item(session=session, project_id=access.project_id, item_id=item_id)
    with forms.attempt(session) as outcome:
        data = forms.read(RaidItemUpdate, form)
        service.update_item(session=session, by=access, item_id=item_id, data=data)
    if outcome.failed:
        context = _item_context(session, access, item_id) | outcome.context(form)
        return forms.refused(request, "risks/item.html", context, outcome)
    url = f"/projects/{access.project_id}/risks#item-{item_id}"
    return forms.done(request, url, "Posten er gemt.")


@router.post("/projects/{project_id}/risks/{item_id}/delete")
def delete_item(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    service.delete_item(
        session=session,
        by=access,
        item_id=item_id,
        version=forms.form_version(form.getlist("version")),
    )
    return forms.done(request, f"/projects/{access.project_id}/risks", "Posten er slettet.")


@router.get("/projects/{project_id}/risks/{item_id}/row")
def item_row(
    request: Request, item_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "risks/_row.html", _item_context(session, access, item_id))


@router.get("/projects/{project_id}/risks/{item_id}/row/edit")
def item_row_edit(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    context = _item_context(session, access, item_id)
    if not access.can_edit_group(context["item"].group_id):
        raise Forbidden(service.NOT_YOUR_GROUP)
    return render(request, "risks/_row_edit.html", context)


@router.post("/projects/{project_id}/risks/{item_id}/row")
def item_row_save(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Inline edit of an item's status and review date in the register."""
    service.get_item(session=session, project_id=access.project_id, item_id=item_id)
    with forms.attempt(session) as outcome:
        data = forms.read(RaidItemUpdate, form)
        service.update_item(session=session, by=access, item_id=item_id, data=data)
    context = _item_context(session, access, item_id)
    if outcome.failed:
        context |= outcome.context(form)
        return forms.refused(request, "risks/_row_edit.html", context, outcome)
    url = f"/projects/{access.project_id}/risks#item-{item_id}"
    return forms.done(
        request,
        url,
        "Posten er gemt.",
        partial="risks/_row.html",
        context=context,
        event="risk.updated",
    )


# --- Success measures ---


def _indicators_context(session: Session, access: Access) -> dict[str, Any]:
    context = _common(session, access)
    overview = measures.indicator_overview(
        session=session, project_id=access.project_id, today=context["today"]
    )
    return context | {
        "overview": overview,
        "missing": [s for s in overview if s.due.missing],
        "values": {"direction": "higher", "frequency": "monthly"},
        "errors": {},
    }


@router.get("/projects/{project_id}/indicators")
def indicators(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return render(request, "risks/indicators.html", _indicators_context(session, access))


@router.post("/projects/{project_id}/indicators")
def create_indicator(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(IndicatorCreate, form)
        indicator = measures.create_indicator(session=session, by=access, data=data)
    if outcome.failed:
        context = _indicators_context(session, access) | outcome.context(form)
        return forms.refused(request, "risks/indicators.html", context, outcome)
    url = f"/projects/{access.project_id}/indicators/{indicator.id}"
    return forms.done(request, url, "Indikatoren er oprettet.")


def _indicator_context(session: Session, access: Access, indicator_id: int) -> dict[str, Any]:
    """An indicator's page: its status and chart, its edit form and the quick measurement form."""
    context = _common(session, access)
    status = measures.indicator_status(
        session=session,
        project_id=access.project_id,
        indicator_id=indicator_id,
        today=context["today"],
    )
    values = {
        key: write_number(value) if isinstance(value, Decimal) else value
        for key, value in status.indicator.model_dump().items()
    }
    return context | {
        "status": status,
        "indicator": status.indicator,
        "can_edit": _can_edit(access, status.indicator.group_id),
        "chart_json": page_json(charts.indicator_status_figure(status)),
        "values": values,
        "errors": {},
        "m_values": {"measured_date": context["today"].isoformat()},
        "m_errors": {},
    }


@router.get("/projects/{project_id}/indicators/{indicator_id}")
def indicator_page(
    request: Request, indicator_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    context = _indicator_context(session, access, indicator_id)
    return render(request, "risks/indicator.html", context)


@router.post("/projects/{project_id}/indicators/{indicator_id}")
def update_indicator(
    request: Request, indicator_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    measures.get_indicator(session=session, project_id=access.project_id, indicator_id=indicator_id)
    with forms.attempt(session) as outcome:
        data = forms.read(IndicatorUpdate, form)
        measures.update_indicator(session=session, by=access, indicator_id=indicator_id, data=data)
    if outcome.failed:
        context = _indicator_context(session, access, indicator_id) | outcome.context(form)
        return forms.refused(request, "risks/indicator.html", context, outcome)
    url = f"/projects/{access.project_id}/indicators/{indicator_id}"
    return forms.done(request, url, "Indikatoren er gemt.")


@router.post("/projects/{project_id}/indicators/{indicator_id}/delete")
def delete_indicator(
    request: Request, indicator_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    measures.delete_indicator(
        session=session,
        by=access,
        indicator_id=indicator_id,
        version=forms.form_version(form.getlist("version")),
    )
    url = f"/projects/{access.project_id}/indicators"
    return forms.done(request, url, "Indikatoren og dens målinger er slettet.")


@router.post("/projects/{project_id}/indicators/{indicator_id}/measurements")
def add_measurement(
    request: Request, indicator_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """The quick form: record a measurement; htmx swaps the indicator's summary, chart and table."""
    measures.get_indicator(session=session, project_id=access.project_id, indicator_id=indicator_id)
    with forms.attempt(session) as outcome:
        data = forms.read(MeasurementCreate, form)
        measures.add_measurement(session=session, by=access, indicator_id=indicator_id, data=data)
    context = _indicator_context(session, access, indicator_id)
    if outcome.failed:
        # The page's second form: its messages under m_errors, so the edit form stays closed.
        context |= {"m_values": dict(form), "m_errors": outcome.errors}
        name = "risks/_measurements.html" if is_htmx(request) else "risks/indicator.html"
        return render(request, name, context, status_code=outcome.status_code)
    url = f"/projects/{access.project_id}/indicators/{indicator_id}#measurements"
    return forms.done(
        request,
        url,
        "Målingen er gemt.",
        partial="risks/_measurements.html",
        context=context,
        event="measurement.recorded",
    )


@router.post(
    "/projects/{project_id}/indicators/{indicator_id}/measurements/{measurement_id}/delete"
)
def delete_measurement(
    request: Request,
    indicator_id: int,
    measurement_id: int,
    access: GroupWorker,
    session: SessionDep,
    form: FormDep,
) -> Response:
    measures.delete_measurement(
        session=session,
        by=access,
        indicator_id=indicator_id,
        measurement_id=measurement_id,
        version=forms.form_version(form.getlist("version")),
    )
    url = f"/projects/{access.project_id}/indicators/{indicator_id}#measurements"
    return forms.done(
        request,
        url,
        "Målingen er slettet.",
        partial="risks/_measurements.html",
        context=_indicator_context(session, access, indicator_id),
        event="measurement.deleted",
    )
