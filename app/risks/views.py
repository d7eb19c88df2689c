"""Pages of the risk register (with heat map and inline edits) and of the success measures."""

import json
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app import clock
from app.auth.models import Role
from app.auth.service import Access
from app.deps import CSRF_FIELD, GroupWorker, ProjectAccess, SessionDep
from app.errors import Conflict, Forbidden, Invalid, danish_message
from app.governance import service as governance
from app.risks import charts, rules, service
from app.risks.models import Indicator, RaidItem
from app.risks.rules import RaidKind, RaidStatus, RiskLevel
from app.risks.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    MeasurementCreate,
    RaidItemCreate,
    RaidItemUpdate,
)
from app.web.charts import page_json
from app.web.danish import format_number
from app.web.templating import is_htmx, render

router = APIRouter()
Errors = dict[str, str]
M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=StrEnum)

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


async def form_values(request: Request) -> dict[str, str]:
    """The posted form fields as text (without the CSRF token)."""
    form = await request.form()
    return {k: str(v) for k, v in form.items() if k != CSRF_FIELD}


FormValues = Annotated[dict[str, str], Depends(form_values)]


_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(text: str) -> str:
    """Danish number input to a decimal string: '1.234,5' and '12,5' and '12.5' all work; dots
    grouped by three ('1.000') are thousands separators, as Danes write them."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS.match(text):
        return text.replace(".", "").replace(",", ".")
    return text.replace(",", ".")


def number(value: Decimal | None) -> str:
    """12,5 or 1.000 — a measured value in Danish, without trailing zeros."""
    if value is None:
        return ""
    normalized = value.normalize()
    decimals = max(0, -int(normalized.as_tuple().exponent))
    return format_number(value, min(decimals, 3))


def input_number(value: Decimal | None) -> str:
    """A value as it is shown in an input field: 12,5 (no thousands separators)."""
    return "" if value is None else number(value).replace(".", "")


def _clean(
    values: dict[str, str], *, numbers: tuple[str, ...] = (), optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, raw in values.items():
        text = raw.strip()
        if key in optional and text == "":
            data[key] = None
        elif key in numbers and text:
            data[key] = parse_number(text)
        else:
            data[key] = text
    return data


def _parse(schema: type[M], data: dict[str, Any]) -> tuple[M | None, Errors]:
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: Errors = {}
        for error in exc.errors():
            loc = [p for p in error.get("loc", ()) if isinstance(p, str)]
            errors.setdefault(loc[0] if loc else "form", danish_message(dict(error)))
        return None, errors


def _trigger(message: str, event: str) -> dict[str, str]:
    """htmx events after a write: the flash message and the server event (`domain.verb`)."""
    return {"HX-Trigger": json.dumps({"flash": message, event: {}})}


def _domain_errors(exc: Invalid | Conflict) -> Errors:
    return {exc.field or "form": exc.message}


def _editable_groups(session: Session, access: Access) -> list[Any]:
    groups = governance.implementation_groups(session, project_id=access.project_id)
    return [g for g in groups if access.can_edit_group(g.id)]


def _can_write(access: Access) -> bool:
    return access.has(Role.project_leader, Role.group_member)


def _can_edit(access: Access, group_id: int | None) -> bool:
    return _can_write(access) and access.can_edit_group(group_id)


def _common(session: Session, access: Access) -> dict[str, Any]:
    groups = governance.implementation_groups(session, project_id=access.project_id)
    people = service.owner_names(session, project_id=access.project_id)
    return {
        "project": governance.get_project(session, project_id=access.project_id),
        "access": access,
        "labels": LABELS,
        "groups": groups,
        "group_names": {g.id: g.name for g in groups},
        "people": sorted(people.items(), key=lambda p: p[1]),
        "owner_names": people,
        "group_options": [(g.id, g.name) for g in _editable_groups(session, access)],
        "scale_options": [(n, str(n)) for n in rules.SCALE],
        "can_write": _can_write(access),
        "may_leave_group_empty": access.leads,
        "number": number,
        "input_number": input_number,
        "today": clock.today(),
    }


# --- The RAID register ---


def _enum_or_none(enum: type[E], value: str) -> E | None:
    try:
        return enum(value)
    except ValueError:
        return None


def _register(
    request: Request,
    session: Session,
    access: Access,
    *,
    filters: dict[str, str],
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    context = _common(session, access)
    today = context["today"]
    kind = _enum_or_none(RaidKind, filters.get("kind", ""))
    level = _enum_or_none(RiskLevel, filters.get("level", ""))
    state = filters.get("status", "")
    group_id = int(filters["group"]) if filters.get("group", "").isdigit() else None
    items = service.list_items(
        session,
        project_id=access.project_id,
        kind=kind,
        group_id=group_id,
        level=level,
        status=_enum_or_none(RaidStatus, state),
        open_only=state == "open",
    )
    open_risks = service.open_risks(session, project_id=access.project_id)
    overdue = service.overdue_reviews(session, project_id=access.project_id, today=today)
    figure = charts.heatmap_figure(open_risks)
    context |= {
        "items": items,
        "rows": [_row_context(i, access, today) for i in items],
        "open_risks": open_risks,
        "high_count": sum(1 for r in open_risks if r.level == RiskLevel.high),
        "overdue": overdue,
        "heat": list(reversed(rules.heat_matrix(open_risks))),
        "heat_json": page_json(figure),
        "filters": {
            "kind": kind.value if kind else "",
            "level": level.value if level else "",
            "status": state if state in {"open", *RaidStatus} else "",
            "group": str(group_id or ""),
        },
        "values": values or {"kind": "risk", "status": "open"},
        "errors": errors or {},
    }
    return render(request, "risks/register.html", context, status_code=status_code)


def _row_context(item: RaidItem, access: Access, today: date) -> dict[str, Any]:
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
    return _register(
        request,
        session,
        access,
        filters={"kind": kind, "status": status, "group": group, "level": level},
    )


RAID_OPTIONAL = ("probability", "consequence", "owner_id", "group_id", "review_date")


@router.post("/projects/{project_id}/risks")
def create_item(
    request: Request, access: GroupWorker, session: SessionDep, values: FormValues
) -> Response:
    data, errors = _parse(RaidItemCreate, _clean(values, optional=RAID_OPTIONAL))
    if data is not None:
        try:
            item = service.create_item(session, by=access, data=data)
        except Invalid as exc:
            errors = _domain_errors(exc)
        else:
            return RedirectResponse(
                f"/projects/{access.project_id}/risks#item-{item.id}", status_code=303
            )
    return _register(
        request, session, access, filters={}, values=values, errors=errors, status_code=422
    )


def _item_page(
    request: Request,
    session: Session,
    access: Access,
    item: RaidItem,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    context = _common(session, access)
    context |= {
        "item": item,
        "can_edit": _can_edit(access, item.group_id),
        "overdue": rules.review_overdue(
            review_date=item.review_date, is_open=item.is_open, today=context["today"]
        ),
        "values": values or _item_values(item),
        "errors": errors or {},
    }
    return render(request, "risks/item.html", context, status_code=status_code)


def _item_values(item: RaidItem) -> dict[str, Any]:
    values = item.model_dump(
        include={
            "kind",
            "title",
            "description",
            "probability",
            "consequence",
            "owner_id",
            "group_id",
            "response",
            "status",
            "review_date",
            "version",
        }
    )
    return {k: "" if v is None else str(v) for k, v in values.items()}


@router.get("/projects/{project_id}/risks/{item_id}")
def item_page(
    request: Request, item_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    item = service.get_item(session, project_id=access.project_id, item_id=item_id)
    return _item_page(request, session, access, item)


@router.post("/projects/{project_id}/risks/{item_id}")
def update_item(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep, values: FormValues
) -> Response:
    item = service.get_item(session, project_id=access.project_id, item_id=item_id)
    data, errors = _parse(RaidItemUpdate, _clean(values, optional=RAID_OPTIONAL))
    status_code = 422
    if data is not None:
        try:
            service.update_item(session, by=access, item_id=item_id, data=data)
        except (Invalid, Conflict) as exc:
            session.rollback()
            errors = _domain_errors(exc)
            status_code = exc.status_code
        else:
            return RedirectResponse(
                f"/projects/{access.project_id}/risks#item-{item_id}", status_code=303
            )
    item = service.get_item(session, project_id=access.project_id, item_id=item_id)
    # After a conflict the form shows what is stored now (with its version), to redo the change.
    shown = None if status_code == 409 else values
    return _item_page(
        request, session, access, item, values=shown, errors=errors, status_code=status_code
    )


@router.post("/projects/{project_id}/risks/{item_id}/delete")
def delete_item(item_id: int, access: GroupWorker, session: SessionDep) -> Response:
    service.delete_item(session, by=access, item_id=item_id)
    return RedirectResponse(f"/projects/{access.project_id}/risks", status_code=303)


def _row(
    request: Request,
    session: Session,
    access: Access,
    item: RaidItem,
    *,
    editing: bool = False,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = _common(session, access)
    context |= _row_context(item, access, context["today"])
    context |= {"values": values or _item_values(item), "errors": errors or {}}
    template = "risks/_row_edit.html" if editing else "risks/_row.html"
    return render(request, template, context, status_code=status_code, headers=headers)


@router.get("/projects/{project_id}/risks/{item_id}/row")
def item_row(
    request: Request, item_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    item = service.get_item(session, project_id=access.project_id, item_id=item_id)
    return _row(request, session, access, item)


@router.get("/projects/{project_id}/risks/{item_id}/row/edit")
def item_row_edit(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    item = service.get_item(session, project_id=access.project_id, item_id=item_id)
    if not access.can_edit_group(item.group_id):
        raise Forbidden(service.NOT_YOUR_GROUP)
    return _row(request, session, access, item, editing=True)


@router.post("/projects/{project_id}/risks/{item_id}/row")
def item_row_save(
    request: Request, item_id: int, access: GroupWorker, session: SessionDep, values: FormValues
) -> Response:
    """Inline edit of an item's status and review date in the register."""
    fields = {k: values.get(k, "") for k in ("status", "review_date", "version")}
    data, errors = _parse(RaidItemUpdate, _clean(fields, optional=("review_date",)))
    status_code = 422
    if data is not None:
        try:
            item = service.update_item(session, by=access, item_id=item_id, data=data)
        except (Invalid, Conflict) as exc:
            session.rollback()
            errors = _domain_errors(exc)
            status_code = exc.status_code
        else:
            return _row(
                request, session, access, item, headers=_trigger("Posten er gemt.", "risk.updated")
            )
    item = service.get_item(session, project_id=access.project_id, item_id=item_id)
    shown = _item_values(item)
    if status_code != 409:  # after a conflict, show what is stored now
        shown |= {k: v for k, v in fields.items() if k != "version"}
    return _row(
        request,
        session,
        access,
        item,
        editing=True,
        values=shown,
        errors=errors,
        status_code=status_code,
    )


