"""A task is done exactly when its progress is 100 % (docs/workstreams.md »Status and
progress«): logging 100 % marks it done, a done task has 100 %, and reopening one asks for its
progress."""

import pytest

from app.errors import Invalid
from app.workstreams import progress
from app.workstreams.models import TaskStatus
from app.workstreams.schemas import ProgressEntryCreate
from tests.workstreams.factories import ON, access, make_task


def _log(session, world, task, **values):
    return progress.log_progress(
        session=session,
        by=access(session, world, "leader"),
        task_id=task.id,
        data=ProgressEntryCreate(version=task.version, **values),
        on=ON,
    )


def test_logging_100_percent_marks_the_task_done(session, world):
    task = make_task(session, world)
    entry = _log(session, world, task, text="Kortlægningen er afleveret", progress=100)
    assert (task.status, task.progress, task.completed_date) == (TaskStatus.done, 100, ON)
    assert (entry.new_status, entry.new_progress) == (TaskStatus.done, 100)


def test_a_task_marked_done_gets_100_percent(session, world):
    task = make_task(session, world, progress=40, status=TaskStatus.in_progress)
    _log(session, world, task, status=TaskStatus.done)
    assert (task.status, task.progress) == (TaskStatus.done, 100)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": TaskStatus.in_progress, "progress": 100}, "fremdrift 100 % er færdig"),
        ({"status": TaskStatus.in_progress}, "Angiv hvor langt den er"),
        ({"status": TaskStatus.done, "progress": 80}, "En færdig opgave har fremdrift 100 %"),
    ],
)
def test_status_and_progress_that_disagree_are_refused(session, world, values, message):
    task = make_task(session, world)
    _log(session, world, task, progress=100)
    with pytest.raises(Invalid, match=message) as refused:
        _log(session, world, task, **values)
    assert refused.value.field == "progress"


def test_a_done_task_reopened_with_its_progress(session, world):
    task = make_task(session, world)
    _log(session, world, task, progress=100)
    _log(session, world, task, status=TaskStatus.in_progress, progress=80, text="Mangler bilag")
    assert (task.status, task.progress, task.completed_date) == (TaskStatus.in_progress, 80, None)
