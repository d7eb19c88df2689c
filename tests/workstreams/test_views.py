import re
from datetime import date, timedelta

from sqlmodel import func, select

from app import clock
from app.workstreams.models import Milestone, PlanStatus, ProgressEntry, Task
from tests.factories import csrf_of, login
from tests.workstreams.factories import approved_plan, make_milestone, make_plan, make_task

HTMX = {"HX-Request": "true"}


def page(world, path: str) -> str:
    return f"/projects/{world.project.id}/{path}"


def signed_in(client, world, name: str) -> dict[str, str]:
    login(client, name)
    return HTMX | {"X-CSRF-Token": csrf_of(client, page(world, "plans"))}


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_plans_page_shows_compliance_and_unanchored_tasks_to_the_leader(client, world, session):
    make_task(session, world, title="Forankret opgave")
    make_task(session, world, title="Overgangssager", group_id=None)
    login(client, "leader")
    html = client.get(page(world, "plans")).text
    assert "Gruppe A" in html and "Ingen godkendt plan" in html
    assert "Opgaver, der ikke er forankret i en gruppe" in html and "Overgangssager" in html
    assert 'aria-current="page">Planer og opgaver' in html


def test_unanchored_tasks_are_not_shown_to_group_members(client, world, session):
    make_task(session, world, title="Overgangssager", group_id=None)
    login(client, "member_a")
    html = client.get(page(world, "plans")).text
    assert "Overgangssager" not in html and "Gruppe A" in html


def test_leader_anchors_a_task_in_a_group(client, world, session):
    task = make_task(session, world, title="Overgangssager", group_id=None)
    headers = signed_in(client, world, "leader")
    answer = client.post(
        page(world, f"tasks/{task.id}/anchor"),
        headers=headers,
        data={"group_id": world.group_b.id, "version": 1},
    )
    assert answer.status_code == 204 and answer.headers["HX-Redirect"].endswith("#uforankrede")
    session.refresh(task)
    assert task.group_id == world.group_b.id


