"""The structure of a plan (issue 20): sub-tasks, numbers kept in order, a parent's dates,
progress and status rolled up from its children, and the refusals, at the service level."""

from datetime import date

import pytest
from sqlmodel import select

from app.errors import Conflict, Invalid
from app.reports.domain_sections import plan_structure
from app.workstreams import hierarchy, progress
from app.workstreams import tasks as workstreams_tasks
from app.workstreams.models import Task, TaskStatus
from app.workstreams.schemas import ProgressEntryCreate, TaskCreate, TaskUpdate
from tests.workstreams.factories import ON, access, make_task


def numbers(session, world) -> dict[str, str]:
    rows = session.exec(select(Task).where(Task.project_id == world.project.id)).all()
    places = hierarchy.numbering(rows)
    return {t.title: places[t.id or 0] for t in rows}


def update(session, world, task: Task, **values) -> Task:
    session.refresh(task)
    return workstreams_tasks.update_task(
        session=session,
        by=access(session, world, "leader"),
        task_id=task.id or 0,
        data=TaskUpdate(version=task.version, **values),
        on=ON,
    )


def tree(session, world):
    """Fase 1 › Aktivitet 1.1 › Trin 1.1.1 and 1.1.2; Fase 2."""
    phase = make_task(session, world, title="Fase 1", start_date=None, due_date=None)
    activity = make_task(session, world, title="Aktivitet", parent_id=phase.id)
    step_a = make_task(
        session,
        world,
        title="Trin a",
        parent_id=activity.id,
        start_date=date(2013, 1, 1),
        due_date=date(2013, 1, 10),  # 10 days
        progress=100,
    )
    step_b = make_task(
        session,
        world,
        title="Trin b",
        parent_id=activity.id,
        start_date=date(2013, 1, 11),
        due_date=date(2013, 2, 9),  # 30 days
        progress=20,
    )
    other = make_task(session, world, title="Fase 2")
    return phase, activity, step_a, step_b, other


def test_numbers_follow_positions_per_group_and_the_unanchored_are_numbered_apart(session, world):
    tree(session, world)
    make_task(session, world, title="Andet", group_id=world.group_b.id)
    make_task(session, world, title="Løs", group_id=None)
    assert numbers(session, world) == {
        "Fase 1": "1",
        "Aktivitet": "1.1",
        "Trin a": "1.1.1",
        "Trin b": "1.1.2",
        "Fase 2": "2",
        "Andet": "1",
        "Løs": "1",
    }


def test_a_parent_rolls_up_dates_weighted_progress_and_status_three_levels(session, world):
    phase, activity, *_ = tree(session, world)
    session.refresh(activity)
    session.refresh(phase)
    # (10 × 100 + 30 × 20) / 40 = 40 %
    for parent in (activity, phase):
        assert (parent.start_date, parent.due_date) == (date(2013, 1, 1), date(2013, 2, 9))
        assert parent.progress == 40 and parent.status == TaskStatus.in_progress


def test_a_child_finished_finishes_its_parents_and_a_blocked_child_blocks_them(session, world):
    phase, activity, step_a, step_b, _ = tree(session, world)
    by = access(session, world, "leader")
    progress.log_progress(
        session=session,
        by=by,
        task_id=step_b.id or 0,
        data=ProgressEntryCreate(text="Færdig", progress=100),
        on=ON,
    )
    session.refresh(phase)
    assert phase.status == TaskStatus.done and phase.progress == 100 and phase.completed_date == ON
    update(session, world, step_a, status=TaskStatus.blocked, progress=50)
    session.refresh(phase)
    assert phase.status == TaskStatus.blocked and phase.completed_date is None
    assert phase.progress < 100


def test_undated_children_roll_up_by_plain_mean(session, world):
    parent = make_task(session, world, title="Tema")
    make_task(session, world, parent_id=parent.id, start_date=None, due_date=None, progress=10)
    make_task(session, world, parent_id=parent.id, start_date=None, due_date=None, progress=30)
    session.refresh(parent)
    assert parent.progress == 20 and parent.start_date is None and parent.due_date is None


def test_a_sub_task_without_a_group_takes_its_parents(session, world):
    parent = make_task(session, world, title="Tema")
    child = workstreams_tasks.create_task(
        session=session,
        by=access(session, world, "leader"),
        data=TaskCreate(title="Anbefaling", parent_id=parent.id),
        on=ON,
    )
    assert child.group_id == world.group_a.id and child.parent_id == parent.id


