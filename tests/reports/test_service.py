"""Status reports at the service level: drafting, editing, approving, issuing, freezing,
what changed since the last report, permissions and audit."""

import hashlib
from datetime import date

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.governance.models import Decision, Meeting
from app.reports import content as composer
from app.reports import service
from app.reports.models import ReportStatus, StatusReport, StatusReportFile
from app.reports.rag import Level, Tolerances
from app.reports.schemas import (
    ApproveIn,
    AskedOf,
    DecisionRequest,
    OverrideIn,
    StatusReportCreate,
    StatusReportUpdate,
)
from app.workstreams.models import Milestone
from tests.budget.factories import make_grant, record
from tests.factories import ProjectWorld
from tests.reports.factories import (
    access,
    approved_report,
    issued_report,
    make_report,
    submitted_report,
)
from tests.risks.factories import make_item
from tests.workstreams.factories import approved_plan, make_milestone, make_task


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "status_report", AuditEvent.action == action
            )
        ).all()
    )


def _count(session: Session) -> int:
    return len(session.exec(select(StatusReport)).all())


# Drafting


def test_the_leader_drafts_a_report_with_defaults(session: Session, world: ProjectWorld):
    report = service.create_report(
        session=session,
        by=access(session, world, "leader"),
        data=StatusReportCreate(report_date=date(2013, 3, 1)),
    )
    assert report.number == 1 and report.status == ReportStatus.draft
    assert report.period_end_date == date(2013, 3, 1)
    assert report.period_start_date == date(2012, 11, 30)  # 91 days: the project has no start
    assert report.next_period_end_date == date(2013, 5, 31)
    assert report.tolerances == Tolerances().model_dump()
    assert report.created_by_name == "Test Bruger"
    [event] = _events(session, "created")
    assert event.after["period_end_date"] == "2013-03-01"


def test_the_next_report_starts_after_the_last_issued_one_with_its_tolerances(
    session: Session, world: ProjectWorld
):
    first = issued_report(session, world, tolerances=Tolerances(milestone_red_weeks=6))
    second = service.create_report(
        session=session,
        by=access(session, world, "leader"),
        data=StatusReportCreate(report_date=date(2013, 5, 31)),
    )
    assert second.number == 2
    assert first.period_end_date == date(2013, 2, 28)
    assert second.period_start_date == date(2013, 3, 1)
    assert second.tolerances["milestone_red_weeks"] == 6


@pytest.mark.parametrize("name", ["steering", "member_a", "directorate", "secretariat"])
def test_only_the_leader_drafts(session: Session, world: ProjectWorld, name: str):
    with pytest.raises(Forbidden):
        service.create_report(
            session=session, by=access(session, world, name), data=StatusReportCreate()
        )
    assert _count(session) == 0


def test_one_report_at_a_time_until_it_is_issued(session: Session, world: ProjectWorld):
    make_report(session, world)
    with pytest.raises(Conflict) as error:
        make_report(session, world)
    assert "Statusrapport nr. 1 er endnu ikke udsendt" in error.value.message
    assert _count(session) == 1


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        (
            {"period_end_date": date(2012, 11, 30)},
            "period_end_date",
            "Periodens slutdato (30.11.2012) ligger før dens startdato (01.12.2012).",
        ),
        (
            {"report_date": date(2012, 11, 1)},
            "report_date",
            "Statusdatoen (01.11.2012) ligger før periodens startdato (01.12.2012).",
        ),
        (
            {"next_period_end_date": date(2013, 2, 28)},
            "next_period_end_date",
            "Næste periodes slutdato (28.02.2013) skal ligge efter periodens slutdato "
            "(28.02.2013).",
        ),
    ],
)
def test_dates_that_do_not_fit_are_refused(
    session: Session, world: ProjectWorld, values, field, text
):
    with pytest.raises(Invalid) as error:
        make_report(session, world, **values)
    assert (error.value.field, error.value.message) == (field, text)
    assert _count(session) == 0


# Editing


