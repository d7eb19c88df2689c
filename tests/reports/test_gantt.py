"""The Gantt chart: figure data (traces, bars, baseline, today line, week ticks), the static
SVG, the loading with filters, and the scale guarantees at 5,000 tasks."""

import json
import re
from datetime import date

import pytest
from sqlmodel import Session

from app.errors import Invalid, NotFound
from app.reports import gantt, gantt_data, gantt_plotly, gantt_svg
from app.reports.gantt import (
    GanttData,
    GanttGroup,
    GanttMarker,
    GanttMilestone,
    GanttSummary,
    GanttTask,
)
from app.workstreams import tasks as workstreams_tasks
from app.workstreams.models import TaskStatus
from app.workstreams.schemas import TaskUpdate
from tests.factories import ProjectWorld, login, make_person
from tests.reports.factories import counted_queries, generate_tasks
from tests.workstreams.factories import access, approved_plan, make_milestone, make_task

DAY_MS = 86_400_000
TODAY = date(2013, 1, 16)


def _data() -> GanttData:
    return GanttData(
        window_start=date(2012, 11, 19),
        window_end=date(2013, 2, 28),
        today=TODAY,
        groups=[GanttGroup(1, "Information", True), GanttGroup(2, "Uddannelse", False)],
        tasks=[
            GanttTask(
                10,
                "Informationsplan",
                1,
                "Lene Kragh",
                date(2012, 12, 3),
                date(2012, 12, 21),
                TaskStatus.done,
                100,
                date(2012, 12, 3),
                date(2012, 12, 14),
            ),
            GanttTask(
                11,
                "Orientering af KL",
                1,
                "",
                date(2013, 1, 7),
                date(2013, 1, 31),
                TaskStatus.in_progress,
                40,
                depends_on=(10,),
            ),
            GanttTask(
                12,
                "Brev til Regionen",
                1,
                "Lene Kragh",
                date(2013, 1, 7),
                date(2013, 2, 15),
                TaskStatus.blocked,
                10,
            ),
        ],
        summaries={
            1: GanttSummary(1, date(2012, 12, 3), date(2013, 2, 16), {"done": 1}, 50),
            2: GanttSummary(
                2, date(2012, 12, 3), date(2013, 3, 1), {"not_started": 3, "in_progress": 2}, 20
            ),
        },
        milestones=[
            GanttMilestone(
                20,
                "Alle orienteret",
                1,
                date(2013, 2, 20),
                date(2013, 2, 1),
                "slipping",
                "Skrider",
                "Planlagt",
            ),
            GanttMilestone(
                21,
                "Reformen træder i kraft",
                None,
                date(2013, 1, 1),
                date(2013, 1, 1),
                "reached",
                "Nået",
                "Nået",
            ),
        ],
        markers=[
            GanttMarker("meeting", date(2012, 11, 27), "Beslutningsmøde", None),
            GanttMarker("activity", date(2012, 11, 22), "Opstartsmøde", None, "BR Syd"),
            GanttMarker("communication", date(2013, 1, 10), "Brev til lægerne", 1),
        ],
    )


def _trace(figure, name):
    return next(t for t in figure["data"] if t["name"] == name)


def test_week_ticks_name_the_week_and_the_month_in_danish():
    ticks = gantt.time_ticks(date(2012, 11, 19), date(2012, 12, 31))
    assert ticks[0] == (date(2012, 11, 19), "uge 47<br>nov 2012")
    assert ticks[1] == (date(2012, 11, 26), "uge 48")
    assert ticks[2] == (date(2012, 12, 3), "uge 49<br>dec 2012")
    assert ticks[-1] == (date(2012, 12, 31), "uge 1")  # Monday 31.12.2012 is in week 1 of 2013