def test_moving_renumbers_densely_and_rolls_up_old_and_new_parent(session, world):
    phase, activity, step_a, step_b, other = tree(session, world)
    update(session, world, step_b, position=1)
    assert numbers(session, world)["Trin b"] == "1.1.1"
    assert numbers(session, world)["Trin a"] == "1.1.2"
    update(session, world, step_b, parent_id=other.id)
    got = numbers(session, world)
    assert got["Trin a"] == "1.1.1" and got["Trin b"] == "2.1"
    session.refresh(step_a)
    assert step_a.position == 1
    session.refresh(other)
    assert other.due_date == date(2013, 2, 9) and other.progress == 20
    session.refresh(activity)
    assert activity.progress == 100 and activity.status == TaskStatus.done
    update(session, world, step_b, parent_id=None, position=1)
    assert numbers(session, world)["Trin b"] == "1"
    assert numbers(session, world)["Fase 1"] == "2"


def test_a_parent_in_another_group_is_refused_naming_the_field(session, world):
    parent = make_task(session, world, title="Tema")
    with pytest.raises(Invalid) as refused:
        make_task(session, world, parent_id=parent.id, group_id=world.group_b.id)
    assert refused.value.field == "parent_id" and "Overordnet opgave" in refused.value.message


def test_a_cycle_is_refused(session, world):
    phase, activity, step_a, *_ = tree(session, world)
    with pytest.raises(Invalid) as refused:
        update(session, world, phase, parent_id=step_a.id)
    assert refused.value.field == "parent_id" and "underopgaver" in refused.value.message
    with pytest.raises(Invalid):
        update(session, world, phase, parent_id=phase.id)


def test_more_than_five_levels_is_refused(session, world):
    parent = make_task(session, world, title="1")
    for level in range(2, 6):
        parent = make_task(session, world, title=str(level), parent_id=parent.id)
    with pytest.raises(Invalid) as refused:
        make_task(session, world, title="6", parent_id=parent.id)
    assert refused.value.field == "parent_id" and "5 niveauer" in refused.value.message


def test_deleting_a_task_with_sub_tasks_is_refused_and_a_leaf_closes_the_ranks(session, world):
    phase, activity, step_a, step_b, _ = tree(session, world)
    by = access(session, world, "leader")
    with pytest.raises(Conflict) as refused:
        workstreams_tasks.delete_task(
            session=session, by=by, task_id=activity.id or 0, version=activity.version
        )
    assert "2 underopgaver" in refused.value.message
    workstreams_tasks.delete_task(
        session=session, by=by, task_id=step_a.id or 0, version=step_a.version, on=ON
    )
    session.refresh(step_b)
    session.refresh(activity)
    assert step_b.position == 1 and activity.progress == 20
    assert activity.start_date == date(2013, 1, 11)


def test_a_parents_dates_progress_and_status_cannot_be_set_by_hand(session, world):
    phase, activity, *_ = tree(session, world)
    session.refresh(activity)
    for field, value in (
        ("start_date", date(2012, 12, 1)),
        ("due_date", date(2013, 6, 1)),
        ("progress", 90),
        ("status", TaskStatus.blocked),
    ):
        with pytest.raises(Invalid) as refused:
            update(session, world, activity, **{field: value})
        assert refused.value.field == field and "beregnet ud fra underopgaverne" in (
            refused.value.message
        )
    # The same value is accepted (a client sending back what it read).
    update(session, world, activity, start_date=activity.start_date, title="Aktivitet 1")
    with pytest.raises(Invalid):
        progress.log_progress(
            session=session,
            by=access(session, world, "leader"),
            task_id=activity.id or 0,
            data=ProgressEntryCreate(progress=80),
            on=ON,
        )


def test_moving_a_parent_to_another_group_takes_its_sub_tasks(session, world):
    phase, activity, step_a, step_b, _ = tree(session, world)
    update(session, world, activity, group_id=world.group_b.id)
    for t in (activity, step_a, step_b):
        session.refresh(t)
        assert t.group_id == world.group_b.id
    assert activity.parent_id is None
    got = numbers(session, world)
    assert got["Aktivitet"] == "1" and got["Trin b"] == "1.2" and got["Fase 2"] == "2"


def test_the_status_reports_structure_shows_the_top_two_levels_numbered(session, world):
    tree(session, world)
    make_task(session, world, title="Flad", group_id=world.group_b.id)
    rows = list(session.exec(select(Task)).all())
    groups = [world.group_a, world.group_b]
    got = plan_structure(rows, hierarchy.outline(rows), groups)
    assert [g["group"] for g in got] == [world.group_a.name]  # a flat plan is left out
    assert [(r["number"], r["title"], r["level"], r["parent"]) for r in got[0]["rows"]] == [
        ("1", "Fase 1", 1, True),
        ("1.1", "Aktivitet", 2, True),
        ("2", "Fase 2", 1, False),
    ]
    flat = [t for t in rows if t.parent_id is None and t.title == "Flad"]
    assert plan_structure(flat, hierarchy.outline(flat), groups) == []
