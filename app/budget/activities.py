"""Kinds of activity (workshop, netværksmøde, seminar, …) as the project's data, the kind given
to each meeting, task and external activity, and the activity an expense is tied to: what the
condition of a restricted category is checked against and what the grant accounting shows.

An activity is referred to as "meeting:12", "task:5" or "external:3" (one form field, one API
field). The kind of an activity lives in this domain's own table (ActivityKindTag), so the
meeting, task and activity tables are left as their domains keep them.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, literal, text, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget import rules
from app.budget.models import (
    ActivityKindTag,
    Expenditure,
    GrantCategoryKind,
    ProjectActivityKind,
)
from app.budget.schemas import (
    ACTIVITY_COLUMNS,
    ActivityKindIn,
    ActivityKindUpdate,
    ActivityTagIn,
    activity_ref,
)
from app.danish import format_date
from app.db import project_row
from app.errors import Conflict, Invalid, require_version
from app.governance.models import Body, Meeting
from app.stakeholders.models import ExternalActivity
from app.workstreams.models import Task

MISSING = "Aktivitetstypen findes ikke i dette projekt."
# The kinds a new project starts with; a project adds its own.
DEFAULT_KINDS = ("Workshop", "Netværksmøde", "Seminar", "Konference", "Virksomhedsbesøg")
TYPE_LABELS = {"meeting": "Møde", "task": "Opgave", "external": "Ekstern aktivitet"}


def reference(kind: str, item_id: int | None) -> str | None:
    """ "meeting:12" of a meeting's id (None of no id)."""
    return f"{kind}:{item_id}" if item_id is not None else None


def parse_reference(text: str | None) -> tuple[str, int] | None:
    """("meeting", 12) of "meeting:12"; None of an empty reference; Invalid otherwise."""
    if text is None or not text.strip():
        return None
    kind, _, number = text.strip().partition(":")
    if kind not in ACTIVITY_COLUMNS or not number.isdigit():
        raise Invalid(
            "Aktiviteten angives som »meeting:<id>«, »task:<id>« eller »external:<id>«.",
            field="activity",
        )
    return kind, int(number)


# Kinds -------------------------------------------------------------------------------------


def list_kinds(*, session: Session, project_id: int) -> list[ProjectActivityKind]:
    """The project's kinds of activity, in their order."""
    return list(
        session.exec(
            select(ProjectActivityKind)
            .where(ProjectActivityKind.project_id == project_id)
            .order_by(col(ProjectActivityKind.position), col(ProjectActivityKind.id))
        )
    )


def create_default_kinds(*, session: Session, by: Access) -> list[ProjectActivityKind]:
    """Give the project the default kinds (workshop, netværksmøde, seminar, …) that it does not
    have yet (one audit event naming those added); its kinds afterwards."""
    kinds = list_kinds(session=session, project_id=by.project_id)
    have = {k.name for k in kinds}
    added = [name for name in DEFAULT_KINDS if name not in have]
    for i, name in enumerate(added, len(kinds)):
        session.add(ProjectActivityKind(project_id=by.project_id, name=name, position=i))
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="defaults_added",
        entity="project_activity_kind",
        project_id=by.project_id,
        after={"added": added},
    )
    session.commit()
    return list_kinds(session=session, project_id=by.project_id)


def _check_name(*, session: Session, project_id: int, name: str, kind_id: int | None) -> str:
    name = name.strip()
    if not name:
        raise Invalid("Navnet må ikke være tomt.", field="name")
    taken = session.exec(
        select(ProjectActivityKind.id).where(
            ProjectActivityKind.project_id == project_id,
            ProjectActivityKind.name == name,
            ProjectActivityKind.id != (kind_id or 0),
        )
    ).first()
    if taken is not None:
        raise Invalid(f"Aktivitetstypen »{name}« findes allerede.", field="name")
    return name


def create_kind(*, session: Session, by: Access, data: ActivityKindIn) -> ProjectActivityKind:
    """Add a kind of activity to the project."""
    name = _check_name(session=session, project_id=by.project_id, name=data.name, kind_id=None)
    position = len(list_kinds(session=session, project_id=by.project_id))
    kind = ProjectActivityKind(project_id=by.project_id, name=name, position=position)
    session.add(kind)
    session.flush()
    audit.log(session=session, by=by, action="created", row=kind)
    session.commit()
    return kind


def update_kind(
    *, session: Session, by: Access, kind_id: int, data: ActivityKindUpdate
) -> ProjectActivityKind:
    """Rename a kind of activity (the conditions and activities naming it follow)."""
    kind = project_row(
        ProjectActivityKind,
        kind_id,
        session=session,
        project_id=by.project_id,
        missing=MISSING,
        lock=True,
    )
    require_version(kind, data.version)
    before = audit.snapshot(kind)
    kind.name = _check_name(
        session=session, project_id=by.project_id, name=data.name, kind_id=kind.id
    )
    kind.version += 1
    audit.log(session=session, by=by, action="updated", row=kind, before=before)
    session.commit()
    return kind


def delete_kind(*, session: Session, by: Access, kind_id: int, version: int | None) -> None:
    """Remove a kind that no condition and no activity uses."""
    kind = project_row(
        ProjectActivityKind,
        kind_id,
        session=session,
        project_id=by.project_id,
        missing=MISSING,
        lock=True,
    )
    require_version(kind, version)
    if session.exec(
        select(GrantCategoryKind.id).where(GrantCategoryKind.kind_id == kind_id)
    ).first():
        raise Conflict(
            f"Aktivitetstypen »{kind.name}« indgår i et tilskuds betingelse og kan ikke slettes."
        )
    if session.exec(select(ActivityKindTag.id).where(ActivityKindTag.kind_id == kind_id)).first():
        raise Conflict(
            f"Aktivitetstypen »{kind.name}« er givet til en aktivitet og kan ikke slettes."
        )
    before = audit.snapshot(kind)
    session.delete(kind)
    audit.log(session=session, by=by, action="deleted", row=kind, before=before)
    session.commit()