def test_long_windows_get_month_ticks_with_the_week_they_start_in():
    ticks = gantt.time_ticks(date(2012, 11, 1), date(2013, 10, 31))
    assert ticks[0] == (date(2012, 11, 1), "nov 2012<br>uge 44")
    assert ticks[2] == (date(2013, 1, 1), "jan 2013<br>uge 1")
    assert len(ticks) == 12
    quarters = gantt.time_ticks(date(2012, 11, 1), date(2015, 11, 30))
    assert [d.month for d, _ in quarters[:3]] == [1, 4, 7]


def test_the_figure_has_one_trace_per_kind_and_bars_where_the_tasks_are():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    names = [t["name"] for t in figure["data"]]
    assert names == [
        "Godkendt plan (baseline)",
        "Gruppe samlet",
        "Status: I gang",
        "Status: Færdig",
        "Status: Blokeret",
        "Afhængighed",
        "Milepæl i godkendt plan",
        "Milepæl skrider",
        "Milepæl nået",
        "Møder, aktiviteter og kommunikation",
    ]
    done = _trace(figure, "Status: Færdig")
    assert list(done["base"]) == ["2012-12-03"]
    assert list(done["x"]) == [19 * DAY_MS]  # 03.12–21.12 inclusive
    assert done["marker"]["color"] == "#1e6b35"
    assert "Ansvarlig: Lene Kragh" in done["hovertext"][0]
    assert "03.12.2012–21.12.2012 (uge 49–51)" in done["hovertext"][0]
    assert "Status: Færdig, 100 % færdig" in done["hovertext"][0]
    assert "Ansvarlig: ingen" in _trace(figure, "Status: I gang")["hovertext"][0]


def test_rows_put_the_project_first_then_each_group_with_its_tasks():
    model = gantt.build_model(_data())
    assert [(r.label, r.kind) for r in model.rows] == [
        ("Hele projektet", "project"),
        ("Information", "group"),
        ("Informationsplan", "task"),
        ("Orientering af KL", "task"),
        ("Brev til Regionen", "task"),
        ("Uddannelse", "group"),
    ]
    figure = gantt_plotly.figure(model)
    assert list(figure["layout"]["yaxis"]["ticktext"])[0] == "<b>Hele projektet</b>"
    assert list(figure["layout"]["yaxis"]["range"]) == [5.5, -0.5]


def test_the_baseline_is_drawn_faintly_behind_the_bar_of_its_task():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    baseline = _trace(figure, "Godkendt plan (baseline)")
    assert list(baseline["base"]) == ["2012-12-03"]
    assert list(baseline["x"]) == [12 * DAY_MS]
    assert list(baseline["y"]) == [2 + 0.36]
    assert baseline["opacity"] < 1 and baseline["width"] < _trace(figure, "Status: Færdig")["width"]
    assert figure["data"][0]["name"] == "Godkendt plan (baseline)"  # drawn first, i.e. behind


def test_milestones_are_diamonds_with_their_baseline_when_it_differs():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    slipping = _trace(figure, "Milepæl skrider")
    reached = _trace(figure, "Milepæl nået")
    # A slipping milestone is told by its symbol (a cross in the diamond), not colour alone.
    assert slipping["marker"]["symbol"] == "diamond-cross"
    assert reached["marker"]["symbol"] == "diamond"
    assert list(slipping["x"]) == ["2013-02-20"] and list(reached["x"]) == ["2013-01-01"]
    assert list(slipping["y"]) == [1] and list(reached["y"]) == [0]
    assert (slipping["marker"]["color"], reached["marker"]["color"]) == ("#c77700", "#1e6b35")
    baseline = _trace(figure, "Milepæl i godkendt plan")
    assert list(baseline["x"]) == ["2013-02-01"] and baseline["marker"]["symbol"] == "diamond-open"


def test_dependencies_are_one_line_trace_with_gaps():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    lines = _trace(figure, "Afhængighed")
    assert list(lines["x"]) == ["2012-12-22", "2013-01-07", None]
    assert list(lines["y"]) == [2, 3, None]


