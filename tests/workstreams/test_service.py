from datetime import date

import pytest
from pydantic import ValidationError
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid
from app.governance.models import Decision
from app.workstreams import baselines, compliance, milestones, plans, progress
from app.workstreams import tasks as workstreams_tasks
from app.workstreams.models import (
    Milestone,
    MilestoneStatus,
    PlanStatus,
    PlanVersion,
    ProgressEntry,
    Task,
    TaskDependency,
    TaskStatus,
)
from app.workstreams.schemas import (
    GroupSettingUpdate,
    MilestoneUpdate,
    PlanDecisionIn,
    PlanSubmit,
    PlanUpdate,
    ProgressEntryCreate,
    TaskUpdate,
)
from tests.factories import make_person
from tests.workstreams.factories import (
    ON,
    access,
    approved_plan,
    make_meeting,
    make_milestone,
    make_plan,
    make_task,
)


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def events(session, action: str, entity: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action, AuditEvent.entity == entity)
        ).all()
    )


# Tasks


def test_leader_and_own_group_member_create_tasks_with_an_audit_event(session, world):
    make_task(session, world, by="leader", title="A")
    task = make_task(session, world, by="member_a", title="B")
    assert task.group_id == world.group_a.id and task.version == 1
    assert len(events(session, "created", "task")) == 2


@pytest.mark.parametrize(
    "name, group",
    [
        ("member_a", "group_b"),
        ("member_a", None),
        ("steering", "group_a"),
        ("directorate", "group_a"),
    ],
)
def test_others_may_not_create_tasks_and_nothing_is_stored(session, world, name, group):
    group_id = getattr(world, group).id if group else None
    with pytest.raises(Forbidden):
        make_task(session, world, by=name, group_id=group_id)
    assert count(session, Task) == 0


def test_due_date_before_start_is_refused_with_both_dates(session, world):
    with pytest.raises(Invalid) as exc:
        make_task(session, world, start_date=date(2013, 2, 1), due_date=date(2013, 1, 31))
    assert exc.value.field == "due_date"
    assert exc.value.message == "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013)."
    assert count(session, Task) == 0


def test_group_and_owner_must_belong_to_the_project(session, world):
    foreign = make_person(session, world.other_project)
    with pytest.raises(Invalid) as exc:
        make_task(session, world, owner_person_id=foreign.id)
    assert exc.value.field == "owner_person_id"
    with pytest.raises(Invalid) as exc:
        make_task(session, world, group_id=world.steering.id)
    assert exc.value.field == "group_id"
    assert count(session, Task) == 0


def test_progress_above_100_is_refused_by_the_service_too(session, world):
    task = make_task(session, world)
    data = TaskUpdate.model_construct(progress=140, version=1)
    with pytest.raises(Invalid) as exc:
        workstreams_tasks.update_task(
            session=session, by=access(session, world, "leader"), task_id=task.id, data=data
        )
    assert exc.value.field == "progress" and "140" in exc.value.message
    session.refresh(task)
    assert task.progress == 0 and task.version == 1


def test_a_dependency_cycle_is_refused_naming_the_tasks(session, world):
    a = make_task(session, world, title="Kortlægning")
    b = make_task(session, world, title="Arbejdsgange", depends_on=[a.id])
    c = make_task(session, world, title="Samarbejdsaftale", depends_on=[b.id])
    with pytest.raises(Invalid) as exc:
        workstreams_tasks.update_task(
            session=session,
            by=access(session, world, "leader"),
            task_id=a.id,
            data=TaskUpdate(depends_on=[c.id], version=a.version),
        )
    assert exc.value.field == "depends_on"
    assert "»Kortlægning« → »Samarbejdsaftale« → »Arbejdsgange« → »Kortlægning«" in (
        exc.value.message
    )
    assert session.exec(select(TaskDependency).where(TaskDependency.task_id == a.id)).all() == []
    with pytest.raises(Invalid, match="sig selv"):
        workstreams_tasks.update_task(
            session=session,
            by=access(session, world, "leader"),
            task_id=a.id,
            data=TaskUpdate(depends_on=[a.id], version=a.version),
        )


def test_an_outdated_version_is_refused_and_nothing_changes(session, world):
    task = make_task(session, world, title="Før")
    by = access(session, world, "member_a")
    workstreams_tasks.update_task(
        session=session, by=by, task_id=task.id, data=TaskUpdate(title="Første", version=1)
    )
    with pytest.raises(Conflict):
        workstreams_tasks.update_task(
            session=session, by=by, task_id=task.id, data=TaskUpdate(title="Anden", version=1)
        )
    session.refresh(task)
    assert task.title == "Første" and task.version == 2