# --- Success measures ---

INDICATOR_OPTIONAL = ("baseline_value", "target_value", "target_date", "group_id", "owner_id")
INDICATOR_NUMBERS = ("baseline_value", "target_value")


def _indicator_values(indicator: Indicator) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in indicator.model_dump().items():
        if isinstance(value, Decimal):
            values[key] = input_number(value)
        else:
            values[key] = "" if value is None else str(value)
    return values


@router.get("/projects/{project_id}/indicators")
def indicators(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return _indicators(request, session, access)


def _indicators(
    request: Request,
    session: Session,
    access: Access,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    context = _common(session, access)
    overview = service.indicator_overview(
        session, project_id=access.project_id, today=context["today"]
    )
    context |= {
        "overview": overview,
        "missing": [s for s in overview if s.due.missing],
        "values": values or {"direction": "higher", "frequency": "monthly"},
        "errors": errors or {},
    }
    return render(request, "risks/indicators.html", context, status_code=status_code)


@router.post("/projects/{project_id}/indicators")
def create_indicator(
    request: Request, access: GroupWorker, session: SessionDep, values: FormValues
) -> Response:
    data, errors = _parse(
        IndicatorCreate, _clean(values, numbers=INDICATOR_NUMBERS, optional=INDICATOR_OPTIONAL)
    )
    if data is not None:
        try:
            indicator = service.create_indicator(session, by=access, data=data)
        except Invalid as exc:
            errors = _domain_errors(exc)
        else:
            return RedirectResponse(
                f"/projects/{access.project_id}/indicators/{indicator.id}", status_code=303
            )
    return _indicators(request, session, access, values=values, errors=errors, status_code=422)


def _indicator_context(session: Session, access: Access, indicator_id: int) -> dict[str, Any]:
    context = _common(session, access)
    status = service.indicator_status(
        session, project_id=access.project_id, indicator_id=indicator_id, today=context["today"]
    )
    context |= {
        "status": status,
        "indicator": status.indicator,
        "can_edit": _can_edit(access, status.indicator.group_id),
        "chart_json": page_json(charts.indicator_status_figure(status)),
        "m_values": {"measured_date": context["today"].isoformat()},
        "m_errors": {},
    }
    return context


@router.get("/projects/{project_id}/indicators/{indicator_id}")
def indicator_page(
    request: Request, indicator_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    context = _indicator_context(session, access, indicator_id)
    context |= {"values": _indicator_values(context["indicator"]), "errors": {}}
    return render(request, "risks/indicator.html", context)


@router.post("/projects/{project_id}/indicators/{indicator_id}")
def update_indicator(
    request: Request,
    indicator_id: int,
    access: GroupWorker,
    session: SessionDep,
    values: FormValues,
) -> Response:
    service.get_indicator(session, project_id=access.project_id, indicator_id=indicator_id)
    data, errors = _parse(
        IndicatorUpdate, _clean(values, numbers=INDICATOR_NUMBERS, optional=INDICATOR_OPTIONAL)
    )
    status_code = 422
    if data is not None:
        try:
            service.update_indicator(session, by=access, indicator_id=indicator_id, data=data)
        except (Invalid, Conflict) as exc:
            session.rollback()
            errors = _domain_errors(exc)
            status_code = exc.status_code
        else:
            return RedirectResponse(
                f"/projects/{access.project_id}/indicators/{indicator_id}", status_code=303
            )
    context = _indicator_context(session, access, indicator_id)
    shown = _indicator_values(context["indicator"]) if status_code == 409 else values
    context |= {"values": shown, "errors": errors}
    return render(request, "risks/indicator.html", context, status_code=status_code)


@router.post("/projects/{project_id}/indicators/{indicator_id}/delete")
def delete_indicator(indicator_id: int, access: GroupWorker, session: SessionDep) -> Response:
    service.delete_indicator(session, by=access, indicator_id=indicator_id)
    return RedirectResponse(f"/projects/{access.project_id}/indicators", status_code=303)


def _measurements(
    request: Request,
    session: Session,
    access: Access,
    indicator_id: int,
    *,
    m_values: dict[str, Any] | None = None,
    m_errors: Errors | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = _indicator_context(session, access, indicator_id)
    if m_values is not None:
        context["m_values"] = m_values
    context["m_errors"] = m_errors or {}
    if is_htmx(request):
        return render(
            request, "risks/_measurements.html", context, status_code=status_code, headers=headers
        )
    context |= {"values": _indicator_values(context["indicator"]), "errors": {}}
    return render(request, "risks/indicator.html", context, status_code=status_code)


@router.post("/projects/{project_id}/indicators/{indicator_id}/measurements")
def add_measurement(
    request: Request,
    indicator_id: int,
    access: GroupWorker,
    session: SessionDep,
    values: FormValues,
) -> Response:
    """The quick form: record a measurement; htmx swaps the indicator's summary, chart and table."""
    service.get_indicator(session, project_id=access.project_id, indicator_id=indicator_id)
    data, errors = _parse(MeasurementCreate, _clean(values, numbers=("value",)))
    if data is not None:
        try:
            service.add_measurement(session, by=access, indicator_id=indicator_id, data=data)
        except Invalid as exc:
            errors = _domain_errors(exc)
        else:
            if not is_htmx(request):
                return RedirectResponse(
                    f"/projects/{access.project_id}/indicators/{indicator_id}", status_code=303
                )
            return _measurements(
                request,
                session,
                access,
                indicator_id,
                headers=_trigger("Målingen er gemt.", "measurement.recorded"),
            )
    return _measurements(
        request, session, access, indicator_id, m_values=values, m_errors=errors, status_code=422
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
) -> Response:
    service.delete_measurement(
        session, by=access, indicator_id=indicator_id, measurement_id=measurement_id
    )
    if not is_htmx(request):
        return RedirectResponse(
            f"/projects/{access.project_id}/indicators/{indicator_id}", status_code=303
        )
    return _measurements(
        request,
        session,
        access,
        indicator_id,
        headers=_trigger("Målingen er slettet.", "measurement.deleted"),
    )
