"""Attachments over HTTP: the sections on the pages (htmx and without), the API, downloads, and
every refusal (type, size, name, rights, CSRF) changing nothing."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlmodel import Session, func, select

from app.attachments import storage
from app.attachments.models import Attachment
from app.config import Settings
from app.main import create_app
from tests.attachments import samples
from tests.conftest import SyncedClient
from tests.factories import bearer, csrf_of, login
from tests.governance.factories import make_decision, make_meeting
from tests.workstreams.factories import make_plan, make_task

HTMX = {"HX-Request": "true"}


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Attachment)).one()


def project(world, path: str = "") -> str:
    return f"/projects/{world.project.id}{path}"


def upload(client, world, page: str, owner: str, data: bytes, name: str = "referat.pdf", **kw):
    token = csrf_of(client, project(world, page))
    return client.post(
        project(world, f"{page}/attachments"),
        data={"csrf_token": token, "owner": owner},
        files={"file": (name, data, "application/octet-stream")},
        **kw,
    )


@pytest.fixture
def directory(attachments_dir: Path) -> Path:
    return attachments_dir


def test_a_group_member_attaches_a_file_to_a_task_and_everyone_on_the_project_downloads_it(
    client, world, session, directory
):
    task = make_task(session, world)
    group = project(world, f"/groups/{world.group_a.id}")
    login(client, "member_a")
    page = client.get(group)
    assert f'hx-get="{group}/attachments"' in page.text
    section = client.get(f"{group}/attachments", headers=HTMX)
    assert section.text.lstrip().startswith('<section id="attachments"')
    assert f'value="task:{task.id}"' in section.text
    added = upload(
        client,
        world,
        f"/groups/{world.group_a.id}",
        f"task:{task.id}",
        samples.PDF,
        name="../../Budget – Ærø.pdf",
        headers=HTMX,
    )
    assert added.status_code == 200, added.text
    assert "Budget – Ærø.pdf" in added.text and "HX-Trigger" in added.headers
    attachment = session.exec(select(Attachment)).one()
    assert attachment.file_name == "Budget – Ærø.pdf" and attachment.task_id == task.id
    assert storage.path_of(directory, attachment.sha256).read_bytes() == samples.PDF
    for name in ("directorate", "member_b", "steering"):
        client.cookies.clear()
        login(client, name)
        got = client.get(project(world, f"/attachments/{attachment.id}"))
        assert got.status_code == 200
        assert got.content == samples.PDF
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        disposition = got.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert f"filename*=UTF-8''{quote('Budget – Ærø.pdf', safe='')}" in disposition


def test_a_refused_type_shows_a_danish_422_next_to_the_form_and_keeps_nothing(
    client, world, session, directory
):
    decision = make_decision(session, world)
    login(client, "steering")
    refused = upload(
        client,
        world,
        f"/decisions/{decision.id}",
        f"decision:{decision.id}",
        samples.EXE,
        name="faktura.pdf",
        headers=HTMX,
    )
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<section id="attachments"')
    assert 'id="attachment-file-error"' in refused.text
    assert "Filtypen kan ikke modtages" in refused.text
    assert count(session) == 0
    assert list(storage.files(directory)) == []
    # Without htmx: the whole page, with the error summary.
    page = upload(
        client, world, f"/decisions/{decision.id}", f"decision:{decision.id}", samples.EXE
    )
    assert page.status_code == 422 and "Der er et problem" in page.text and "<html" in page.text


@pytest.fixture
def small_app(database_url: str):
    application = create_app(Settings(database_url=database_url, attachments_max_mb=1))
    yield application
    application.state.db.dispose()


def test_a_file_over_the_limit_gets_the_limit_by_name_and_the_body_is_not_kept(
    small_app, world, session, attachments_dir
):
    meeting = make_meeting(session, world)
    with SyncedClient(small_app, session) as client:
        login(client, "secretariat")
        big = b"%PDF-" + b"x" * (3 * 1024 * 1024)
        refused = upload(
            client, world, f"/meetings/{meeting.id}", f"meeting:{meeting.id}", big, headers=HTMX
        )
        assert refused.status_code == 422, refused.text
        assert "Filen er for stor. Et bilag må højst fylde 1 MB." in refused.text
        assert 'id="attachment-file-error"' in refused.text
        # Just under the limit goes through the same way.
        fits = upload(
            client,
            world,
            f"/meetings/{meeting.id}",
            f"meeting:{meeting.id}",
            b"%PDF-" + b"x" * (1024 * 1024 - 5),
            headers=HTMX,
        )
        assert fits.status_code == 200, fits.text
        headers = bearer(client, "secretariat")
        api = client.post(
            f"/api/projects/{world.project.id}/attachments",
            data={"owner_kind": "meeting", "owner_id": str(meeting.id)},
            files={"file": ("stor.pdf", big, "application/pdf")},
            headers=headers,
        )
        assert api.status_code == 422 and "højst fylde 1 MB" in api.text
    assert count(session) == 1
    assert len(list(storage.files(attachments_dir))) == 1


def test_the_api_uploads_lists_downloads_and_deletes(
    client, world, session, directory, monkeypatch
):
    monkeypatch.setattr(storage, "GRACE_SECONDS", 0)
    plan = make_plan(session, world)
    headers = bearer(client, "leader")
    base = f"/api/projects/{world.project.id}/attachments"
    created = client.post(
        base,
        data={"owner_kind": "plan", "owner_id": str(plan.id)},
        files={"file": ("plan.xlsx", samples.ooxml("spreadsheetml.sheet"), "text/html")},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["file_name"] == "plan.xlsx"
    assert body["content_type"] == storage.XLSX and body["owner_kind"] == "plan"
    listed = client.get(base, params={"owner_kind": "plan", "owner_id": plan.id}, headers=headers)
    assert [a["id"] for a in listed.json()] == [body["id"]]
    got = client.get(f"{base}/{body['id']}", headers=headers)
    assert got.status_code == 200 and got.headers["content-type"] == storage.XLSX
    unknown_kind = client.post(
        base,
        data={"owner_kind": "project", "owner_id": "1"},
        files={"file": ("a.pdf", samples.PDF, "application/pdf")},
        headers=headers,
    )
    assert unknown_kind.status_code == 422
    assert client.delete(f"{base}/{body['id']}", headers=headers).status_code == 204
    assert count(session) == 0
    assert list(storage.files(directory)) == []


def test_refusals_change_nothing(client, world, session, directory):
    task_a = make_task(session, world)
    other = make_meeting(session, world, project_id=world.other_project.id)
    login(client, "member_b")
    refused = upload(
        client,
        world,
        f"/groups/{world.group_a.id}",
        f"task:{task_a.id}",
        samples.PDF,
        headers=HTMX,
    )
    assert refused.status_code == 403
    assert "Kun projektlederen og gruppens medlemmer" in refused.text
    # An owner of another project is not found from this one.
    client.cookies.clear()
    login(client, "leader")
    elsewhere = upload(
        client,
        world,
        f"/groups/{world.group_a.id}",
        f"meeting:{other.id}",
        samples.PDF,
        headers=HTMX,
    )
    assert elsewhere.status_code == 404
    # No CSRF token: refused before anything is read.
    no_token = client.post(
        project(world, f"/groups/{world.group_a.id}/attachments"),
        data={"owner": f"task:{task_a.id}"},
        files={"file": ("a.pdf", samples.PDF, "application/pdf")},
    )
    assert no_token.status_code == 403
    assert count(session) == 0
    assert list(storage.files(directory)) == []


def test_a_non_member_reads_nothing_and_another_projects_attachment_is_not_found(
    client, world, session
):
    task = make_task(session, world)
    login(client, "leader")
    upload(client, world, f"/groups/{world.group_a.id}", f"task:{task.id}", samples.PDF)
    attachment = session.exec(select(Attachment)).one()
    client.cookies.clear()
    login(client, "outsider")
    assert client.get(project(world, f"/attachments/{attachment.id}")).status_code == 403
    assert client.get(project(world, f"/groups/{world.group_a.id}/attachments")).status_code == 403
    # The outsider leads the other project: the attachment is not found from there.
    there = f"/projects/{world.other_project.id}/attachments/{attachment.id}"
    assert client.get(there).status_code == 404
    api = client.get(
        f"/api/projects/{world.other_project.id}/attachments/{attachment.id}",
        headers=bearer(client, "outsider"),
    )
    assert api.status_code == 404


def test_the_secretariat_attaches_to_an_agenda_item_and_deletes_it_on_the_meeting_page(
    client, world, session
):
    meeting = make_meeting(session, world)
    login(client, "secretariat")
    token = csrf_of(client, project(world, f"/meetings/{meeting.id}"))
    client.post(
        project(world, f"/meetings/{meeting.id}/agenda"),
        data={"csrf_token": token, "title": "Budgetopfølgning"},
    )
    section = client.get(project(world, f"/meetings/{meeting.id}/attachments"), headers=HTMX)
    item_ref = re.search(r'value="(agenda_item:\d+)"', section.text).group(1)
    added = upload(
        client,
        world,
        f"/meetings/{meeting.id}",
        item_ref,
        samples.TEXT,
        name="noter.txt",
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert added.headers["location"].endswith(f"/meetings/{meeting.id}#attachments")
    page = client.get(project(world, f"/meetings/{meeting.id}/attachments"))
    assert "Punkt 1: Budgetopfølgning" in page.text and "noter.txt" in page.text
    attachment = session.exec(select(Attachment)).one()
    deleted = client.post(
        project(world, f"/attachments/{attachment.id}/delete"),
        data={"csrf_token": token},
        headers=HTMX,
    )
    assert deleted.status_code == 200
    assert "Der er ingen bilag endnu." in deleted.text
    assert count(session) == 0
    # The directorate reads the section, without the forms.
    client.cookies.clear()
    login(client, "directorate")
    read = client.get(project(world, f"/meetings/{meeting.id}/attachments"), headers=HTMX)
    assert read.status_code == 200 and "<form" not in read.text


def test_the_sections_load_on_the_decision_and_meeting_pages(client, world, session):
    meeting = make_meeting(session, world)
    decision = make_decision(session, world)
    login(client, "directorate")
    for path in (f"/meetings/{meeting.id}", f"/decisions/{decision.id}"):
        page = client.get(project(world, path))
        assert page.status_code == 200
        assert f'hx-get="{project(world, path)}/attachments"' in page.text


def test_the_meeting_pack_lists_the_meetings_and_its_items_attachments(client, world, session):
    meeting = make_meeting(session, world)
    login(client, "secretariat")
    token = csrf_of(client, project(world, f"/meetings/{meeting.id}"))
    client.post(
        project(world, f"/meetings/{meeting.id}/agenda"),
        data={"csrf_token": token, "title": "Budgetopfølgning"},
    )
    section = client.get(project(world, f"/meetings/{meeting.id}/attachments"), headers=HTMX)
    item_ref = re.search(r'value="(agenda_item:\d+)"', section.text).group(1)
    upload(client, world, f"/meetings/{meeting.id}", item_ref, samples.PDF, name="budget.pdf")
    upload(client, world, f"/meetings/{meeting.id}", f"meeting:{meeting.id}", samples.TEXT)
    pack = client.get(
        f"/api/projects/{world.project.id}/meetings/{meeting.id}/pack",
        headers=bearer(client, "leader"),
    )
    assert pack.status_code == 200, pack.text
    listed = [(a["owner"], a["file_name"]) for a in pack.json()["attachments"]]
    assert listed == [
        ("Mødet 27.11.2012 (Styregruppen)", "referat.pdf"),
        ("Punkt 1: Budgetopfølgning", "budget.pdf"),
    ]
    page = client.get(project(world, f"/meetings/{meeting.id}/pack"))
    assert "budget.pdf" in page.text and 'id="pk-attachments"' in page.text


def test_one_route_pair_serves_the_three_pages_and_the_owner_decides_who_uploads(
    client, world, session
):
    """/projects/{id}/<page>/{owner}/attachments answers for meetings, decisions and groups only;
    who may upload is the owner's rule, whichever page the form is on."""
    meeting = make_meeting(session, world)
    decision = make_decision(session, world)
    login(client, "member_a")
    for page in (f"/meetings/{meeting.id}", f"/decisions/{decision.id}"):
        assert client.get(project(world, f"{page}/attachments")).status_code == 200
    for other in (f"/plans/{world.group_a.id}", f"/tasks/{world.group_a.id}", "/risks/1"):
        assert client.get(project(world, f"{other}/attachments")).status_code == 404
    meeting_refused = upload(
        client, world, f"/meetings/{meeting.id}", f"meeting:{meeting.id}", samples.PDF
    )
    decision_refused = upload(
        client, world, f"/decisions/{decision.id}", f"decision:{decision.id}", samples.PDF
    )
    assert meeting_refused.status_code == 403
    assert decision_refused.status_code == 403
    assert count(session) == 0
    client.cookies.clear()
    login(client, "secretariat")
    added = upload(client, world, f"/meetings/{meeting.id}", f"meeting:{meeting.id}", samples.PDF)
    assert added.status_code == 200 and count(session) == 1