def test_member_may_not_edit_or_move_tasks_outside_their_group(session, world):
    task_b = make_task(session, world, group_id=world.group_b.id, title="B's")
    task_a = make_task(session, world, title="A's")
    by = access(session, world, "member_a")
    with pytest.raises(Forbidden):
        workstreams_tasks.update_task(
            session=session, by=by, task_id=task_b.id, data=TaskUpdate(title="Overtaget", version=1)
        )
    with pytest.raises(Forbidden):
        workstreams_tasks.update_task(
            session=session,
            by=by,
            task_id=task_a.id,
            data=TaskUpdate(group_id=world.group_b.id, version=1),
        )
    session.refresh(task_b)
    session.refresh(task_a)
    assert task_b.title == "B's" and task_a.group_id == world.group_a.id


def test_status_changes_date_blocking_and_completion(session, world):
    task = make_task(session, world)
    by = access(session, world, "member_a")
    workstreams_tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(status=TaskStatus.blocked, version=1),
        on=date(2013, 2, 1),
    )
    assert task.blocked_since_date == date(2013, 2, 1)
    workstreams_tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(status=TaskStatus.done, version=2),
        on=date(2013, 2, 20),
    )
    assert (task.blocked_since_date, task.completed_date, task.progress) == (
        None,
        date(2013, 2, 20),
        100,
    )
    with pytest.raises(Invalid, match="100 %"):
        workstreams_tasks.update_task(
            session=session,
            by=by,
            task_id=task.id,
            data=TaskUpdate(status=TaskStatus.done, progress=50, version=3),
        )


def test_logging_progress_adds_an_entry_and_moves_the_task_on(session, world):
    task = make_task(session, world)
    entry = progress.log_progress(
        session=session,
        by=access(session, world, "member_a"),
        task_id=task.id,
        data=ProgressEntryCreate(text="Første udkast sendt til høring", progress=30, version=1),
        on=ON,
    )
    session.refresh(task)
    assert (task.status, task.progress, task.version) == (TaskStatus.in_progress, 30, 2)
    assert (entry.username, entry.new_status, entry.new_progress) == (
        "member_a",
        TaskStatus.in_progress,
        30,
    )
    assert events(session, "progress_logged", "task")[0].after["text"] == (
        "Første udkast sendt til høring"
    )


def test_a_task_shows_the_newest_entries_of_a_long_log(session, world):
    tasks = [make_task(session, world, title=f"Opgave {n}") for n in (1, 2)]
    member = access(session, world, "member_a")
    for n in range(8):
        for task in tasks:
            progress.log_progress(
                session=session,
                by=member,
                task_id=task.id,
                data=ProgressEntryCreate(text=f"Status {n}", progress=n * 10, version=n + 1),
                on=ON,
            )
    views = workstreams_tasks.describe_tasks(
        session=session, tasks=tasks, project_id=world.project.id, with_log=5
    )
    for view in views:
        assert [e.text for e in view.entries] == [f"Status {n}" for n in (7, 6, 5, 4, 3)]


def test_logging_is_refused_for_other_groups_and_when_empty(session, world):
    task = make_task(session, world)
    with pytest.raises(Forbidden):
        progress.log_progress(
            session=session,
            by=access(session, world, "member_b"),
            task_id=task.id,
            data=ProgressEntryCreate(text="Hej"),
        )
    with pytest.raises(Invalid) as exc:
        progress.log_progress(
            session=session,
            by=access(session, world, "member_a"),
            task_id=task.id,
            data=ProgressEntryCreate(text=""),
        )
    assert exc.value.field == "text"
    with pytest.raises(Conflict):
        progress.log_progress(
            session=session,
            by=access(session, world, "member_a"),
            task_id=task.id,
            data=ProgressEntryCreate(text="x", version=7),
        )
    assert count(session, ProgressEntry) == 0


