"""Who may approve on behalf of the body that approves plans or reports (issue 20): a holder of
the role »Styregruppemedlem« in the project, or a user whose person in the project sits in the
approving body as chair or member; not an ad hoc member, not the body's secretariat, nobody
else (docs/governance.md, »Who may approve«)."""

from datetime import date

import pytest
from sqlmodel import select

from app.auth.models import ProjectMember
from app.errors import Forbidden
from app.governance.bodies import acts_for
from app.governance.models import Body, BodyKind, MemberRole, Membership
from app.reports import service as reports
from app.reports.schemas import ApproveIn
from app.workstreams import plans
from app.workstreams.models import PlanStatus
from app.workstreams.schemas import PlanDecisionIn, PlanSubmit
from tests.factories import bearer, make_person
from tests.governance.factories import access
from tests.reports.factories import make_report, submitted_report
from tests.workstreams.factories import make_plan, make_task


def seat(session, world, username, body, role=MemberRole.member):
    """Link the user to a new person of the project who sits in `body` with `role`."""
    person = make_person(session, world.project, name=f"Person for {username}")
    session.add(Membership(body_id=body.id, person_id=person.id, role=role))
    for member in session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users[username].id)
    ):
        member.person_id = person.id
        session.add(member)
    session.commit()


def directorate(session, world) -> Body:
    return session.exec(
        select(Body).where(Body.project_id == world.project.id, Body.kind == BodyKind.directorate)
    ).one()


def submitted_plan(session, world):
    make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
    )
    return plan


def decide(session, world, who, plan):
    return plans.approve(
        session=session,
        by=access(session, world, who),
        plan_id=plan.id,
        data=PlanDecisionIn(comment="Godkendt", decision_date=date(2013, 3, 1)),
    )


def test_a_member_of_the_approving_body_approves_a_plan_without_the_steering_role(session, world):
    plan = submitted_plan(session, world)
    with pytest.raises(Forbidden) as refused:
        decide(session, world, "directorate", plan)
    assert refused.value.message == plans.DECIDE_REFUSED
    seat(session, world, "directorate", world.steering)
    assert decide(session, world, "directorate", plan).status == PlanStatus.approved


def test_the_steering_role_approves_for_whichever_body_approves_plans(session, world):
    committee = directorate(session, world)
    world.project.plan_approver_id = committee.id
    session.add(world.project)
    session.commit()
    plan = submitted_plan(session, world)
    # Sitting in the steering group is no longer enough: the committee approves now.
    seat(session, world, "directorate", world.steering)
    with pytest.raises(Forbidden):
        decide(session, world, "directorate", plan)
    assert decide(session, world, "steering", plan).status == PlanStatus.approved


@pytest.mark.parametrize("role", [MemberRole.ad_hoc, MemberRole.secretariat])
def test_an_ad_hoc_member_or_the_secretariat_does_not_approve(session, world, role):
    seat(session, world, "secretariat", world.steering, role=role)
    assert not acts_for(
        session=session, access=access(session, world, "secretariat"), body=world.steering
    )
    report = make_report(session, world)
    with pytest.raises(Forbidden) as refused:
        reports.approve_report(
            session=session,
            by=access(session, world, "secretariat"),
            report_id=report.id,
            data=ApproveIn(),
        )
    assert refused.value.message == reports.APPROVE_REFUSED


def test_a_chair_of_the_approving_body_approves_a_report(session, world):
    seat(session, world, "secretariat", world.steering, role=MemberRole.chair)
    report = submitted_report(session, world)
    approved = reports.approve_report(
        session=session,
        by=access(session, world, "secretariat"),
        report_id=report.id,
        data=ApproveIn(comment="Godkendt"),
    )
    assert approved.status == "approved"


def test_approving_over_http_for_members_and_the_refusal(client, world, session):
    plan = submitted_plan(session, world)
    path = f"/api/projects/{world.project.id}/plans/{plan.id}/approve"
    body = {"comment": "Godkendt", "version": plan.version}
    refused = client.post(path, json=body, headers=bearer(client, "directorate"))
    assert refused.status_code == 403
    assert refused.json()["detail"] == plans.DECIDE_REFUSED
    session.expire_all()
    assert session.get(type(plan), plan.id).status == PlanStatus.submitted
    seat(session, world, "directorate", world.steering)
    approved = client.post(path, json=body, headers=bearer(client, "directorate"))
    assert approved.status_code == 200, approved.text
    report = submitted_report(session, world)
    report_path = f"/api/projects/{world.project.id}/status-reports/{report.id}/approve"
    assert client.post(report_path, headers=bearer(client, "member_a")).status_code == 403
    seat(session, world, "secretariat", world.steering)
    answer = client.post(report_path, headers=bearer(client, "secretariat"))
    assert answer.status_code == 200, answer.text
