"""Who learns what (issue 16, finding 2; docs/participants.md): outside the registrars, no
participant figure resting on fewer than 5 people leaves the server in any form, and no two
answers differ by 1–4 in the same count — tested as a property through the service and the API,
and by the probe the finding describes (one person's hours; an exit date and outcome found by
asking day by day)."""

from datetime import date, timedelta
from io import BytesIO
from itertools import combinations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import delete

from app.participants import figures, indicators
from app.participants.disclosure import shown_value
from app.participants.models import FollowUp, Participant
from app.participants.monitoring import month_end, reporting_date
from tests.factories import bearer, login
from tests.participants.factories import (
    access,
    exit_participant,
    make_participant,
    make_scheme,
    start_values,
)

NON_REGISTRARS = ["steering", "directorate", "member_a", "member_b", "secretariat"]
OUTCOMES = ["job", "flex_job", "dropout"]
GROUPS = [None, "I ressourceforløb", "I risiko for ressourceforløb"]
FIRST = date(2013, 1, 1)
DB_SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Cells that are not counts of people or follow-ups: shares, averages, medians and yes/no.
NOT_COUNTS = {
    "Andel til tiden",
    "Opfølgninger til tiden",
    "Gns. timer pr. uge",
    "Median, dage fra start",
    "Gennemsnit, dage fra start",
    "Tæller som placering",
}
KEY_FIGURE_METRICS = {"Startet i alt": "started", "Aktive": "active", "Afsluttet": "exited"}


# Generated registrations ------------------------------------------------------------------

days = st.integers(min_value=0, max_value=420)
hours = st.one_of(st.none(), st.integers(min_value=1, max_value=20))
person = st.fixed_dictionaries(
    {
        "start": days,
        "group": st.sampled_from(GROUPS),
        "hours": hours,
        "follow_ups": st.lists(st.tuples(st.integers(1, 200), hours), max_size=3),
        "exit": st.one_of(st.none(), st.tuples(st.integers(0, 300), st.sampled_from(OUTCOMES))),
    }
)
# Sizes drawn evenly, so that counts around 5 and 10 are as common as empty projects.
registrations = st.integers(0, 16).flatmap(lambda n: st.lists(person, min_size=n, max_size=n))
asked = st.lists(st.integers(min_value=0, max_value=540), min_size=2, max_size=4)


@pytest.fixture
def flex(session, world):
    """A flex-job scheme with an hours field and a cap (one per test, shared by its examples)."""
    return make_scheme(session, world, name="Fleksjob", code_prefix="FJ", hours_cap=10)


def _store(session, world, scheme, people: list[dict[str, Any]]) -> None:
    """The generated registrations as rows (the service's checks are not what is tested here)."""
    session.exec(delete(FollowUp))
    session.exec(delete(Participant))
    for i, g in enumerate(people):
        start = FIRST + timedelta(days=g["start"])
        values = start_values() | {"hours": g["hours"]}
        p = Participant(
            project_id=world.project.id,
            scheme_id=scheme.id,
            code=f"VC-{i + 1:03d}",
            target_group=g["group"],
            start_date=start,
            start_values={k: v for k, v in values.items() if v is not None},
        )
        day = start
        follow_ups = []
        for gap, h in g["follow_ups"]:
            day += timedelta(days=gap)
            follow_ups.append((day, h))
        if g["exit"]:
            p.exit_date, p.exit_outcome = day + timedelta(days=g["exit"][0]), g["exit"][1]
        session.add(p)
        session.flush()
        for d, h in follow_ups:
            session.add(
                FollowUp(
                    project_id=world.project.id,
                    participant_id=p.id,
                    follow_up_date=d,
                    values={"development": "Uændret"} | ({} if h is None else {"hours": h}),
                )
            )
    session.commit()


# What an answer reveals -------------------------------------------------------------------


class Seen:
    """Every count a non-registrar was given, by which count it is, across answers."""

    def __init__(self) -> None:
        self.counts: dict[tuple[Any, ...], list[float]] = {}

    def count(self, key: tuple[Any, ...], value: float | None) -> None:
        if value is not None:
            self.counts.setdefault(key, []).append(value)

    def table(self, table: dict[str, Any]) -> None:
        for row in table["rows"]:
            for column, text in zip(table["columns"][1:], row[1:], strict=True):
                name = row[0] if table["key"] == "placement" else column
                if name not in NOT_COUNTS:
                    self.count((table["key"], row[0], column), shown_value(text))

    def key_figures(self, figures: list[dict[str, str]]) -> None:
        for f in figures:
            if f["label"] in KEY_FIGURE_METRICS:
                self.count(("metric", KEY_FIGURE_METRICS[f["label"]]), shown_value(f["value"]))

    def check(self) -> None:
        """No count of 1–4, and no two answers 1–4 apart in the same count."""
        for key, values in self.counts.items():
            assert all(not 0 < v < 5 for v in values), (key, values)
            for a, b in combinations(values, 2):
                assert not 0 < abs(a - b) < 5, (key, a, b)