def test_lists_filter_and_describe_without_a_query_per_row(session, world):
    a = make_task(session, world, title="A", due_date=date(2013, 2, 1))
    make_task(
        session,
        world,
        title="B",
        group_id=world.group_b.id,
        depends_on=[a.id],
        start_date=date(2013, 6, 1),
        due_date=date(2013, 7, 1),
    )
    make_task(session, world, title="Løs", group_id=None, start_date=None, due_date=None)
    pid = world.project.id
    views, total = workstreams_tasks.list_tasks(session=session, project_id=pid, on=ON)
    assert total == 3 and [v.task.title for v in views] == ["A", "B", "Løs"]
    assert views[0].overdue and views[0].group_name == "Gruppe A"
    assert views[1].depends_on == [a.id]
    assert [
        v.task.title
        for v in workstreams_tasks.list_tasks(session=session, project_id=pid, unanchored=True)[0]
    ] == ["Løs"]
    assert [
        v.task.title
        for v in workstreams_tasks.list_tasks(session=session, project_id=pid, overdue_on=ON)[0]
    ] == ["A"]
    in_may = workstreams_tasks.list_tasks(
        session=session, project_id=pid, period_start=date(2013, 5, 1), period_end=date(2013, 5, 31)
    )[0]
    assert [v.task.title for v in in_may] == ["Løs"]
    page, total = workstreams_tasks.list_tasks(session=session, project_id=pid, offset=1, limit=1)
    assert total == 3 and [v.task.title for v in page] == ["B"]


def test_deleting_a_task_removes_its_log(session, world):
    task = make_task(session, world)
    progress.log_progress(
        session=session,
        by=access(session, world, "leader"),
        task_id=task.id,
        data=ProgressEntryCreate(text="Startet"),
    )
    workstreams_tasks.delete_task(
        session=session, by=access(session, world, "leader"), task_id=task.id, version=task.version
    )
    assert count(session, Task) == 0 and count(session, ProgressEntry) == 0
    assert events(session, "deleted", "task")


# Milestones


def test_forecast_after_the_baseline_is_slippage_in_days_and_weeks(session, world):
    m = make_milestone(session, world, planned_date=date(2013, 3, 15))
    milestones.update_milestone(
        session=session,
        by=access(session, world, "leader"),
        milestone_id=m.id,
        data=MilestoneUpdate(forecast_date=date(2013, 3, 25), version=1),
        on=ON,
    )
    view = milestones.milestone_view(
        session=session, project_id=world.project.id, milestone_id=m.id, on=ON
    )
    assert (view.slippage_days, view.slippage_weeks, view.health) == (10, 1.4, "slipping")
    overdue = milestones.milestone_view(
        session=session, project_id=world.project.id, milestone_id=m.id, on=date(2013, 4, 1)
    )
    assert overdue.health == "overdue" and overdue.health_label == "Overskredet"


def test_an_actual_date_reaches_the_milestone_and_must_not_be_in_the_future(session, world):
    m = make_milestone(session, world, planned_date=date(2013, 2, 15))
    by = access(session, world, "member_a")
    with pytest.raises(Invalid) as exc:
        milestones.update_milestone(
            session=session,
            by=by,
            milestone_id=m.id,
            data=MilestoneUpdate(actual_date=date(2013, 3, 2), version=1),
            on=ON,
        )
    assert exc.value.field == "actual_date"
    with pytest.raises(Invalid, match="faktiske dato"):
        milestones.update_milestone(
            session=session,
            by=by,
            milestone_id=m.id,
            data=MilestoneUpdate(status=MilestoneStatus.reached, version=1),
            on=ON,
        )
    milestones.update_milestone(
        session=session,
        by=by,
        milestone_id=m.id,
        data=MilestoneUpdate(actual_date=date(2013, 2, 20), version=1),
        on=ON,
    )
    view = milestones.milestone_view(
        session=session, project_id=world.project.id, milestone_id=m.id, on=ON
    )
    assert (m.status, view.health, view.slippage_days) == (
        MilestoneStatus.reached,
        "reached_late",
        5,
    )


def test_milestone_permissions_and_concurrency(session, world):
    with pytest.raises(Forbidden):
        make_milestone(session, world, by="member_a", group_id=None)
    with pytest.raises(Forbidden):
        make_milestone(session, world, by="member_b")
    m = make_milestone(session, world, by="member_a")
    project_wide = make_milestone(session, world, group_id=None, name="Loven træder i kraft")
    with pytest.raises(Forbidden):
        milestones.update_milestone(
            session=session,
            by=access(session, world, "member_a"),
            milestone_id=project_wide.id,
            data=MilestoneUpdate(forecast_date=date(2013, 2, 1), version=1),
        )
    with pytest.raises(Conflict):
        milestones.update_milestone(
            session=session,
            by=access(session, world, "leader"),
            milestone_id=m.id,
            data=MilestoneUpdate(forecast_date=date(2013, 4, 1), version=9),
        )
    assert count(session, Milestone) == 2 and m.forecast_date is None