def test_markers_and_the_today_line():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    markers = _trace(figure, "Møder, aktiviteter og kommunikation")
    assert list(markers["marker"]["symbol"]) == ["triangle-down", "star", "circle"]
    assert list(markers["y"]) == [0, 0, 1]  # meetings and activities on the project row
    today = figure["layout"]["shapes"][0]
    assert (today["x0"], today["x1"], today["type"]) == ("2013-01-16", "2013-01-16", "line")
    assert figure["layout"]["annotations"][0]["text"] == "I dag 16.01.2013"


def test_the_time_axis_carries_the_danish_ticks_and_the_window():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    axis = figure["layout"]["xaxis"]
    assert list(axis["range"]) == ["2012-11-19", "2013-03-01"]
    assert axis["ticktext"][0] == "uge 47<br>nov 2012"
    assert axis["tickvals"][0] == "2012-11-19"
    assert axis["side"] == "top"


def test_a_collapsed_group_is_one_summary_bar():
    figure = gantt_plotly.figure(gantt.build_model(_data()))
    summary = _trace(figure, "Gruppe samlet")
    assert list(summary["y"]) == [1, 5]
    assert "5 opgaver: 3 ikke påbegyndt, 2 i gang" in summary["hovertext"][1]


def test_the_svg_draws_the_same_model_with_words_in_the_legend():
    picture = gantt_svg.svg(gantt.build_model(_data()), label="Gantt for projektet")
    assert picture.startswith("<svg") and picture.endswith("</svg>")
    assert 'aria-label="Gantt for projektet"' in picture
    for word in (
        "uge 47",
        "nov 2012",
        "Statusdato 16.01.2013",
        "Færdig",
        "Blokeret",
        "Godkendt plan",
        "Milepæl skrider",
        "Beslutningsmøde",
        "Informationsplan",
    ):
        assert word in picture
    assert picture.count("<rect") >= 3 + 2 + 1


def test_text_from_users_is_escaped(session: Session, world: ProjectWorld):
    data = _data()
    data.tasks[0] = GanttTask(
        10, "<script>x</script>", 1, "", date(2012, 12, 3), date(2012, 12, 21), TaskStatus.done, 100
    )
    model = gantt.build_model(data)
    assert "<script>" not in gantt_svg.svg(model, label="x")
    assert "<script>" not in json.dumps(gantt_plotly.figure(model))


# Loading with filters


def test_load_draws_the_groups_tasks_milestones_and_baselines(
    session: Session, world: ProjectWorld
):
    approved_plan(session, world)  # a task and a milestone in group A, approved
    make_task(session, world, title="Blokeret opgave", group_id=world.group_b.id, status="blocked")
    view = gantt_data.load(
        session=session,
        project_id=world.project.id or 0,
        filters=gantt_data.GanttFilters(),
        on=date(2013, 2, 1),
    )
    assert [g.name for g in view.data.groups] == ["Gruppe A", "Gruppe B"]
    assert all(g.expanded for g in view.data.groups)
    titles = {t.title: t for t in view.data.tasks}
    assert titles["Kortlæg arbejdsgange"].baseline_due == date(2013, 2, 28)
    assert titles["Blokeret opgave"].status == TaskStatus.blocked
    assert view.data.milestones[0].baseline == date(2013, 3, 15)
    assert view.default_window and view.data.window_start == date(2012, 11, 2)


def test_filters_by_group_status_owner_and_period(session: Session, world: ProjectWorld):
    owner = make_person(session, world.project, name="Per Holm")
    make_task(session, world, title="A1", owner_person_id=owner.id)
    make_task(session, world, title="A2", status="in_progress")
    make_task(session, world, title="B1", group_id=world.group_b.id)
    make_task(session, world, title="Sent", start_date=date(2014, 1, 6), due_date=date(2014, 2, 28))

    def titles(**filters):
        view = gantt_data.load(
            session=session,
            project_id=world.project.id or 0,
            filters=gantt_data.GanttFilters(**filters),
            on=date(2013, 2, 1),
        )
        return sorted(t.title for t in view.data.tasks)

    assert titles() == ["A1", "A2", "B1"]
    assert titles(group_id=world.group_b.id) == ["B1"]
    assert titles(status=TaskStatus.in_progress) == ["A2"]
    assert titles(owner_person_id=owner.id) == ["A1"]
    assert titles(start=date(2013, 12, 1), end=date(2014, 3, 31)) == ["Sent"]


