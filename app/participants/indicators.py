"""Indicators computed from the registrations: the metrics a success measure can take its
value from, as published for everyone or exact for registrars, and recording one as a
success measure's measurement."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from app import clock
from app.auth.models import Role
from app.auth.service import Access
from app.danish import format_date
from app.db import project_row
from app.errors import Forbidden, Invalid
from app.participants import disclosure, monitoring
from app.participants.figures import project_records
from app.participants.registrations import check_not_future, scheme_for
from app.participants.schemas import IndicatorFromRegistrations
from app.participants.schemes import outcomes
from app.participants.setup import get_scheme, is_registrar, list_schemes
from app.risks import measures as risks
from app.risks.models import Indicator, Measurement
from app.risks.schemas import MeasurementCreate

METRICS = {
    "started": "Deltagere startet i alt",
    "active": "Aktive deltagere",
    "exited": "Afsluttede deltagere",
    "follow_ups_on_time": "Opfølgninger gennemført til tiden (%)",
    "placed": "Afsluttet til placering (job, uddannelse, fleksjob m.m.)",
    "placed_share": "Andel af afsluttede, der er afsluttet til placering (%)",
    "days_to_placement": "Tid til første placering (median, dage)",
    "hours_average": "Gennemsnitligt timetal pr. uge (aktive med timetal)",
}


@dataclass(frozen=True)
class MetricValue:
    """An indicator's value as of a date: the number, how many people it rests on, and the text
    to show. Exact (registrars only) or published (as of a month end, counts rounded, nothing
    below 5 people: what everyone else gets, and what is stored or reported)."""

    metric: str
    label: str
    as_of: date
    value: float | None
    people: int | None
    shown: str
    exact: bool


def indicator_metrics(*, session: Session, project_id: int) -> list[tuple[str, str]]:
    """The metrics `indicator_value` can compute for this project: the fixed ones and one per
    exit outcome (`exit:<key>`)."""
    result = list(METRICS.items())
    for scheme in list_schemes(session=session, project_id=project_id):
        for o in outcomes(scheme):
            item = (f"exit:{o.key}", f"Afsluttet: {o.label}")
            if item not in result:
                result.append(item)
    return result


def _measure(report: monitoring.Report, metric: str) -> tuple[float | None, int, str]:
    """One metric of a report: (exact value, people it rests on, the text as published)."""
    placed = len(report.placement_days)
    counts = {
        "started": report.started,
        "active": report.active,
        "exited": report.exited,
        "placed": placed,
    }
    if metric in counts or metric.startswith("exit:"):
        key = metric.removeprefix("exit:")
        count = counts.get(metric, sum(n for k, *_, n in report.outcomes if k == key))
        return count, count, disclosure.cell(count)
    if metric == "follow_ups_on_time":
        shown = disclosure.share(report.on_time, report.due, report.due_people)
        return report.on_time_share, report.due_people, shown
    if metric == "placed_share":
        value = 100 * placed / report.exited if report.exited else None
        return value, report.exited, disclosure.share(placed, report.exited)
    if metric == "days_to_placement":
        median = report.placement_median
        return median, placed, disclosure.figure(median, placed, 0)
    row = report.hours[-1] if report.hours else None
    average, people = (row.average, row.people) if row else (None, 0)
    return average, people, disclosure.figure(average, people, 1)


def indicator_value(
    *,
    session: Session,
    project_id: int,
    metric: str,
    as_of: date,
    scheme_id: int | None = None,
    target_group: str | None = None,
    exact: bool = False,
) -> MetricValue:
    """An indicator computed from the registrations: published (as of the month end on or
    before `as_of`; what success measures and status reports get), or with `exact` the exact
    figure as of the day itself (for registrars only: see `metric_for`)."""
    labels = dict(indicator_metrics(session=session, project_id=project_id))
    if metric not in labels:
        raise Invalid(
            f"Målet »{metric}« kan ikke beregnes fra deltagerregistreringerne. "
            f"Vælg et af: {', '.join(labels)}.",
            field="metric",
        )
    if scheme_id is not None:
        get_scheme(session=session, project_id=project_id, scheme_id=scheme_id)
    day = as_of if exact else monitoring.reporting_date(as_of)
    records = project_records(session=session, project_id=project_id, scheme_id=scheme_id)
    report = monitoring.build_report(
        records, as_of=day, target_group=target_group, first=day, last=day
    )
    value, people, shown = _measure(report, metric)
    if exact:
        number = None if value is None else float(value)
        return MetricValue(metric, labels[metric], day, number, people, shown, exact=True)
    published = disclosure.published_count(people)
    return MetricValue(
        metric, labels[metric], day, disclosure.shown_value(shown), published, shown, exact=False
    )


def metric_for(
    *,
    session: Session,
    access: Access,
    metric: str,
    as_of: date,
    scheme_id: int | None = None,
    target_group: str | None = None,
) -> MetricValue:
    """An indicator as the caller may learn it: exact for registrars (who see the records
    anyway), published for everyone else."""
    return indicator_value(
        session=session,
        project_id=access.project_id,
        metric=metric,
        as_of=as_of,
        scheme_id=scheme_id,
        target_group=target_group,
        exact=is_registrar(session=session, access=access),
    )


@dataclass(frozen=True)
class MeasureChoices:
    """What the "Overfør til succesmål" form offers: the success measures the caller may record
    a measurement on, and the metrics."""

    indicators: list[Indicator]
    metrics: list[tuple[str, str]]


def measure_choices(*, session: Session, access: Access) -> MeasureChoices | None:
    """The caller's choices for recording a metric on a success measure, or None for a role
    that may not measure."""
    if not access.has(Role.project_leader, Role.group_member):
        return None
    indicators = risks.list_indicators(session=session, project_id=access.project_id)
    indicators = [i for i in indicators if access.can_edit_group(i.group_id)]
    metrics = indicator_metrics(session=session, project_id=access.project_id)
    return MeasureChoices(indicators, metrics)


# Success measures -------------------------------------------------------------------------

MAY_NOT_MEASURE = "Kun projektlederen og gruppernes medlemmer må registrere målinger på succesmål."


def record_indicator_from_registrations(
    *,
    session: Session,
    by: Access,
    indicator_id: int,
    data: IndicatorFromRegistrations,
    today: date | None = None,
) -> tuple[Measurement, MetricValue]:
    """Record a registration metric, as published for the month end on or before `as_of` (today
    when left out), as a
    measurement of a success measure dated that month end (the same rights and rules as adding
    a measurement by hand). Success measures are read by every role, so the exact figure is
    never stored, whoever records it."""
    if not by.has(Role.project_leader, Role.group_member):
        raise Forbidden(MAY_NOT_MEASURE)
    indicator = project_row(
        Indicator,
        indicator_id,
        session=session,
        project_id=by.project_id,
        missing="Succesmålet findes ikke i dette projekt.",
    )
    metric, scheme_id, as_of = data.metric, data.scheme_id, data.as_of or clock.today()
    scheme = None
    if scheme_id is not None:
        scheme = scheme_for(session=session, project_id=by.project_id, scheme_id=scheme_id)
    check_not_future(as_of, today=today or clock.today(), what="Opgørelsesdatoen", field="as_of")
    value = indicator_value(
        session=session, project_id=by.project_id, metric=metric, as_of=as_of, scheme_id=scheme_id
    )
    when = format_date(value.as_of)
    if value.shown == "–":
        raise Invalid(
            f"»{value.label}« kan ikke beregnes pr. {when}: der er ingen deltagere at regne på.",
            field="metric",
        )
    if value.value is None:
        raise Invalid(
            f"»{value.label}« pr. {when} bygger på færre end {disclosure.SUPPRESS_BELOW} "
            f"personer og vises som »{value.shown}«. Tallet kan ikke overføres til et succesmål, "
            "som læses i projektets rapporter.",
            field="metric",
        )
    where = f" i »{scheme.name}«" if scheme else ""
    note = (
        f"Beregnet fra deltagerregistreringerne{where}: {value.label} pr. {when} "
        f"(offentliggjort tal: antal afrundet til nærmeste {disclosure.ROUND_TO})."
    )
    measured = MeasurementCreate(
        measured_date=value.as_of, value=Decimal(str(round(value.value, 3))), note=note[:1000]
    )
    try:
        measurement = risks.add_measurement(
            session=session, by=by, indicator_id=indicator.id or 0, data=measured, today=today
        )
    except Invalid as exc:
        # The date the caller gave is `as_of`; the risks domain calls it measured_date.
        if exc.field == "measured_date":
            raise Invalid(exc.message, field="as_of") from exc
        raise
    return measurement, value