# Plans


def test_a_group_has_one_plan_and_only_its_members_start_it(session, world):
    with pytest.raises(Forbidden):
        make_plan(session, world, world.group_a, by="member_b")
    plan = make_plan(session, world, world.group_a, by="member_a")
    assert plan.status == PlanStatus.draft and plan.title.endswith("Gruppe A")
    with pytest.raises(Conflict):
        make_plan(session, world, world.group_a)


def test_submitting_freezes_the_tasks_and_milestones(session, world):
    plan = make_plan(session, world)
    by = access(session, world, "member_a")
    with pytest.raises(Invalid, match="hverken opgaver eller milepæle"):
        plans.submit(session=session, by=by, plan_id=plan.id, data=PlanSubmit())
    task = make_task(session, world, title="Kortlæg", start_date=date(2013, 1, 7))
    make_milestone(session, world, name="Klar", planned_date=date(2013, 3, 15))
    version = plans.submit(
        session=session, by=by, plan_id=plan.id, data=PlanSubmit(note="Klar til behandling")
    )
    assert version.status == PlanStatus.submitted and plan.status == PlanStatus.submitted
    assert version.snapshot["tasks"] == [
        {
            "id": task.id,
            "title": "Kortlæg",
            "owner": "",
            "start_date": "2013-01-07",
            "due_date": "2013-02-28",
        }
    ]
    assert version.snapshot["milestones"][0]["planned_date"] == "2013-03-15"
    with pytest.raises(Conflict):
        plans.submit(session=session, by=by, plan_id=plan.id, data=PlanSubmit())


def test_only_steering_members_approve_and_the_decision_is_logged(session, world):
    make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "member_a"), plan_id=plan.id, data=PlanSubmit()
    )
    for name in ("leader", "member_a", "directorate"):
        with pytest.raises(Forbidden):
            plans.approve(
                session=session,
                by=access(session, world, name),
                plan_id=plan.id,
                data=PlanDecisionIn(),
            )
    assert count(session, Decision) == 0
    meeting = make_meeting(session, world, world.steering, date(2013, 2, 26), False)
    version = plans.approve(
        session=session,
        by=access(session, world, "steering"),
        plan_id=plan.id,
        data=PlanDecisionIn(
            comment="Godkendt.", meeting_id=meeting.id, decision_date=date(2013, 2, 26)
        ),
    )
    decision = session.get(Decision, version.decision_id)
    assert (decision.kind, decision.body_id, decision.meeting_id, decision.number) == (
        "plan_approval",
        world.steering.id,
        meeting.id,
        1,
    )
    assert "Gruppe A, version 1, godkendt" in decision.title
    assert plan.status == PlanStatus.approved and version.decided_by_name == "Test Bruger"
    # One use case, one audit event: the plan's event names the decision it was recorded as.
    [approved] = events(session, "approved", "plan")
    assert approved.after["decision_number"] == 1
    assert events(session, "recorded", "decision") == []


def test_approving_refuses_a_meeting_of_another_body_and_stores_nothing(session, world):
    make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
    )
    meeting = make_meeting(session, world, world.group_a, date(2013, 2, 26))
    with pytest.raises(Invalid) as exc:
        plans.approve(
            session=session,
            by=access(session, world, "steering"),
            plan_id=plan.id,
            data=PlanDecisionIn(meeting_id=meeting.id),
        )
    assert exc.value.field == "meeting_id"
    assert count(session, Decision) == 0 and plan.status == PlanStatus.submitted


def test_returning_needs_a_comment_and_is_logged(session, world):
    make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
    )
    steering = access(session, world, "steering")
    with pytest.raises(Invalid) as exc:
        plans.return_plan(
            session=session, by=steering, plan_id=plan.id, data=PlanDecisionIn(comment="  ")
        )
    assert exc.value.field == "comment" and count(session, Decision) == 0
    version = plans.return_plan(
        session=session,
        by=steering,
        plan_id=plan.id,
        data=PlanDecisionIn(comment="Mangler samarbejdsaftalen med Regionen."),
    )
    assert version.status == PlanStatus.returned and plan.status == PlanStatus.returned
    assert session.get(Decision, version.decision_id).kind == "plan_return"
    with pytest.raises(Conflict, match="afventer ikke"):
        plans.approve(session=session, by=steering, plan_id=plan.id, data=PlanDecisionIn())


