"""Pages of the monitoring, for everyone in the project: the published figures and charts of a
scheme, and recording one as a success measure's measurement ("Overfør til succesmål")."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import Field

from app import clock
from app.auth.service import Access
from app.charts import page_json
from app.danish import format_date
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.participants import charts, figures, indicators, setup, shared_views
from app.participants.monitoring import NO_GROUP, PeriodUnit
from app.participants.schemas import IndicatorFromRegistrations
from app.participants.values import check_window, parse_date
from app.risks import measures as risks
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render

router = APIRouter()


class ToIndicator(IndicatorFromRegistrations):
    """The "Overfør til succesmål" form: the API's input and the success measure it goes to."""

    indicator_id: int = Field(title="Succesmål")


def _monitoring(
    session: SessionDep,
    access: Access,
    *,
    scheme: int | None,
    unit: PeriodUnit = "quarter",
    as_of: str = "",
    group: str = "",
) -> dict[str, Any]:
    schemes, chosen = setup.pick_scheme(
        session=session, project_id=access.project_id, scheme_id=scheme
    )
    unit = unit if unit in ("quarter", "month") else "quarter"
    day = parse_date(as_of) if as_of else None
    if day is not None:
        check_window(day, what="Opgørelsesdatoen", field="as_of")
    context = shared_views.base(
        session, access, schemes=schemes, scheme=chosen, unit=unit, group=group
    )
    context |= {"as_of": day or clock.today(), "no_group": NO_GROUP}
    if chosen is not None:
        report = figures.monitoring_report(
            session=session,
            project_id=access.project_id,
            scheme_id=chosen.id,
            as_of=day,
            unit=unit,
            target_group=group or None,
        )
        hours = charts.hours_figure(report)
        context |= {
            "as_of": report.as_of,
            "report": report,
            "tables": {t.key: t for t in report.tables()},
            "over_time_json": page_json(charts.over_time_figure(report)),
            "outcomes_json": page_json(charts.outcomes_figure(report)),
            "hours_json": page_json(hours) if hours else None,
        }
    link = indicators.measure_choices(session=session, access=access)
    return context | {"link": link, "values": {"as_of": context["as_of"]}}


@router.get("/projects/{project_id}/participants/monitoring")
def monitoring_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    scheme: int | None = None,
    unit: PeriodUnit = "quarter",
    as_of: str = "",
    group: str = "",
) -> Response:
    context = _monitoring(session, access, scheme=scheme, unit=unit, as_of=as_of, group=group)
    return render(request, "participants/monitoring.html", context)


@router.post("/projects/{project_id}/participants/monitoring/indicator")
def to_indicator(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Record a monitoring figure as a success measure's measurement ("Overfør til succesmål")."""
    with forms.attempt(session) as outcome:
        data = forms.read(ToIndicator, form)
        measurement, value = indicators.record_indicator_from_registrations(
            session=session,
            by=access,
            indicator_id=data.indicator_id,
            data=data,
        )
    if outcome.failed:
        context = _monitoring(session, access, scheme=shared_views.number(form.get("scheme_id")))
        page, partial = "participants/monitoring.html", "participants/_to_indicator.html"
        return forms.refused(
            request, page, context | outcome.context(form), outcome, partial=partial
        )
    indicator = risks.get_indicator(
        session=session, project_id=access.project_id, indicator_id=measurement.indicator_id
    )
    message = (
        f"»{value.label}« pr. {format_date(measurement.measured_date)} ({value.shown}) er gemt "
        f"som måling på succesmålet »{indicator.name}«."
    )
    day = measurement.measured_date.isoformat()
    query = f"as_of={day}" + (f"&scheme={data.scheme_id}" if data.scheme_id else "")
    url = shared_views.url(access, anchor=f"/monitoring?{query}#participants-to-indicator")
    context = _monitoring(session, access, scheme=data.scheme_id, as_of=day) | {"message": message}
    partial = "participants/_to_indicator.html"
    return forms.done(request, url, message, partial=partial, context=context)
