"""The Gantt a project leader works with: zoom windows around the status day, overdue tasks and
late milestones by colour, symbol and legend, the chart split into page-sized SVGs, and the
Gantt PDF on A4/A3 landscape (page and API) opened with pypdf."""

import html
import io
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app.reports import gantt, gantt_data, gantt_plotly, gantt_svg, pdf
from app.reports.gantt import GanttData, GanttGroup, GanttMilestone, GanttTask
from app.workstreams.models import TaskStatus
from tests.factories import ProjectWorld, login
from tests.reports.test_pdf import _pdfa
from tests.workstreams.factories import make_milestone, make_task

ON = date(2013, 5, 15)
MM = 72 / 25.4  # PDF points per millimetre


def test_zoom_windows_are_the_week_month_quarter_year_and_project_of_the_status_day():
    zooms = gantt_data.zoom_windows(ON, date(2012, 11, 1), date(2015, 11, 30))
    assert [(z.key, z.label, z.start, z.end) for z in zooms] == [
        ("week", "Uge", date(2013, 5, 13), date(2013, 5, 19)),
        ("month", "Måned", date(2013, 5, 1), date(2013, 5, 31)),
        ("quarter", "Kvartal", date(2013, 4, 1), date(2013, 6, 30)),
        ("year", "År", date(2013, 1, 1), date(2013, 12, 31)),
        ("project", "Hele projektet", date(2012, 11, 1), date(2015, 11, 30)),
    ]
    assert zooms[0].title == "uge 20 2013 (13.05.2013–19.05.2013)"
    assert zooms[2].title.startswith("2. kvartal 2013")
    # December's quarter ends with the year; no period, no »Hele projektet«.
    late = gantt_data.zoom_windows(date(2013, 12, 31), None, None)
    assert [z.key for z in late] == ["week", "month", "quarter", "year"]
    assert (late[2].start, late[2].end) == (date(2013, 10, 1), date(2013, 12, 31))
    assert late[0].start == date(2013, 12, 30)  # the ISO week 1 of 2014 begins on a Monday
    # Today after the project's end: the buttons zoom around its last day.
    after = gantt_data.zoom_windows(date(2026, 12, 5), date(2012, 11, 1), date(2015, 11, 30))
    assert (after[1].start, after[1].end) == (date(2015, 11, 1), date(2015, 11, 30))


def test_a_week_window_has_a_tick_per_day():
    ticks = gantt.time_ticks(date(2013, 5, 13), date(2013, 5, 19))
    assert ticks[0] == (date(2013, 5, 13), "13.5.<br>uge 20")
    assert [t for _, t in ticks[1:3]] == ["14.5.", "15.5."]
    assert len(ticks) == 7


def test_the_page_has_zoom_links_and_marks_the_current_one(
    client: TestClient, world: ProjectWorld, session: Session
):
    make_task(session, world)
    login(client, "leader")
    url = f"/projects/{world.project.id}/gantt"
    page = client.get(url)
    links = re.findall(r'<a class="rp-zoom__link" href="([^"]+)"[^>]*>([^<]+)<', page.text)
    assert [text for _, text in links][:4] == ["Uge", "Måned", "Kvartal", "År"]
    assert 'aria-current="true"' not in page.text  # the default window is no zoom button
    month = html.unescape(links[1][0])
    assert re.search(r"start=\d{4}-\d{2}-01&end=\d{4}-\d{2}-\d{2}", month)
    zoomed = client.get(month + "&status=in_progress", headers={"HX-Request": "true"})
    assert zoomed.status_code == 200
    current = re.findall(r'aria-current="true">([^<]+)<', zoomed.text)
    assert current == ["Måned"]
    assert "Standard" in zoomed.text  # back to the default window
    # The PDF links carry the filters; the PNG/SVG buttons need JavaScript (gantt.js).
    assert f'href="{url}.pdf?' in zoomed.text and "paper=a3" in zoomed.text
    assert "status=not_started" not in zoomed.text


def _late_data() -> GanttData:
    return GanttData(
        window_start=date(2013, 4, 1),
        window_end=date(2013, 6, 30),
        today=ON,
        groups=[GanttGroup(1, "Information", True)],
        tasks=[
            GanttTask(
                1,
                "Brev til Regionen",
                1,
                "",
                date(2013, 4, 8),
                date(2013, 5, 3),
                TaskStatus.in_progress,
                50,
                overdue_days=12,
            ),
            GanttTask(
                2, "Pjece", 1, "", date(2013, 4, 8), date(2013, 6, 3), TaskStatus.not_started, 0
            ),
        ],
        milestones=[
            GanttMilestone(
                5, "Aftale", 1, date(2013, 5, 1), date(2013, 4, 1), "overdue", "Overskredet", "P"
            ),
            GanttMilestone(
                6, "Plan", 1, date(2013, 6, 20), date(2013, 6, 1), "slipping", "Skrider", "P"
            ),
        ],
    )