def test_an_approved_version_cannot_be_edited_a_new_draft_can(session, world):
    plan = approved_plan(session, world)
    by = access(session, world, "member_a")
    with pytest.raises(Conflict) as exc:
        plans.update_plan(
            session=session,
            by=by,
            plan_id=plan.id,
            data=PlanUpdate(title="Ny titel", version=plan.version),
        )
    assert "ny kladde" in exc.value.message and plan.title != "Ny titel"
    plans.update_plan(
        session=session,
        by=by,
        plan_id=plan.id,
        data=PlanUpdate(status=PlanStatus.draft, title="Ny titel", version=plan.version),
    )
    versions = plans.versions_of(session=session, plan_ids=[plan.id])[plan.id]
    assert [(v.number, v.status) for v in versions] == [
        (1, PlanStatus.approved),
        (2, PlanStatus.draft),
    ]
    assert plan.title == "Ny titel" and plan.status == PlanStatus.draft
    with pytest.raises(Invalid):
        plans.update_plan(
            session=session,
            by=by,
            plan_id=plan.id,
            data=PlanUpdate(status=PlanStatus.approved, version=plan.version),
        )


def test_changes_after_approval_make_a_draft_and_show_against_the_baseline(session, world):
    plan = approved_plan(session, world)
    by = access(session, world, "member_a")
    task = session.exec(select(Task)).one()
    milestone = session.exec(select(Milestone)).one()
    progress.log_progress(
        session=session,
        by=by,
        task_id=task.id,
        data=ProgressEntryCreate(text="Godt i gang", progress=50),
    )
    assert plan.status == PlanStatus.approved  # progress is not a change to the plan
    workstreams_tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(due_date=date(2013, 3, 14), version=task.version),
    )
    assert plan.status == PlanStatus.draft
    make_task(session, world, by="member_a", title="Ny opgave")
    milestones.delete_milestone(
        session=session, by=by, milestone_id=milestone.id, version=milestone.version
    )
    versions = plans.versions_of(session=session, plan_ids=[plan.id])[plan.id]
    assert [v.number for v in versions] == [1, 2]  # one draft for all the changes
    changes = baselines.diff(
        versions[0].snapshot, baselines.snapshot_of(session=session, plan=plan)
    )
    summary = {(c.kind, c.title, c.change) for c in changes}
    assert summary == {
        ("task", "Kortlæg arbejdsgange", "moved"),
        ("task", "Ny opgave", "added"),
        ("milestone", "Arbejdsgange godkendt", "removed"),
    }
    moved = next(c for c in changes if c.change == "moved")
    assert moved.fields == [
        {
            "field": "due_date",
            "label": "Slut",
            "before": date(2013, 2, 28),
            "after": date(2013, 3, 14),
            "days": 14,
        }
    ]
    view = workstreams_tasks.task_view(
        session=session, project_id=world.project.id, task_id=task.id
    )
    assert view.baseline_due_date == date(2013, 2, 28) and view.due_moved_days == 14


def test_a_change_while_submitted_makes_a_draft_and_the_submitted_one_is_still_decided(
    session, world
):
    task = make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
    )
    workstreams_tasks.update_task(
        session=session,
        by=access(session, world, "member_a"),
        task_id=task.id,
        data=TaskUpdate(title="Omdøbt", version=task.version),
    )
    assert plan.status == PlanStatus.draft
    with pytest.raises(Conflict, match="afventer stadig"):
        plans.submit(
            session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
        )
    version = plans.approve(
        session=session,
        by=access(session, world, "steering"),
        plan_id=plan.id,
        data=PlanDecisionIn(),
    )
    assert version.number == 1 and plan.status == PlanStatus.draft
    assert version.snapshot["tasks"][0]["title"] == "Kortlæg arbejdsgange"


def test_only_never_submitted_plans_are_deleted(session, world):
    plan = approved_plan(session, world)
    with pytest.raises(Conflict):
        plans.delete_plan(
            session=session,
            by=access(session, world, "leader"),
            plan_id=plan.id,
            version=plan.version,
        )
    draft = make_plan(session, world, world.group_b)
    plans.delete_plan(
        session=session, by=access(session, world, "leader"), plan_id=draft.id, version=1
    )
    assert count(session, PlanVersion) == 1