def test_texts_overrides_and_decisions(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    leader = access(session, world, "leader")
    report = service.update_report(
        session=session,
        by=leader,
        report_id=report.id,
        data=StatusReportUpdate(
            texts={"summary": "  Godt i gang.  "},
            overrides={"time": OverrideIn(level=Level.amber, justification="Aftalt med Regionen")},
            decisions_requested=[
                DecisionRequest(
                    asked_of=AskedOf.directorate, text="Temamøde", due_date=date(2013, 3, 19)
                )
            ],
            version=report.version,
        ),
    )
    assert report.version == 2
    assert report.texts["summary"] == "Godt i gang."
    assert report.overrides["time"]["justification"] == "Aftalt med Regionen"
    assert report.overrides["time"]["by"] == "Test Bruger"
    assert report.decisions_requested == [
        {"asked_of": "directorate", "text": "Temamøde", "due_date": "2013-03-19"}
    ]
    c = service.content_of(session=session, report=report)
    time = next(d for d in c["rag"]["dimensions"] if d["key"] == "time")
    assert (time["computed"], time["level"], time["overridden"]) == ("green", "amber", True)
    assert time["override"]["justification"] == "Aftalt med Regionen"
    assert c["rag"]["overall"]["level"] == "amber"
    assert c["decisions_requested"][0]["asked_of_label"] == "Direktionen"
    report = service.update_report(
        session=session,
        by=leader,
        report_id=report.id,
        data=StatusReportUpdate(overrides={"time": None}, version=report.version),
    )
    assert "time" not in report.overrides
    assert len(_events(session, "updated")) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"overrides": {"time": OverrideIn(level=Level.red, justification="  ")}},
            "overrides.time.justification",
        ),
        (
            {"overrides": {"weather": OverrideIn(level=Level.red, justification="x")}},
            "overrides.weather",
        ),
        ({"texts": {"gossip": "x"}}, "texts.gossip"),
        ({"texts": {"summary": "x" * 10_001}}, "texts.summary"),
        ({"decisions_requested": [DecisionRequest(text=" ")]}, "decisions_requested.0.text"),
    ],
)
def test_edits_that_break_a_rule_are_refused(session: Session, world: ProjectWorld, data, field):
    report = make_report(session, world)
    with pytest.raises(Invalid) as error:
        service.update_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            data=StatusReportUpdate(**data, version=report.version),
        )
    assert error.value.field == field
    session.rollback()
    assert session.get(StatusReport, report.id).version == 1


def test_the_override_message_names_the_light(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    with pytest.raises(Invalid) as error:
        service.update_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            data=StatusReportUpdate(
                overrides={f"group:{world.group_a.id}": OverrideIn(level=Level.red)},
                version=report.version,
            ),
        )
    assert error.value.message == (
        "Skriv en begrundelse, når du selv sætter trafiklyset for »Gruppe A«."
    )


def test_an_outdated_version_is_refused(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    with pytest.raises(Conflict):
        service.update_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            data=StatusReportUpdate(texts={"summary": "x"}, version=7),
        )


def test_reports_of_another_project_are_not_found(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    outsider = service.Access(
        user=world.users["outsider"],
        project_id=world.other_project.id,
        roles=frozenset({service.Role.project_leader}),
    )
    with pytest.raises(NotFound):
        service.update_report(
            session=session,
            by=outsider,
            report_id=report.id,
            data=StatusReportUpdate(texts={"summary": "x"}, version=report.version),
        )


# Approving and issuing


def test_the_steering_group_approves_and_the_decision_is_logged(
    session: Session, world: ProjectWorld
):
    report = submitted_report(session, world)
    with pytest.raises(Forbidden):
        service.approve_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            data=ApproveIn(),
        )
    meeting = Meeting(
        project_id=world.project.id, body_id=world.steering.id, meeting_date=date(2013, 3, 5)
    )
    session.add(meeting)
    session.commit()
    report = service.approve_report(
        session=session,
        by=access(session, world, "steering"),
        report_id=report.id,
        data=ApproveIn(comment="Godkendt", meeting_id=meeting.id, version=2),
    )
    assert report.status == ReportStatus.approved and report.approval_comment == "Godkendt"
    decision = session.get(Decision, report.decision_id)
    assert decision.title == ("Statusrapport nr. 1 (01.12.2012–28.02.2013) godkendt til udsendelse")
    assert decision.body_id == world.steering.id and decision.decision_date == date(2013, 3, 5)
    assert _events(session, "approved")[0].after["decision_number"] == decision.number
    with pytest.raises(Conflict):
        service.approve_report(
            session=session,
            by=access(session, world, "steering"),
            report_id=report.id,
            data=ApproveIn(),
        )