def test_overdue_tasks_and_late_milestones_are_marked_and_named_in_the_legend():
    model = gantt.build_model(_late_data())
    [late] = model.overdue
    # From the day after the due date to the status day, on the task's row.
    assert (late.start, late.end, late.y) == (date(2013, 5, 4), ON, 1)
    figure = gantt_plotly.figure(model)
    names = [t["name"] for t in figure["data"]]
    late_trace = next(t for t in figure["data"] if "Forsinket opgave" in t["name"])
    assert late_trace["marker"]["pattern"]["shape"] == "x"  # hatched: not colour alone
    assert "Forsinket opgave: 12 dage over slutdatoen" in late_trace["hovertext"][0]
    healths = gantt.HEALTH_NAMES.values()
    symbols = {t["name"]: t["marker"]["symbol"] for t in figure["data"] if t["name"] in healths}
    assert symbols == {"Milepæl skrider": "diamond-cross", "Milepæl overskredet": "diamond-x"}
    # Legend entries only for what the chart shows.
    assert "Milepæl nået" not in names and "Milepæl følger planen" not in names
    picture = gantt_svg.svg(model, label="Gantt")
    for word in ("Forsinket opgave", "Milepæl skrider", "Milepæl overskredet"):
        assert word in picture
    assert "Milepæl nået" not in picture and "Milepæl følger planen" not in picture
    calm = gantt.build_model(
        GanttData(
            window_start=date(2013, 4, 1),
            window_end=date(2013, 6, 30),
            today=ON,
            groups=[GanttGroup(1, "Information", True)],
            tasks=[_late_data().tasks[1]],
        )
    )
    assert "Forsinket" not in gantt_svg.svg(calm, label="Gantt")
    assert not [t for t in gantt_plotly.figure(calm)["data"] if "Forsinket" in t["name"]]


def test_load_marks_a_task_overdue_by_the_one_rule(session: Session, world: ProjectWorld):
    make_task(session, world, title="For sent", due_date=date(2013, 5, 10))
    make_task(session, world, title="I tide", due_date=date(2013, 5, 20))
    view = gantt_data.load(
        session=session,
        project_id=world.project.id,
        filters=gantt_data.GanttFilters(start=date(2013, 1, 1), end=date(2013, 6, 30)),
        on=ON,
    )
    assert {t.title: t.overdue_days for t in view.data.tasks} == {"For sent": 5, "I tide": None}
    assert [z.key for z in view.zooms][:4] == ["week", "month", "quarter", "year"]


def _big_data(count: int) -> GanttData:
    return GanttData(
        window_start=date(2013, 1, 1),
        window_end=date(2013, 12, 31),
        today=ON,
        groups=[GanttGroup(1, "Information", True), GanttGroup(2, "Uddannelse", True)],
        tasks=[
            GanttTask(
                i,
                f"Opgave nummer {i} med en lang titel, som ikke må skæres af på arket",
                1 if i <= count // 2 else 2,
                "",
                date(2013, 2, 1) + timedelta(days=i),
                date(2013, 3, 1) + timedelta(days=i),
                TaskStatus.in_progress,
                10,
                depends_on=(i - 1,) if i > 1 else (),
            )
            for i in range(1, count + 1)
        ],
    )


def test_a_long_chart_is_split_into_pages_each_with_the_axis():
    model = gantt.build_model(_big_data(120))
    a4 = gantt_svg.PAPERS["a4"]
    parts = gantt_svg.split(model, a4.rows_per_page)
    assert len(parts) >= 4
    assert all(len(p.rows) <= a4.rows_per_page for p in parts)
    # Every task on exactly one page; a page beginning inside a group repeats its name.
    titles = [r.label for p in parts for r in p.rows if r.kind == "task"]
    assert len(titles) == 120 and len(set(titles)) == 120
    assert parts[1].rows[0].label == "Information (fortsat)"
    assert all(b.y < len(p.rows) for p in parts for b in p.bars)
    pictures = gantt_svg.pages(
        model,
        label="Gantt",
        rows_per_page=a4.rows_per_page,
        width=a4.svg_width,
        label_width=a4.label_width,
    )
    assert len(pictures) == len(parts)
    for i, picture in enumerate(pictures, 1):
        assert picture.startswith("<svg") and f'width="{a4.svg_width}"' in picture
        assert "feb 2013" in picture and "Statusdato 15.05.2013" in picture  # axis, status day
        assert f"del {i} af {len(pictures)}" in picture
    # Wide labels on the landscape page: a 66-character title stays whole (46 on the page).
    assert "Opgave nummer 1 med en lang titel, som ikke må skæres af på arket" in (pictures[0])
    # A group's name is never the last row of a page when its tasks follow.
    assert all(p.rows[-1].kind == "task" for p in parts[:-1])