# Milestones against the approved baseline


def test_replanning_a_milestone_keeps_slippage_against_the_approved_baseline(session, world):
    approved_plan(session, world)
    m = session.exec(select(Milestone)).one()
    milestones.update_milestone(
        session=session,
        by=access(session, world, "leader"),
        milestone_id=m.id,
        data=MilestoneUpdate(planned_date=date(2013, 4, 12), version=1),
        on=ON,
    )
    view = milestones.milestone_view(
        session=session, project_id=world.project.id, milestone_id=m.id, on=ON
    )
    assert (view.baseline_date, view.slippage_days) == (date(2013, 3, 15), 28)


# Plan compliance and the meeting rule


def by_group(session, world, on=ON):
    return {
        c.group.name: c
        for c in compliance.compliance(session=session, project_id=world.project.id, on=on)
    }


def test_compliance_flags_missing_plans_overdue_tasks_and_slipped_milestones(session, world):
    approved_plan(session, world)
    items = by_group(session, world, on=date(2013, 2, 1))
    assert (items["Gruppe A"].level, items["Gruppe A"].label) == ("green", "Følger planen")
    assert items["Gruppe B"].level == "red"
    assert items["Gruppe B"].problems == ["Ingen godkendt plan (planen er ikke oprettet)"]
    m = session.exec(select(Milestone)).one()
    milestones.update_milestone(
        session=session,
        by=access(session, world, "leader"),
        milestone_id=m.id,
        data=MilestoneUpdate(forecast_date=date(2013, 4, 12), version=1),
        on=ON,
    )
    item = by_group(session, world, on=date(2013, 3, 4))["Gruppe A"]
    assert item.level == "red" and item.label == "Følger ikke planen"
    assert item.problems == [
        "1 opgave er forfalden",
        "1 milepæl er skredet i forhold til den godkendte plan (op til 4 uger)",
    ]


def test_compliance_warns_of_blocked_tasks_unapproved_changes_and_missed_meetings(session, world):
    approved_plan(session, world)
    task = session.exec(select(Task)).one()
    by = access(session, world, "member_a")
    workstreams_tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(status=TaskStatus.blocked, version=1),
        on=date(2013, 1, 20),
    )
    compliance.set_meeting_rule(
        session=session,
        by=access(session, world, "leader"),
        group_id=world.group_a.id,
        data=GroupSettingUpdate(meeting_interval_days=28, version=0),
    )
    make_meeting(session, world, world.group_a, date(2013, 1, 10))
    make_meeting(session, world, world.group_a, date(2013, 2, 15), with_project_management=False)
    item = by_group(session, world, on=date(2013, 2, 10))["Gruppe A"]
    assert item.level == "amber"
    assert item.problems == [
        "1 opgave har været blokeret i mere end 2 uger",
        "Har ikke mødtes med projektledelsen siden 10.01.2013 (reglen: mindst hver 28. dag)",
    ]
    workstreams_tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(title="Omdøbt", status=TaskStatus.in_progress, version=2),
    )
    make_meeting(session, world, world.group_a, date(2013, 2, 5))
    item = by_group(session, world, on=date(2013, 2, 10))["Gruppe A"]
    assert item.unapproved_changes and item.problems == [
        "Ændringer siden godkendelsen er ikke godkendt af styregruppen"
    ]


def test_only_the_project_leader_sets_a_valid_meeting_rule(session, world):
    with pytest.raises(Forbidden):
        compliance.set_meeting_rule(
            session=session,
            by=access(session, world, "member_a"),
            group_id=world.group_a.id,
            data=GroupSettingUpdate(meeting_interval_days=28, version=0),
        )
    leader = access(session, world, "leader")
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        GroupSettingUpdate(meeting_interval_days=0, version=0)
    setting = compliance.set_meeting_rule(
        session=session,
        by=leader,
        group_id=world.group_a.id,
        data=GroupSettingUpdate(meeting_interval_days=90, version=0),
    )
    assert setting.version == 1
    with pytest.raises(Conflict):
        compliance.set_meeting_rule(
            session=session,
            by=leader,
            group_id=world.group_a.id,
            data=GroupSettingUpdate(meeting_interval_days=28, version=5),
        )
    assert events(session, "meeting_rule_set", "group_setting")