def test_refuses_a_period_that_ends_before_it_starts_and_unknown_groups(
    session: Session, world: ProjectWorld
):
    with pytest.raises(Invalid) as error:
        gantt_data.load(
            session=session,
            project_id=world.project.id or 0,
            on=date(2013, 2, 1),
            filters=gantt_data.GanttFilters(start=date(2013, 3, 1), end=date(2013, 2, 1)),
        )
    assert error.value.field == "end"
    assert "01.02.2013" in error.value.message
    with pytest.raises(NotFound):
        gantt_data.load(
            session=session,
            project_id=world.project.id or 0,
            on=date(2013, 2, 1),
            filters=gantt_data.GanttFilters(group_id=world.steering.id),
        )


def test_parse_filters_names_the_field():
    assert gantt_data.parse_filters(group_id="", status="").group_id is None
    with pytest.raises(Invalid) as error:
        gantt_data.parse_filters(status="waiting")
    assert error.value.field == "status"
    with pytest.raises(Invalid) as error:
        gantt_data.parse_filters(start="22.11.2012")
    assert error.value.field == "start"


def test_communication_appears_on_its_groups_row(session: Session, world: ProjectWorld):
    from tests.stakeholders.factories import make_action, make_stakeholder

    make_task(session, world)
    stakeholder = make_stakeholder(session, world.project)
    make_action(
        session,
        stakeholder,
        group_id=world.group_a.id,
        planned_date=date(2013, 1, 20),
        what="Nyhedsbrev til lægerne",
    )
    view = gantt_data.load(
        session=session,
        project_id=world.project.id or 0,
        filters=gantt_data.GanttFilters(group_id=world.group_a.id),
        on=date(2013, 2, 1),
    )
    model = gantt.build_model(view.data)
    row = next(r.y for r in model.rows if r.label == "Gruppe A")
    assert [(p.key, p.y) for p in model.markers] == [("communication", row)]


# Scale


def test_five_thousand_tasks_collapse_to_a_readable_small_figure(
    session: Session, world: ProjectWorld
):
    generate_tasks(session, world.project, tasks=5000)
    on = date(2013, 9, 1)
    view = gantt_data.load(
        session=session, project_id=world.project.id or 0, filters=gantt_data.GanttFilters(), on=on
    )
    assert view.total_tasks > 1000
    assert not any(g.expanded for g in view.data.groups)
    assert view.data.tasks == []
    figure = gantt_plotly.figure(gantt.build_model(view.data))
    assert len(figure["data"]) <= 10
    assert len(json.dumps(figure)) < 1_000_000
    assert len(_trace(figure, "Gruppe samlet")["y"]) == 4

    expanded = gantt_data.load(
        session=session,
        project_id=world.project.id or 0,
        on=on,
        filters=gantt_data.GanttFilters(expand="all"),
    )
    figure = gantt_plotly.figure(gantt.build_model(expanded.data))
    payload = json.dumps(figure)
    assert len(figure["data"]) <= 10
    assert len(payload) < 1_000_000
    bars = sum(len(t["y"]) for t in figure["data"] if t["name"].startswith("Status: "))
    assert bars == gantt_data.DETAIL_LIMIT
    assert expanded.left_out == expanded.total_tasks - gantt_data.DETAIL_LIMIT
    assert len(json.loads(payload)["data"]) <= 10