def test_group_member_logs_progress_and_gets_the_row_back(client, world, session):
    task = make_task(session, world, title="Informationsbrev til Regionen")
    headers = signed_in(client, world, "member_a")
    form = client.get(page(world, f"tasks/{task.id}/log-form"), headers=headers)
    assert form.status_code == 200 and 'name="text"' in form.text
    answer = client.post(
        page(world, f"tasks/{task.id}/log"),
        headers=headers,
        data={"text": "Brevet er sendt i høring", "status": "", "progress": "60", "version": "1"},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<tr id="task-{task.id}"')
    assert "Brevet er sendt i høring" in answer.text and "60 %" in answer.text
    assert "<html" not in answer.text
    assert "task.progress_logged" in answer.headers["HX-Trigger"]
    session.refresh(task)
    assert (task.progress, task.version) == (60, 2)


def test_logging_140_percent_rerenders_the_form_with_the_error(client, world, session):
    task = make_task(session, world)
    headers = signed_in(client, world, "member_a")
    answer = client.post(
        page(world, f"tasks/{task.id}/log"),
        headers=headers,
        data={"text": "For meget", "progress": "140", "version": "1"},
    )
    assert answer.status_code == 422
    assert "Feltet »Fremdrift« må højst være 100." in answer.text
    field = f"log-{task.id}-progress"
    assert re.search(
        rf'id="{field}"[^>]*aria-describedby="{field}-error" aria-invalid="true"', answer.text
    )
    assert f'<a href="#{field}">Feltet »Fremdrift« må højst være 100.</a>' in answer.text
    assert count(session, ProgressEntry) == 0


def test_another_groups_task_is_403_on_the_page_too(client, world, session):
    task = make_task(session, world)
    headers = signed_in(client, world, "member_b")
    answer = client.post(
        page(world, f"tasks/{task.id}/log"),
        headers=headers,
        data={"text": "Ikke min", "version": "1"},
    )
    assert answer.status_code == 403 and count(session, ProgressEntry) == 0
    login(client, "directorate")
    assert client.get(page(world, f"tasks/{task.id}/log-form")).status_code == 403


def test_a_stale_edit_answers_409_with_the_row_and_the_message(client, world, session):
    task = make_task(session, world, title="Gammel titel")
    headers = signed_in(client, world, "member_a")
    first = client.post(
        page(world, f"tasks/{task.id}"),
        headers=headers,
        data={
            "title": "Ny titel",
            "version": "1",
            "from_group": str(world.group_a.id),
            "group_id": str(world.group_a.id),
            "start_date": "2013-01-07",
            "due_date": "2013-02-28",
        },
    )
    assert first.status_code == 200 and "Ny titel" in first.text
    stale = client.post(
        page(world, f"tasks/{task.id}"),
        headers=headers,
        data={"title": "Min titel", "version": "1", "group_id": str(world.group_a.id)},
    )
    assert stale.status_code == 409 and "Hent den igen" in stale.text
    session.refresh(task)
    assert task.title == "Ny titel"


def test_creating_a_task_with_due_before_start_shows_the_message_on_the_page(
    client, world, session
):
    login(client, "member_a")
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    answer = client.post(
        page(world, "tasks"),
        data={
            "csrf_token": token,
            "group_id": str(world.group_a.id),
            "title": "Kursus",
            "start_date": "2013-02-01",
            "due_date": "2013-01-31",
            "owner_person_id": "",
            "description": "",
        },
    )
    assert answer.status_code == 422
    assert "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013)." in answer.text
    assert count(session, Task) == 0
    created = client.post(
        page(world, "tasks"),
        data={
            "csrf_token": token,
            "group_id": str(world.group_a.id),
            "title": "Kursus",
            "start_date": "2013-01-01",
            "due_date": "2013-01-31",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303 and count(session, Task) == 1


def test_a_form_without_csrf_is_refused(client, world, session):
    task = make_task(session, world)
    login(client, "member_a")
    answer = client.post(page(world, f"tasks/{task.id}/log"), data={"text": "x"})
    assert answer.status_code == 403 and count(session, ProgressEntry) == 0


def test_plan_is_submitted_then_approved_from_the_group_page(client, world, session):
    make_task(session, world)
    plan = make_plan(session, world)
    login(client, "member_a")
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    submitted = client.post(
        page(world, f"plans/{plan.id}/submit"),
        follow_redirects=False,
        data={"csrf_token": token, "note": "Klar", "version": "1"},
    )
    assert submitted.status_code == 303
    refused = client.post(
        page(world, f"plans/{plan.id}/decide"), data={"csrf_token": token, "decision": "approve"}
    )
    assert refused.status_code == 403
    login(client, "steering")
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert "Beslutning om version 1" in html and "(Styregruppen)" in html
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    empty = client.post(
        page(world, f"plans/{plan.id}/decide"),
        data={
            "csrf_token": token,
            "decision": "return",
            "comment": "",
            "meeting_id": "",
            "decision_date": "2013-02-26",
            "version": "2",
        },
    )
    assert empty.status_code == 422 and "Skriv styregruppens bemærkninger" in empty.text
    approved = client.post(
        page(world, f"plans/{plan.id}/decide"),
        follow_redirects=False,
        data={
            "csrf_token": token,
            "decision": "approve",
            "comment": "Godkendt",
            "meeting_id": "",
            "decision_date": "2013-02-26",
            "version": "2",
        },
    )
    assert approved.status_code == 303
    session.refresh(plan)
    assert plan.status == PlanStatus.approved
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert "beslutning nr. 1" in html and "Planen er uændret" in html


def test_new_draft_from_the_page_after_approval_and_diff_shows(client, world, session):
    plan = approved_plan(session, world)
    task = session.exec(select(Task)).one()
    login(client, "leader")
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    edited = client.post(
        page(world, f"plans/{plan.id}"),
        follow_redirects=False,
        data={"csrf_token": token, "title": "Ny titel", "version": str(plan.version)},
    )
    assert edited.status_code == 409 and "ny kladde" in edited.text
    client.post(
        page(world, f"tasks/{task.id}"),
        headers={"X-CSRF-Token": token} | HTMX,
        data={
            "title": task.title,
            "version": str(task.version),
            "group_id": str(world.group_a.id),
            "start_date": "2013-01-07",
            "due_date": "2013-03-14",
        },
    )
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert "Datoer flyttet" in html and "14.03.2013 (+14 dage)" in html


def test_leader_moves_a_milestone_forecast_inline_and_sees_the_slippage(client, world, session):
    planned = clock.today() + timedelta(days=30)
    m = make_milestone(session, world, planned_date=planned)
    headers = signed_in(client, world, "leader")
    edit = client.get(page(world, f"milestones/{m.id}/edit"), headers=headers)
    assert edit.status_code == 200 and 'name="forecast_date"' in edit.text
    forecast = planned + timedelta(days=14)
    answer = client.post(
        page(world, f"milestones/{m.id}"),
        headers=headers,
        data={
            "version": "1",
            "planned_date": planned.isoformat(),
            "forecast_date": forecast.isoformat(),
            "actual_date": "",
            "status": "planned",
        },
    )
    assert answer.status_code == 200
    assert "+14 dage (2 uger)" in answer.text
    session.refresh(m)
    assert m.forecast_date == forecast


def test_milestone_with_a_future_actual_date_rerenders_with_422(client, world, session):
    m = make_milestone(session, world)
    headers = signed_in(client, world, "leader")
    answer = client.post(
        page(world, f"milestones/{m.id}"),
        headers=headers,
        data={
            "version": "1",
            "planned_date": "2013-03-15",
            "forecast_date": "",
            "actual_date": "2099-01-01",
            "status": "planned",
        },
    )
    assert answer.status_code == 422 and "ligger i fremtiden" in answer.text
    session.refresh(m)
    assert m.actual_date is None


def test_group_member_cannot_edit_project_milestones_on_the_page(client, world, session):
    m = make_milestone(session, world, group_id=None)
    headers = signed_in(client, world, "member_a")
    assert client.get(page(world, f"milestones/{m.id}/edit"), headers=headers).status_code == 403
    html = client.get(page(world, "milestones")).text
    assert f'hx-get="/projects/{world.project.id}/milestones/{m.id}/edit"' not in html


def test_milestone_is_added_from_the_page(client, world, session):
    login(client, "leader")
    token = csrf_of(client, page(world, "milestones"))
    answer = client.post(
        page(world, "milestones"),
        follow_redirects=False,
        data={
            "csrf_token": token,
            "name": "Tilskudsperioden slutter",
            "group_id": "",
            "planned_date": "2013-07-01",
            "description": "",
        },
    )
    assert answer.status_code == 303
    assert session.exec(select(Milestone)).one().group_id is None


def test_meeting_rule_is_set_by_the_leader_only(client, world, session):
    login(client, "member_a")
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    refused = client.post(
        page(world, f"groups/{world.group_a.id}/meeting-rule"),
        data={"csrf_token": token, "meeting_interval_days": "28"},
    )
    assert refused.status_code == 403
    login(client, "leader")
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    answer = client.post(
        page(world, f"groups/{world.group_a.id}/meeting-rule"),
        follow_redirects=False,
        data={"csrf_token": token, "meeting_interval_days": "28", "version": "0"},
    )
    assert answer.status_code == 303
    assert "mindst hver 28. dag" in client.get(page(world, f"groups/{world.group_a.id}")).text


def test_forms_carry_the_csrf_token_and_directorate_sees_no_edit_buttons(client, world, session):
    make_task(session, world)
    make_plan(session, world)
    login(client, "leader")
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    token = csrf_of(client, page(world, "plans"))
    assert f'name="csrf_token" value="{token}"' in html
    assert "Log fremdrift" in html
    login(client, "directorate")
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert "Log fremdrift" not in html and "Indsend version" not in html
    assert "Opgaver, der ikke er forankret" not in client.get(page(world, "plans")).text


def test_a_group_with_many_tasks_shows_them_a_page_at_a_time(client, world, session):
    for n in range(30):
        make_task(session, world, title=f"Opgave {n:02d}", start_date=date(2013, 1, 1 + n))
    login(client, "member_a")
    first_page = client.get(page(world, f"groups/{world.group_a.id}")).text
    second_page = client.get(page(world, f"groups/{world.group_a.id}?page=2")).text
    # The rows (the form that adds a sub-task offers every task of the group as its parent).
    first = first_page.split('<table class="table ws-tasks')[1].split("</table>")[0]
    second = second_page.split('<table class="table ws-tasks')[1].split("</table>")[0]
    assert "Opgave 00" in first and "Opgave 24" in first and "Opgave 25" not in first
    assert "Side 1 af 2 (30 i alt)" in first_page
    assert "Opgave 25" in second and "Opgave 29" in second and "Opgave 24" not in second


def test_the_meeting_rule_page_refuses_a_second_first_rule_from_the_same_copy(
    client, world, session
):
    login(client, "leader")
    group_page = page(world, f"groups/{world.group_a.id}")
    html = client.get(group_page).text
    copy = re.search(r'/meeting-rule"[^>]*>.*?name="version" value="(\d+)"', html, re.S).group(1)
    assert copy == "0"  # a group without a rule
    token = csrf_of(client, group_page)
    rule = page(world, f"groups/{world.group_a.id}/meeting-rule")
    first = client.post(
        rule,
        follow_redirects=False,
        data={"csrf_token": token, "meeting_interval_days": "28", "version": copy},
    )
    assert first.status_code == 303
    second = client.post(
        rule, data={"csrf_token": token, "meeting_interval_days": "14", "version": copy}
    )
    assert second.status_code == 409
    # The page comes back with the error summary at the refused form; it takes focus (app.js),
    # so a phone scrolls to it.
    summary = second.text.index("data-error-summary")
    assert summary < second.text.index('/meeting-rule"') < second.text.index('id="opgaver"')
    assert "Posten er ændret af en anden, siden du hentede den" in second.text
    for version in ({}, {"version": ""}, {"version": "nul"}):
        refused = client.post(
            rule, data={"csrf_token": token, "meeting_interval_days": "14"} | version
        )
        assert refused.status_code == 422
        assert "Formularen mangler den version, ændringen er lavet ud fra" in refused.text
    assert "mindst hver 28. dag" in client.get(group_page).text


def test_plan_and_progress_forms_without_their_version_are_refused(client, world, session):
    task = make_task(session, world)
    plan = make_plan(session, world)
    headers = signed_in(client, world, "member_a")
    logged = client.post(
        page(world, f"tasks/{task.id}/log"), headers=headers, data={"text": "Uden version"}
    )
    assert logged.status_code == 422
    assert "Formularen mangler den version, ændringen er lavet ud fra" in logged.text
    submitted = client.post(
        page(world, f"plans/{plan.id}/submit"), headers=headers, data={"note": "Klar"}
    )
    assert submitted.status_code == 422
    assert "Formularen mangler den version, ændringen er lavet ud fra" in submitted.text
    assert count(session, ProgressEntry) == 0
    session.refresh(plan)
    assert plan.status == PlanStatus.draft