# Activities and their kinds ----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityOption:
    """A meeting, task or external activity of the project, with its kind."""

    ref: str
    type_label: str
    title: str
    first_date: date | None
    last_date: date | None
    kind_id: int | None
    kind_name: str

    @property
    def label(self) -> str:
        if self.first_date is None:
            return self.title
        when = format_date(self.first_date)
        if self.last_date is not None and self.last_date != self.first_date:
            when += "–" + format_date(self.last_date)
        return f"{self.title} ({when})"

    def facts(self) -> rules.Activity:
        return rules.Activity(
            label=self.label,
            kind_id=self.kind_id,
            kind_name=self.kind_name,
            first_date=self.first_date,
            last_date=self.last_date,
        )


def list_activities(*, session: Session, project_id: int) -> list[ActivityOption]:
    """Every meeting, task and external activity of the project with its kind (one query):
    meetings by date, then tasks, then external activities."""

    def part(order: int, kind: str, model: Any, on: Any, *columns: Any) -> Any:
        return (
            sa_select(
                *[literal(order), literal(kind), col(model.id), *columns, tag.kind_id, named.name]
            )
            .select_from(model)
            .outerjoin(tag, on == col(model.id))
            .outerjoin(named, col(named.id) == tag.kind_id)
            .where(model.project_id == project_id)
        )

    tag, named = aliased(ActivityKindTag), aliased(ProjectActivityKind)
    meetings = part(
        1,
        "meeting",
        Meeting,
        tag.meeting_id,
        func.coalesce(
            select(Body.name).where(col(Body.id) == Meeting.body_id).scalar_subquery(), ""
        ),
        col(Meeting.meeting_date),
        col(Meeting.meeting_date),
    )
    tasks = part(
        2,
        "task",
        Task,
        tag.task_id,
        col(Task.title),
        func.coalesce(Task.start_date, Task.due_date),
        func.coalesce(Task.due_date, Task.start_date),
    )
    externals = part(
        3,
        "external",
        ExternalActivity,
        tag.external_activity_id,
        col(ExternalActivity.title),
        col(ExternalActivity.activity_date),
        col(ExternalActivity.activity_date),
    )
    query = union_all(meetings, tasks, externals).order_by(text("1"), text("5"), text("3"))
    found: list[ActivityOption] = []
    for _, kind, item_id, title, first, last, kind_id, kind_name in session.execute(query):
        found.append(
            ActivityOption(
                ref=f"{kind}:{item_id}",
                type_label=TYPE_LABELS[kind],
                title=f"Møde i {title}" if kind == "meeting" else title,
                first_date=_day(first),
                last_date=_day(last),
                kind_id=kind_id,
                kind_name=kind_name or "",
            )
        )
    return found


def _day(value: Any) -> date | None:
    """A day as the union gives it (a date, or ISO text where the database has no date type)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def get_activity(*, session: Session, project_id: int, ref: str | None) -> ActivityOption | None:
    """The project's activity a reference names (None for none), or Invalid on `activity`."""
    parsed = parse_reference(ref)
    if parsed is None:
        return None
    kind, item_id = parsed
    model = {"meeting": Meeting, "task": Task, "external": ExternalActivity}[kind]
    project_row(
        model,  # type: ignore[arg-type]
        item_id,
        session=session,
        project_id=project_id,
        missing="Aktiviteten findes ikke i dette projekt.",
        field="activity",
    )
    wanted = f"{kind}:{item_id}"
    return next(
        a for a in list_activities(session=session, project_id=project_id) if a.ref == wanted
    )


def set_activity_kind(*, session: Session, by: Access, data: ActivityTagIn) -> ActivityOption:
    """Give a meeting, task or external activity a kind (or none: kind_id empty)."""
    option = get_activity(session=session, project_id=by.project_id, ref=data.activity)
    parsed = parse_reference(data.activity)
    if option is None or parsed is None:
        raise Invalid("Vælg aktiviteten.", field="activity")
    kind, item_id = parsed
    if data.kind_id is not None:
        project_row(
            ProjectActivityKind,
            data.kind_id,
            session=session,
            project_id=by.project_id,
            missing=MISSING,
            field="kind_id",
        )
    column = ACTIVITY_COLUMNS[kind]
    tag = session.exec(
        select(ActivityKindTag).where(getattr(ActivityKindTag, column) == item_id)
    ).first()
    before = audit.snapshot(tag)
    if tag is not None and data.kind_id is None:
        session.delete(tag)
        audit.log(session=session, by=by, action="deleted", row=tag, before=before)
    elif data.kind_id is not None:
        if tag is None:
            tag = ActivityKindTag(project_id=by.project_id, kind_id=data.kind_id)
            setattr(tag, column, item_id)
            session.add(tag)
        tag.kind_id = data.kind_id
        session.flush()
        audit.log(
            session=session,
            by=by,
            action="updated" if before else "created",
            row=tag,
            before=before,
        )
    session.commit()
    found = get_activity(session=session, project_id=by.project_id, ref=data.activity)
    assert found is not None
    return found


# The rules' view of the conditions ---------------------------------------------------------


def is_unlinked(rules_: rules.GrantRules | None, e: Expenditure) -> bool:
    """ "Ikke knyttet til en aktivitet": an expense of a category whose condition names kinds of
    activity, tied to none (accepted under its note before the condition named kinds)."""
    return (
        rules_ is not None
        and bool(rules_.category_kinds.get(e.category))
        and e.correction_of_id is None
        and activity_ref(e) is None
    )