def test_the_number_of_queries_does_not_grow_with_the_tasks(session: Session, world: ProjectWorld):
    def count(expand: str) -> int:
        session.expire_all()
        with counted_queries(session) as statements:
            gantt_data.load(
                session=session,
                project_id=world.project.id or 0,
                on=date(2013, 9, 1),
                filters=gantt_data.GanttFilters(expand=expand),
            )
        return len(statements)

    make_milestone(session, world)
    generate_tasks(session, world.project, tasks=40, seed=1)
    small = count("all"), count("none")
    generate_tasks(session, world.project, tasks=800, seed=2)
    assert (count("all"), count("none")) == small
    assert max(small) <= 12


# Tasks without dates, and tasks outside the project's period


def _undated_world(session: Session, world: ProjectWorld) -> dict[str, int]:
    world.project.start_date = date(2012, 11, 1)
    world.project.end_date = date(2015, 11, 30)
    session.add(world.project)
    session.commit()
    ids = {
        "A-undated": make_task(
            session, world, title="Løbende dialog", start_date=None, due_date=None
        ).id
        or 0,
        "B-undated": make_task(
            session,
            world,
            title="Anbefaling 7",
            group_id=world.group_b.id,
            start_date=None,
            due_date=None,
        ).id
        or 0,
        "late": make_task(
            session,
            world,
            title="Efterevaluering",
            start_date=date(2015, 10, 1),
            due_date=date(2016, 3, 31),
        ).id
        or 0,
        "only-due": make_task(
            session, world, title="Kun frist", start_date=None, due_date=date(2013, 2, 8)
        ).id
        or 0,
    }
    return ids


def _load(session: Session, world: ProjectWorld, **filters) -> gantt_data.GanttView:
    return gantt_data.load(
        session=session,
        project_id=world.project.id or 0,
        filters=gantt_data.GanttFilters(**filters),
        on=date(2013, 2, 1),
    )


def test_a_task_without_dates_is_kept_in_the_model_and_the_figures_meta(
    session: Session, world: ProjectWorld
):
    ids = _undated_world(session, world)
    view = _load(session, world)
    assert sorted(t.title for t in view.data.undated) == ["Anbefaling 7", "Løbende dialog"]
    assert "Løbende dialog" not in [t.title for t in view.data.tasks]
    model = gantt.build_model(view.data)
    undated = {u.title: u for u in model.undated}
    assert undated["Løbende dialog"].id == ids["A-undated"]
    assert undated["Løbende dialog"].group == "Gruppe A"
    assert undated["Anbefaling 7"].status == TaskStatus.not_started
    meta = gantt_plotly.figure(model)["layout"]["meta"]
    assert {
        "id": ids["B-undated"],
        "number": "1",
        "title": "Anbefaling 7",
        "group": "Gruppe B",
    } in meta["undated"]
    # Collapsed groups still list their tasks without dates.
    collapsed = _load(session, world, expand="none")
    assert collapsed.data.tasks == [] and len(collapsed.data.undated) == 2
    assert collapsed.left_out == 0


def test_a_task_with_one_date_is_a_one_day_bar_at_that_date(session: Session, world: ProjectWorld):
    _undated_world(session, world)
    model = gantt.build_model(_load(session, world).data)
    bar = next(b for b in model.bars if "Kun frist" in b.hover)
    assert (bar.start, bar.end) == (date(2013, 2, 8), date(2013, 2, 9))
    assert "kun slutdato kendt" in bar.hover


def test_the_group_filter_applies_to_tasks_without_dates(session: Session, world: ProjectWorld):
    _undated_world(session, world)
    view = _load(session, world, group_id=world.group_b.id)
    assert [t.title for t in view.data.undated] == ["Anbefaling 7"]
    assert [u.title for u in gantt.build_model(view.data).undated] == ["Anbefaling 7"]
    assert _load(session, world, status=TaskStatus.done).data.undated == []