def test_approval_at_another_bodys_meeting_is_refused(session: Session, world: ProjectWorld):
    report = submitted_report(session, world)
    meeting = Meeting(
        project_id=world.project.id, body_id=world.group_a.id, meeting_date=date(2013, 3, 5)
    )
    session.add(meeting)
    session.commit()
    with pytest.raises(Invalid) as error:
        service.approve_report(
            session=session,
            by=access(session, world, "steering"),
            report_id=report.id,
            data=ApproveIn(meeting_id=meeting.id),
        )
    assert error.value.field == "meeting_id"
    session.rollback()
    assert session.exec(select(Decision)).all() == []


def test_editing_an_approved_report_withdraws_the_approval(session: Session, world: ProjectWorld):
    report = approved_report(session, world)
    report = service.update_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id,
        data=StatusReportUpdate(texts={"summary": "Rettet"}, version=report.version),
    )
    assert report.status == ReportStatus.draft and report.approved_at is None
    assert _events(session, "updated")[0].after["approval_withdrawn"] is True


def test_only_an_approved_report_is_issued_and_only_by_the_leader(
    session: Session, world: ProjectWorld
):
    report = make_report(session, world)
    with pytest.raises(Conflict) as error:
        service.issue_report(
            session=session, by=access(session, world, "leader"), report_id=report.id, version=None
        )
    assert error.value.message == "Rapporten skal godkendes af styregruppen, før den kan udsendes."
    report = service.submit_report(
        session=session, by=access(session, world, "leader"), report_id=report.id, version=None
    )
    report = service.approve_report(
        session=session,
        by=access(session, world, "steering"),
        report_id=report.id,
        data=ApproveIn(),
    )
    with pytest.raises(Forbidden):
        service.issue_report(
            session=session,
            by=access(session, world, "steering"),
            report_id=report.id,
            version=None,
        )
    assert session.exec(select(StatusReportFile)).all() == []


def test_issuing_freezes_the_report_and_its_pdf(session: Session, world: ProjectWorld):
    approved_plan(session, world)  # milestone "Arbejdsgange godkendt" 15.03.2013 in group A
    milestone = session.exec(select(Milestone)).one()
    report = issued_report(session, world)
    assert report.status == ReportStatus.issued and report.snapshot is not None
    stored = session.exec(select(StatusReportFile)).one()
    assert stored.sha256 == hashlib.sha256(stored.pdf).hexdigest()
    event = _events(session, "issued")[0]
    assert event.after["pdf_sha256"] == stored.sha256
    frozen = service.content_of(session=session, report=report)
    pdf = service.pdf_of(session=session, report=report)

    milestone.forecast_date = date(2013, 6, 28)  # slips 15 weeks after the report was issued
    session.add(milestone)
    session.commit()
    session.expire_all()
    report = session.get(StatusReport, report.id)
    assert service.content_of(session=session, report=report) == frozen
    assert service.pdf_of(session=session, report=report) == pdf
    live = composer.compose(session=session, report=report, made=date(2013, 3, 4))
    assert live["lights"]["time"] == "red" and frozen["lights"]["time"] == "green"

    with pytest.raises(Conflict):
        service.update_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            data=StatusReportUpdate(texts={"summary": "x"}, version=report.version),
        )
    with pytest.raises(Conflict):
        service.delete_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            version=report.version,
        )


