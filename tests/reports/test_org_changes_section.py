"""»Ændringer i organisationen« in a status report: the organisation's changes taking effect in
the report's period (01.12.2012–28.02.2013), in the JSON content, the HTML report and the PDF;
absent when there are none; kept as they were once the report is issued; reports frozen before
the section existed still render."""

import io
import re
from datetime import date

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app.governance import changes, memberships
from app.governance.models import MemberRole
from app.governance.schemas import MembershipCreate, OrganisationChangeCreate
from app.reports.models import StatusReport
from tests.factories import ProjectWorld, bearer, login, make_person
from tests.governance.factories import access
from tests.reports.factories import issued_report, make_report

HEADING = "Ændringer i organisationen"


def _pdf_text(document: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    return re.sub(r"\s+", " ", text)


def _url(world: ProjectWorld, report: StatusReport, tail: str = "") -> str:
    return f"/projects/{world.project.id}/reports/{report.id}{tail}"


def _content(client: TestClient, world: ProjectWorld, report: StatusReport) -> dict:
    return client.get(
        f"/api/projects/{world.project.id}/status-reports/{report.id}",
        headers=bearer(client, "leader"),
    ).json()["content"]


def _fill(session: Session, world: ProjectWorld) -> int:
    """A member seated from 15.01.2013 (inside the period), a change by hand from 28.02.2013 (its
    last day) and one from 01.03.2013 (after it); the manual change's id inside the period."""
    leader = access(session, world, "leader")
    person = make_person(session, world.project, name="Inge Inde")
    memberships.add_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        data=MembershipCreate(
            person_id=person.id, role=MemberRole.chair, effective_date=date(2013, 1, 15)
        ),
    )
    inside = changes.create_change(
        session=session,
        by=leader,
        data=OrganisationChangeCreate(
            effective_date=date(2013, 2, 28),
            body_id=world.management.id,
            description="Ny projektleder pr. 28.2.2013",
        ),
    )
    changes.create_change(
        session=session,
        by=leader,
        data=OrganisationChangeCreate(
            effective_date=date(2013, 3, 1), description="Ude-ændring efter perioden"
        ),
    )
    return inside.id or 0


def test_the_report_carries_the_changes_of_its_period(
    client: TestClient, session: Session, world: ProjectWorld
):
    _fill(session, world)
    report = make_report(session, world)
    content = _content(client, world, report)
    assert [
        (c["effective_date"], c["body"], c["kind"], c["kind_label"], c["description"])
        for c in content["organisation_changes"]
    ] == [
        (
            "2013-01-15",
            "Styregruppen",
            "member_joined",
            "Nyt medlem",
            "Inge Inde indtræder som formand.",
        ),
        (
            "2013-02-28",
            "Projektledelsen",
            "other",
            "Anden ændring",
            "Ny projektleder pr. 28.2.2013",
        ),
    ]
    login(client, "leader")
    page = client.get(_url(world, report)).text
    assert HEADING in page and 'aria-labelledby="rp-org-changes"' in page
    for shown in ("15.01.2013", "Inge Inde indtræder som formand.", "28.02.2013", "Nyt medlem"):
        assert shown in page
    assert "Ude-ændring efter perioden" not in page
    text = _pdf_text(client.get(_url(world, report, ".pdf")).content)
    assert HEADING in text and "Ny projektleder pr. 28.2.2013" in text
    assert "Ude-ændring" not in text


def test_no_changes_in_the_period_no_section(
    client: TestClient, session: Session, world: ProjectWorld
):
    changes.create_change(
        session=session,
        by=access(session, world, "leader"),
        data=OrganisationChangeCreate(effective_date=date(2013, 3, 1), description="Senere"),
    )
    report = make_report(session, world)
    assert _content(client, world, report)["organisation_changes"] == []
    login(client, "leader")
    page = client.get(_url(world, report)).text
    assert HEADING not in page and "rp-org-changes" not in page


def test_an_issued_report_keeps_its_changes_as_they_were(
    client: TestClient, session: Session, world: ProjectWorld
):
    inside = _fill(session, world)
    report = issued_report(session, world)
    assert len(report.snapshot["organisation_changes"]) == 2
    # Deleted and added after issuing: the frozen report does not change.
    leader = access(session, world, "leader")
    changes.delete_change(session=session, by=leader, change_id=inside)
    changes.create_change(
        session=session,
        by=leader,
        data=OrganisationChangeCreate(effective_date=date(2013, 1, 2), description="Efterskrevet"),
    )
    login(client, "leader")
    page = client.get(_url(world, report)).text
    assert "Ny projektleder pr. 28.2.2013" in page and "Efterskrevet" not in page
    text = _pdf_text(client.get(_url(world, report, ".pdf")).content)
    assert "Ny projektleder pr. 28.2.2013" in text and "Efterskrevet" not in text


def test_a_report_frozen_before_the_section_existed_still_renders(
    client: TestClient, session: Session, world: ProjectWorld
):
    _fill(session, world)
    report = issued_report(session, world)
    report.snapshot = {k: v for k, v in report.snapshot.items() if k != "organisation_changes"}
    session.add(report)
    session.commit()
    login(client, "leader")
    page = client.get(_url(world, report))
    assert page.status_code == 200 and HEADING not in page.text
    assert "organisation_changes" not in _content(client, world, report)
