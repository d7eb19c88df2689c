"""The template library's pages: the third way on /projects/new, a project saved as a template,
the library and a template's page."""

from sqlmodel import func, select

from app.governance.models import Project
from app.projecttemplates.models import ProjectTemplate
from tests.factories import csrf_of, login


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_new_project_page_offers_the_templates_and_creates_from_one(client, world, session):
    login(client, "admin")
    page = client.get("/projects/new")
    assert "Start fra en skabelon" in page.text
    assert '<option value="pilot"' in page.text and '<option value="handleplan"' in page.text
    token = csrf_of(client, "/projects/new")
    answer = client.post(
        "/projects/from-template",
        data={
            "csrf_token": token,
            "template": "handleplan",
            "name": "Handleplan for beskæftigelse",
            "municipality": "Norddjurs Kommune",
            "start_date": "2025-01-06",
            "project_leader_user_id": "",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    project = session.exec(
        select(Project).where(Project.name == "Handleplan for beskæftigelse")
    ).one()
    assert answer.headers["location"] == f"/projects/{project.id}/organisation"
    assert "Arbejdsmarkedsudvalget" in client.get(answer.headers["location"]).text


def test_a_refused_project_from_a_template_shows_the_form_with_its_messages(client, world, session):
    login(client, "admin")
    token = csrf_of(client, "/projects/new")
    before = count(session, Project)
    answer = client.post(
        "/projects/from-template",
        data={"csrf_token": token, "template": "pilot", "name": "X", "start_date": ""},
    )
    assert answer.status_code == 422
    assert 'class="error-summary"' in answer.text and "Startdato" in answer.text
    assert 'href="#tpl-start_date"' in answer.text
    assert '<option value="pilot" selected' in answer.text  # what was chosen is kept
    assert count(session, Project) == before
    without_token = client.post(
        "/projects/from-template",
        data={"template": "pilot", "name": "X", "start_date": "2025-01-06"},
    )
    assert without_token.status_code == 403
    assert count(session, Project) == before


def test_the_project_leader_saves_the_project_as_a_template(client, world, session):
    login(client, "leader")
    charter = client.get(f"/projects/{world.project.id}/organisation")
    assert f'href="/projects/{world.project.id}/save-as-template"' in charter.text
    form = client.get(f"/projects/{world.project.id}/save-as-template")
    assert form.status_code == 200 and 'value="Testprojekt"' in form.text
    token = csrf_of(client, f"/projects/{world.project.id}/save-as-template")
    refused = client.post(
        f"/projects/{world.project.id}/save-as-template",
        data={"csrf_token": token, "name": " ", "description": ""},
    )
    assert refused.status_code == 422 and "Skabelonens navn" in refused.text
    answer = client.post(
        f"/projects/{world.project.id}/save-as-template",
        data={"csrf_token": token, "name": "Testmodellen", "description": "To grupper"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    row = session.exec(select(ProjectTemplate)).one()
    assert answer.headers["location"] == f"/templates/saved-{row.id}"
    page = client.get(answer.headers["location"])
    assert "Testmodellen" in page.text and "Gruppe A" in page.text
    assert "Sanne Styr" not in page.text
    assert "Testmodellen" in client.get("/templates").text


def test_a_group_member_cannot_save_the_project_as_a_template(client, world, session):
    login(client, "member_a")
    assert client.get(f"/projects/{world.project.id}/save-as-template").status_code == 403
    token = csrf_of(client, "/")
    answer = client.post(
        f"/projects/{world.project.id}/save-as-template",
        data={"csrf_token": token, "name": "X"},
    )
    assert answer.status_code == 403
    assert count(session, ProjectTemplate) == 0


def test_a_builtin_template_shows_its_plan_in_tree_order(client, world):
    login(client, "leader")
    page = client.get("/templates/pilot")
    assert page.status_code == 200
    text = page.text
    assert (
        text.index("Planlægning")
        < text.index("Nedsæt indsatsgruppen")
        < text.index("Udvikling af samarbejdet med virksomhederne")
    )
    assert 'style="padding-left: 2.0rem">Nedsæt indsatsgruppen' in text and "Uden dato" in text
    assert "med eksterne samarbejdspartnere" in text
    assert "Opret et projekt fra skabelonen" not in text  # only the administrator creates
    assert client.get("/templates/saved-999").status_code == 404


def test_the_administrator_deletes_a_saved_template_from_the_library(client, world, session):
    session.add(ProjectTemplate(name="Gammel skabelon", document='{"project": {"name": "G"}}'))
    session.commit()
    row = session.exec(select(ProjectTemplate)).one()
    login(client, "admin")
    library = client.get("/templates")
    assert f'action="/templates/saved-{row.id}/delete"' in library.text
    assert 'action="/templates/pilot/delete"' not in library.text
    token = csrf_of(client, "/templates")
    answer = client.post(
        f"/templates/saved-{row.id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert count(session, ProjectTemplate) == 0