def _metric(seen: Seen, answer: dict[str, Any], published: dict[str, float | None]) -> None:
    """One metric's answer: published, as of a month end, its counts seen; a share must be the
    one the published counts give."""
    assert answer["exact"] is False
    as_of = date.fromisoformat(str(answer["as_of"]))
    assert as_of == month_end(as_of)
    metric = answer["metric"]
    seen.count(("people", metric), answer["people"])
    if metric not in ("follow_ups_on_time", "placed_share", "days_to_placement", "hours_average"):
        seen.count(("metric", metric), answer["value"])
        published[metric] = answer["value"]
    if metric == "placed_share" and answer["value"] is not None:
        assert answer["value"] == round(100 * published["placed"] / published["exited"])


def _metric_dict(value: indicators.MetricValue) -> dict[str, Any]:
    return {
        "metric": value.metric,
        "as_of": value.as_of.isoformat(),
        "value": value.value,
        "people": value.people,
        "exact": value.exact,
    }


def _metrics(session, world) -> list[str]:
    keys = [
        k for k, _ in indicators.indicator_metrics(session=session, project_id=world.project.id)
    ]
    # The counts first, so a share can be checked against them.
    return sorted(keys, key=lambda k: k in ("placed_share", "follow_ups_on_time"))


# The property -----------------------------------------------------------------------------


@pytest.fixture
def tokens(client, world) -> dict[str, dict[str, str]]:
    return {name: bearer(client, name) for name in NON_REGISTRARS}


@DB_SETTINGS
@given(people=registrations, offsets=asked)
def test_the_service_never_gives_a_non_registrar_a_small_count_or_a_small_change(
    session, world, flex, people, offsets
):
    scheme = flex
    _store(session, world, scheme, people)
    seen = Seen()
    metrics = _metrics(session, world)
    for offset in offsets:
        day = FIRST + timedelta(days=offset)
        for name in NON_REGISTRARS:
            published: dict[str, float | None] = {}
            for metric in metrics:
                value = indicators.metric_for(
                    session=session, access=access(session, world, name), metric=metric, as_of=day
                )
                _metric(seen, _metric_dict(value), published)
        report = figures.monitoring_report(
            session=session, project_id=world.project.id, scheme_id=scheme.id, as_of=day
        )
        assert report.as_of == reporting_date(day)
        for table in report.tables():
            seen.table(table.as_dict())
        seen.key_figures([{"label": k, "value": v} for k, v in report.key_figures()])
        for section in figures.report_figures(
            session=session, project_id=world.project.id, as_of=day
        ):
            assert section["as_of_date"] == reporting_date(day)
            seen.key_figures(section["key_figures"])
            for o in section["outcomes"]:
                seen.count(("outcomes", o["label"], "Antal"), shown_value(o["count"]))
    seen.check()


@DB_SETTINGS
@given(people=registrations, offsets=asked, name=st.sampled_from(NON_REGISTRARS))
def test_the_api_never_gives_a_non_registrar_a_small_count_or_a_small_change(
    client, session, world, flex, tokens, people, offsets, name
):
    scheme = flex
    _store(session, world, scheme, people)
    headers = tokens[name]
    base = f"/api/projects/{world.project.id}/participants"
    seen = Seen()
    metrics = _metrics(session, world)
    for offset in offsets:
        day = (FIRST + timedelta(days=offset)).isoformat()
        published: dict[str, float | None] = {}
        for metric in metrics:
            answer = client.get(f"{base}/metrics/{metric}?as_of={day}", headers=headers)
            assert answer.status_code == 200, answer.text
            _metric(seen, answer.json(), published)
        query = f"scheme_id={scheme.id}&as_of={day}&unit=month"
        monitoring = client.get(f"{base}/monitoring?{query}", headers=headers).json()
        assert monitoring["as_of"] == reporting_date(date.fromisoformat(day)).isoformat()
        for table in monitoring["tables"]:
            seen.table(table)
        seen.key_figures(monitoring["key_figures"])
        chart = client.get(f"{base}/monitoring/charts/over_time?{query}", headers=headers).json()
        for trace in chart["data"]:
            for label, y in zip(trace["x"], trace["y"], strict=True):
                seen.count(("chart", trace["name"], label), y)
    seen.check()


# The probe of the finding -----------------------------------------------------------------