def test_what_changed_since_the_previous_issued_report(session: Session, world: ProjectWorld):
    leader = access(session, world, "leader")
    approved_plan(session, world)
    grant = make_grant(session, leader)
    record(session, leader, grant, date="2013-01-15", amount="10000.00")
    first = issued_report(session, world)
    assert first.snapshot["changes"]["previous"] is None
    milestone = session.exec(select(Milestone)).one()
    milestone.forecast_date = date(2013, 5, 3)  # late, and still open on the report's day
    session.add(milestone)
    session.commit()
    record(session, leader, grant, date="2013-04-15", amount="2500.50")
    second = make_report(
        session,
        world,
        period_start_date=date(2013, 3, 1),
        period_end_date=date(2013, 5, 31),
        report_date=date(2013, 5, 31),
        next_period_end_date=date(2013, 8, 31),
    )
    changes = service.content_of(session=session, report=second)["changes"]
    assert changes["previous"]["number"] == 1
    assert {"label": "Tid", "before": "green", "after": "red"} in changes["status_changes"]
    assert changes["new_slippage"] == [
        {"name": "Arbejdsgange godkendt", "group": "Gruppe A", "before_days": 0, "after_days": 77}
    ]
    assert changes["spent_since_ore"] == 250_050


def test_the_content_covers_every_section(session: Session, world: ProjectWorld):
    leader = access(session, world, "leader")
    approved_plan(session, world)
    make_milestone(
        session,
        world,
        name="Reformen i kraft",
        group_id=None,
        planned_date=date(2013, 1, 1),
        actual_date=date(2013, 1, 2),
        status="reached",
    )
    make_milestone(
        session,
        world,
        name="Kursus afholdt",
        group_id=world.group_b.id,
        planned_date=date(2013, 4, 15),
    )
    make_task(session, world, title="Temadag", group_id=world.group_b.id, status="blocked")
    make_item(session, world.project, title="Ingen samarbejdsaftale", probability=5, consequence=3)
    make_grant(session, leader)
    report = make_report(session, world)
    c = service.content_of(session=session, report=report)
    assert [m["name"] for m in c["milestones"]["reached"]] == ["Reformen i kraft"]
    assert [m["name"] for m in c["next_period"]["milestones"]] == [
        "Arbejdsgange godkendt",
        "Kursus afholdt",
    ]
    assert [(p["group"], p["approved"]) for p in c["plans"]] == [
        ("Gruppe A", True),
        ("Gruppe B", False),
    ]
    assert c["tasks"]["blocked"][0]["title"] == "Temadag"
    assert c["risks"][0]["title"] == "Ingen samarbejdsaftale" and c["risks"][0]["score"] == 15
    assert c["lights"]["risks"] == "red"
    assert c["grants"][0]["granted_ore"] == 46_147_400
    assert c["project"]["municipality"] == "Testkommune"
    assert c["report"]["report_date"] == "2013-03-01"
    assert c["gantt_svg"].startswith("<svg")
    group_b = next(g for g in c["rag"]["groups"] if g["label"] == "Gruppe B")
    assert group_b["level"] == "amber"


# Reading


def test_the_directorate_reads_issued_reports_only(session: Session, world: ProjectWorld):
    issued = issued_report(session, world)
    draft = make_report(
        session,
        world,
        period_start_date=date(2013, 3, 1),
        period_end_date=date(2013, 5, 31),
        report_date=date(2013, 5, 31),
        next_period_end_date=date(2013, 8, 31),
    )
    directorate = access(session, world, "directorate")
    assert [r.id for r in service.list_reports(session=session, access=directorate)] == [issued.id]
    with pytest.raises(Forbidden):
        service.get_report(session=session, access=directorate, report_id=draft.id)
    assert service.get_report(session=session, access=directorate, report_id=issued.id) is issued
    member = access(session, world, "member_a")
    assert [r.id for r in service.list_reports(session=session, access=member)] == [
        draft.id,
        issued.id,
    ]


def test_a_draft_is_deleted_by_the_leader(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    with pytest.raises(Forbidden):
        service.delete_report(
            session=session, by=access(session, world, "steering"), report_id=report.id, version=1
        )
    service.delete_report(
        session=session, by=access(session, world, "leader"), report_id=report.id, version=1
    )
    assert _count(session) == 0
    assert _events(session, "deleted")[0].before["number"] == 1