def _pdf_world(session: Session, world: ProjectWorld) -> list[str]:
    titles = [f"Opgave {i:02d} om overgangen til den nye ordning" for i in range(1, 61)]
    for i, title in enumerate(titles):
        make_task(
            session,
            world,
            title=title,
            start_date=date(2013, 2, 1) + timedelta(days=i),
            due_date=date(2013, 4, 1) + timedelta(days=i),
        )
    make_milestone(session, world, name="Aftale underskrevet", planned_date=date(2013, 4, 2))
    titles.append("Sager uden for grupperne")
    make_task(session, world, title=titles[-1], group_id=None, due_date=date(2013, 3, 1))
    return titles


def _read(document: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(document))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_gantt_pdf_is_landscape_with_every_task_and_archival_metadata(
    client: TestClient, world: ProjectWorld, session: Session
):
    titles = _pdf_world(session, world)
    login(client, "member_a")
    answer = client.get(
        f"/api/projects/{world.project.id}/gantt.pdf"
        "?start=2013-01-01&end=2013-06-30&as_of=2013-05-15"
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert "gantt-" in answer.headers["content-disposition"]
    assert "2013-05-15.pdf" in answer.headers["content-disposition"]
    reader, text = _read(answer.content)
    box = reader.pages[0].mediabox
    assert round(float(box.width) / MM) == 297 and round(float(box.height) / MM) == 210
    chart_pages = [p for p in reader.pages if "Statusdato 15.05.2013" in p.extract_text()]
    assert len(chart_pages) >= 2  # 60 tasks do not fit one A4 page
    for title in titles:
        assert title in text, title
    assert "Forsinket opgave" in text and "Aftale underskrevet" in text
    assert _pdfa(reader) == ("2", "B")
    meta = reader.metadata
    assert meta.title == f"Gantt-diagram: {world.project.name}"
    assert meta.author and "Gantt-diagram for" in (meta.subject or "")

    # The page's route: A3 landscape, the same function, the filters applied.
    page = client.get(
        f"/projects/{world.project.id}/gantt.pdf?paper=a3&start=2013-01-01&end=2013-06-30"
    )
    assert page.status_code == 200
    reader, text = _read(page.content)
    box = reader.pages[0].mediabox
    assert round(float(box.width) / MM) == 420 and round(float(box.height) / MM) == 297
    assert all(t in text for t in titles)
    group = client.get(
        f"/projects/{world.project.id}/groups/{world.group_a.id}/gantt.pdf"
        "?start=2013-01-01&end=2013-06-30"
    )
    assert group.status_code == 200
    assert "Gantt-diagram: " in _read(group.content)[1]


def test_the_gantt_pdf_draws_more_than_the_pages_cap(
    session: Session, world: ProjectWorld, monkeypatch
):
    _pdf_world(session, world)
    monkeypatch.setattr(gantt_data, "DETAIL_LIMIT", 10)
    filters = gantt_data.GanttFilters(start=date(2013, 1, 1), end=date(2013, 6, 30))
    page = gantt_data.load(
        session=session,
        project_id=world.project.id,
        filters=filters,
        on=ON,
        limit=gantt_data.DETAIL_LIMIT,
    )
    printed = pdf.gantt_print(
        session=session,
        project_id=world.project.id,
        filters=filters,
        on=ON,
        paper=gantt_svg.PAPERS["a4"],
    )
    assert page.shown_tasks == 10 and page.left_out == 51
    assert printed.view.shown_tasks == 61 and printed.left_out == 0


def test_the_gantt_pdf_refuses_what_the_page_refuses(
    client: TestClient, world: ProjectWorld, session: Session
):
    login(client, "outsider")
    for url in (
        f"/projects/{world.project.id}/gantt",
        f"/projects/{world.project.id}/gantt.pdf",
        f"/api/projects/{world.project.id}/gantt.pdf",
    ):
        assert client.get(url).status_code in (403, 404), url
    login(client, "leader")
    wrong = client.get(f"/api/projects/{world.project.id}/gantt.pdf?paper=a5")
    assert wrong.status_code == 422 and "Papir" in wrong.text
    wrong = client.get(f"/projects/{world.project.id}/gantt.pdf?start=2013-13-01")
    assert wrong.status_code == 422 and "Fra" in wrong.text
    assert pdf.gantt_filename("Førtidspension og fleksjob i Ærø", ON) == (
        "gantt-foertidspension-og-fleksjob-i-aeroe-2013-05-15.pdf"
    )