@pytest.mark.parametrize("name", NON_REGISTRARS)
def test_one_persons_hours_exit_date_and_outcome_cannot_be_read(client, session, world, flex, name):
    loner = make_participant(
        session, world, flex, start_date=date(2013, 1, 2), start_values=start_values(hours=7)
    )
    others = [
        make_participant(session, world, flex, start_date=date(2013, 2, 1 + i)) for i in range(5)
    ]
    exit_participant(session, world, others[0], date(2013, 3, 14), outcome="dropout")
    headers = bearer(client, name)
    url = f"/api/projects/{world.project.id}/participants/metrics"
    # In January only one person had hours: neither the hours nor how many rest on them.
    hours = client.get(f"{url}/hours_average?as_of=2013-01-31", headers=headers).json()
    assert (hours["value"], hours["people"], hours["shown"]) == (None, None, "<5")
    assert loner.start_values["hours"] == 7
    # Day by day the answers do not move inside a month: the exit day cannot be found.
    answers = [
        client.get(f"{url}/exit:dropout?as_of=2013-03-{d:02d}", headers=headers).json()
        for d in range(1, 31)
    ]
    assert all(a == answers[0] for a in answers)
    assert answers[0] | {"label": ""} == {
        "metric": "exit:dropout",
        "label": "",
        "as_of": "2013-02-28",
        "value": 0.0,
        "people": 0,
        "shown": "0",
        "exact": False,
    }
    # From the month end after it, the one dropout is »<5«: no number, no raw count.
    after = client.get(f"{url}/exit:dropout?as_of=2013-03-31", headers=headers).json()
    assert (after["value"], after["people"], after["shown"]) == (None, None, "<5")
    # Six people started: published as 5, and the share of them with hours is no help.
    started = client.get(f"{url}/started?as_of=2013-03-31", headers=headers).json()
    assert (started["value"], started["people"], started["shown"]) == (5.0, 5, "5")


def test_a_registrar_keeps_the_exact_figures(client, session, world, flex):
    p = make_participant(session, world, flex, start_values=start_values(hours=7))
    exit_participant(session, world, p, date(2013, 6, 14), outcome="dropout")
    url = f"/api/projects/{world.project.id}/participants/metrics"
    for name in ("leader", "admin"):
        answer = client.get(f"{url}/exit:dropout?as_of=2013-06-14", headers=bearer(client, name))
        assert answer.json() | {"label": ""} == {
            "metric": "exit:dropout",
            "label": "",
            "as_of": "2013-06-14",
            "value": 1.0,
            "people": 1,
            "shown": "<5",
            "exact": True,
        }


def _as_excel(text: str) -> Any:
    """A published cell as the grantor's workbook holds it: numbers as numbers."""
    value = shown_value(text)
    if value is None or text.endswith(" %"):
        return text
    return int(value) if value == int(value) else value


def test_the_excel_and_the_page_hold_the_published_figures(client, session, world, flex):
    for i in range(8):
        make_participant(session, world, flex, start_date=date(2013, 1, 2 + i))
    query = f"scheme_id={flex.id}&as_of=2013-03-14&unit=month"
    base = f"/api/projects/{world.project.id}/participants"
    headers = bearer(client, "directorate")
    tables = client.get(f"{base}/monitoring?{query}", headers=headers).json()["tables"]
    xlsx = client.get(f"{base}/monitoring.xlsx?{query}", headers=headers)
    workbook = load_workbook(BytesIO(xlsx.content))
    about = {r[0]: r[1] for r in workbook["Om tallene"].iter_rows(values_only=True) if r[0]}
    assert about["Opgjort pr."] == "28.02.2013" and about["Startet i alt"] == 10
    for table in tables:
        sheet = next(ws for ws in workbook.worksheets if ws.title == table["title"][:31])
        rows = list(sheet.iter_rows(values_only=True))[1 : 1 + len(table["rows"])]
        for row, shown in zip(rows, table["rows"], strict=True):
            assert [v if v is not None else "" for v in row[: len(shown)]] == [
                _as_excel(text) for text in shown
            ]
    login(client, "steering")
    page = client.get(
        f"/projects/{world.project.id}/participants/monitoring?scheme={flex.id}&as_of=2013-03-14"
    )
    assert "opgjort pr. 28.02.2013" in page.text and 'value="2013-02-28"' in page.text
    assert "<dd>10</dd>" in page.text and "<dd>8</dd>" not in page.text


def test_a_date_outside_the_window_is_refused(client, session, world, flex):
    login(client, "steering")
    page = client.get(f"/projects/{world.project.id}/participants/monitoring?as_of=0001-01-01")
    assert page.status_code == 422 and "Opgørelsesdatoen skal ligge mellem" in page.text