def test_the_pdf_svg_names_the_tasks_without_dates_under_the_chart():
    data = _data()
    data.undated = [
        GanttTask(100 + i, f"Anbefaling {i}", 1, "", None, None, TaskStatus.not_started, 0)
        for i in range(1, 13)
    ]
    model = gantt.build_model(data)
    picture = gantt_svg.svg(model, label="Gantt")
    assert "12 opgaver uden datoer er ikke tegnet: »Anbefaling 1«" in picture
    assert "»Anbefaling 10« og 2 flere." in picture
    assert "Anbefaling 11" not in picture
    data.undated = data.undated[:1]
    one = gantt_svg.svg(gantt.build_model(data), label="Gantt")
    assert "1 opgave uden datoer er ikke tegnet: »Anbefaling 1«." in one
    assert "uden datoer" not in gantt_svg.svg(gantt.build_model(_data()), label="Gantt")


def test_a_task_due_after_the_projects_end_is_flagged(session: Session, world: ProjectWorld):
    ids = _undated_world(session, world)
    view = _load(session, world, start=date(2015, 6, 1), end=date(2016, 6, 30))
    late = next(t for t in view.data.tasks if t.id == ids["late"])
    assert late.outside_period
    model = gantt.build_model(view.data)
    bar = next(b for b in model.bars if b.task_id == ids["late"])
    assert bar.outside
    assert "Ligger uden for projektets periode (01.11.2012–30.11.2015)" in bar.hover
    figure = gantt_plotly.figure(model)
    mark = _trace(figure, "⚠ Ligger uden for projektets periode (01.11.2012–30.11.2015)")
    assert mark["x"] == ["2016-04-01"] and mark["marker"]["symbol"] == "x"
    status = _trace(figure, "Status: Ikke påbegyndt")
    assert status["marker"]["line"]["width"] == [2.5]
    assert figure["layout"]["meta"]["outside_period"] == [ids["late"]]
    assert len(figure["data"]) <= 11
    svg = gantt_svg.svg(model, label="Gantt")
    assert "Ligger uden for projektets periode (01.11.2012–30.11.2015)" in svg
    # Inside the period: no mark, no outline.
    inside = gantt.build_model(_load(session, world).data)
    assert not inside.outside
    assert _trace(gantt_plotly.figure(inside), "Status: Ikke påbegyndt")["marker"]["line"] == {
        "width": 0
    }


def test_the_page_lists_tasks_without_dates_and_flags_tasks_outside_the_period(
    client, session: Session, world: ProjectWorld
):
    ids = _undated_world(session, world)
    login(client, "member_a")
    page = client.get(f"/projects/{world.project.id}/gantt").text
    assert "Opgaver uden datoer (2)" in page
    # Named with its number in the group's plan.
    link = f'href="/projects/{world.project.id}/tasks/{ids["A-undated"]}/row">'
    assert re.search(re.escape(link) + r"\d+ Løbende dialog</a>", page)
    assert "<td>uden datoer</td><td>uden datoer</td>" in page
    later = client.get(f"/projects/{world.project.id}/gantt?start=2015-06-01&end=2016-06-30").text
    row = later[later.index("</span> Efterevaluering") :][:400]
    assert "Uden for projektperioden" in row
    group = client.get(f"/projects/{world.project.id}/groups/{world.group_b.id}/gantt").text
    assert "Opgaver uden datoer (1)" in group and "Løbende dialog" not in group
    # The group's own page flags it too (the same rule, workstreams.tasks.outside_period).
    page_a = client.get(f"/projects/{world.project.id}/groups/{world.group_a.id}").text
    late_row = page_a[page_a.index(f'id="task-{ids["late"]}"') :][:3000]
    assert "Uden for projektperioden" in late_row.split("</tr>")[0]
    assert page_a.count("Uden for projektperioden") == 1


# The plan's structure (issue 20)


def _plan_tree(session: Session, world: ProjectWorld) -> dict[str, int]:
    """Fase 2 made first but placed second; Fase 1 › Aktivitet 1.1 › Trin 1.1.1."""
    later = make_task(session, world, title="Fase 2")
    phase = make_task(session, world, title="Fase 1")
    activity = make_task(session, world, title="Aktivitet", parent_id=phase.id)
    step = make_task(
        session,
        world,
        title="Trin",
        parent_id=activity.id,
        start_date=date(2013, 1, 14),
        due_date=date(2013, 2, 8),
    )
    session.refresh(phase)
    workstreams_tasks.update_task(
        session=session,
        by=access(session, world, "leader"),
        task_id=phase.id or 0,
        data=TaskUpdate(position=1, version=phase.version),
    )
    return {"Fase 1": phase.id, "Fase 2": later.id, "Aktivitet": activity.id, "Trin": step.id}


def _load_group(session: Session, world: ProjectWorld, **filters) -> gantt_data.GanttView:
    return gantt_data.load(
        session=session,
        project_id=world.project.id or 0,
        filters=gantt_data.GanttFilters(group_id=world.group_a.id, **filters),
        on=date(2013, 2, 1),
    )


def test_rows_come_in_tree_order_numbered_and_indented(session: Session, world: ProjectWorld):
    ids = _plan_tree(session, world)
    view = _load_group(session, world)
    assert [(t.number, t.title, t.level) for t in view.data.tasks] == [
        ("1", "Fase 1", 1),
        ("1.1", "Aktivitet", 2),
        ("1.1.1", "Trin", 3),
        ("2", "Fase 2", 1),
    ]
    model = gantt.build_model(view.data)
    rows = [r for r in model.rows if r.kind == "task"]
    assert [r.text for r in rows][:2] == ["1 Fase 1", "1.1 Aktivitet"]
    assert [r.parent for r in rows] == [True, True, False, False]
    figure = gantt_plotly.figure(model)
    parents = next(t for t in figure["data"] if t["name"] == gantt.PARENT_LABEL)
    assert len(parents["y"]) == 2 and parents["marker"]["pattern"]["shape"] == "/"
    assert all(len(t["y"]) == 2 for t in figure["data"] if t["name"].startswith("Status"))
    # Indented, left-aligned labels (annotations) instead of right-aligned tick labels.
    assert figure["layout"]["yaxis"]["showticklabels"] is False
    shifts = {a["text"]: a["xshift"] for a in figure["layout"]["annotations"] if "xshift" in a}
    assert shifts["1.1.1 Trin"] > shifts["<b>1.1 Aktivitet</b>"] > shifts["<b>1 Fase 1</b>"]
    meta = {r["task_id"]: r for r in figure["layout"]["meta"]["rows"] if r["task_id"]}
    assert meta[ids["Trin"]]["number"] == "1.1.1" and meta[ids["Trin"]]["level"] == 3
    svg = gantt_svg.svg(model, label="x")
    assert "1.1.1 Trin" in svg and gantt.PARENT_LABEL in svg


def test_depth_shows_only_the_top_levels_on_page_json_and_svg(
    client, session: Session, world: ProjectWorld
):
    _plan_tree(session, world)
    assert [t.number for t in _load_group(session, world, depth=1).data.tasks] == ["1", "2"]
    assert [t.number for t in _load_group(session, world, depth=2).data.tasks] == ["1", "1.1", "2"]
    login(client, "member_a")
    base = f"/projects/{world.project.id}/groups/{world.group_a.id}/gantt"
    period = "start=2012-12-01&end=2013-06-30"
    page = client.get(f"{base}?depth=1&{period}").text
    table = page.split("Diagrammets data")[1]
    assert "Fase 1" in table and "Aktivitet" not in table
    assert "Kun hovedopgaver" in page
    api = f"/api/projects/{world.project.id}/gantt?group_id={world.group_a.id}&{period}"
    figure = client.get(f"{api}&depth=2").json()
    numbers = [r["number"] for r in figure["layout"]["meta"]["rows"] if r["number"]]
    assert numbers == ["1", "1.1", "2"]
    refused = client.get(f"/api/projects/{world.project.id}/gantt?depth=9")
    assert refused.status_code == 422 and "Vis" in refused.text
