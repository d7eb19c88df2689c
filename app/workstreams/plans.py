"""The time and action plans' workflow: draft → submitted → approved or returned.

A plan is a group's tasks and milestones with their dates. Submitting freezes them in the
version's snapshot; the newest approved version is the plan's baseline. A change to the plan's
content after submission or approval makes a new draft version, and the plan's page shows what
changed against the baseline. Approving or returning records a decision in the decision log of
the body that approves plans (the project's governance, app.governance.bodies.PLAN_APPROVER) in
the same transaction; its members (or holders of the role »Styregruppemedlem«) decide.
"""

from collections.abc import Callable

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import today
from app.db import project_row, utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound, check_version, require_version
from app.governance.bodies import (
    PLAN_APPROVER,
    PLAN_DECIDE_REFUSED,
    acts_for,
    get_group,
    governing_body,
    in_sentence,
)
from app.governance.decisions import build_decision
from app.governance.models import Body, Meeting
from app.notifications import events
from app.workstreams.baselines import snapshot_of
from app.workstreams.models import (
    PLAN_STATUS_LABELS,
    Milestone,
    Plan,
    PlanStatus,
    PlanVersion,
    Task,
)
from app.workstreams.schemas import PlanCreate, PlanDecisionIn, PlanSubmit, PlanUpdate

EDIT_REFUSED = "Kun projektlederen og gruppens egne medlemmer må ændre gruppens plan."
DECIDE_REFUSED = PLAN_DECIDE_REFUSED


def _label(status: PlanStatus) -> str:
    return PLAN_STATUS_LABELS[status].lower()


def get_plan(*, session: Session, project_id: int, plan_id: int, lock: bool = False) -> Plan:
    """A plan of this project, or NotFound."""
    return project_row(
        Plan,
        plan_id,
        session=session,
        project_id=project_id,
        missing="Planen findes ikke i dette projekt.",
        lock=lock,
    )


def plan_for_group(*, session: Session, project_id: int, group_id: int) -> Plan | None:
    return session.exec(
        select(Plan).where(Plan.project_id == project_id, Plan.group_id == group_id)
    ).first()


def versions_of(*, session: Session, plan_ids: list[int]) -> dict[int, list[PlanVersion]]:
    """The versions of several plans (one query), oldest first."""
    result: dict[int, list[PlanVersion]] = {pid: [] for pid in plan_ids}
    if plan_ids:
        rows = session.exec(
            select(PlanVersion)
            .where(col(PlanVersion.plan_id).in_(plan_ids))
            .order_by(col(PlanVersion.plan_id), col(PlanVersion.number))
        ).all()
        for v in rows:
            result[v.plan_id].append(v)
    return result


def plans_with_versions(
    *, session: Session, project_id: int, group_id: int | None = None
) -> tuple[list[Plan], dict[int, list[PlanVersion]]]:
    """The project's plans (or one group's) and the versions of each, oldest first (one
    query)."""
    query = (
        select(Plan, PlanVersion)
        .outerjoin(PlanVersion, col(PlanVersion.plan_id) == Plan.id)
        .where(Plan.project_id == project_id)
        .order_by(col(Plan.id), col(PlanVersion.number))
    )
    if group_id is not None:
        query = query.where(Plan.group_id == group_id)
    rows = session.exec(query).all()
    plans: list[Plan] = []
    versions: dict[int, list[PlanVersion]] = {}
    for plan, version in rows:
        if plan.id not in versions:
            plans.append(plan)
            versions[plan.id or 0] = []
        if version is not None:
            versions[plan.id or 0].append(version)
    return plans, versions


def current_version(versions: list[PlanVersion]) -> PlanVersion:
    return versions[-1]


def baseline_version(versions: list[PlanVersion]) -> PlanVersion | None:
    """The newest approved version: the plan's baseline."""
    approved = [v for v in versions if v.status == PlanStatus.approved]
    return approved[-1] if approved else None


def list_plans(
    *,
    session: Session,
    project_id: int,
    status: PlanStatus | None = None,
    group_id: int | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[tuple[Plan, Body, list[PlanVersion]]], int]:
    """The project's plans in group order, each with its group and versions, and the total."""
    query = (
        select(Plan, Body)
        .join(Body, col(Body.id) == Plan.group_id)
        .where(Plan.project_id == project_id)
    )
    if status is not None:
        query = query.where(Plan.status == status)
    if group_id is not None:
        query = query.where(Plan.group_id == group_id)
    rows = session.exec(query.order_by(col(Body.position), col(Body.id))).all()
    total = len(rows)
    rows = rows[offset : offset + limit]
    versions = versions_of(session=session, plan_ids=[p.id for p, _ in rows if p.id])
    return [(p, b, versions[p.id or 0]) for p, b in rows], total


# Changes to a plan's content make a new draft


def note_change(*, session: Session, project_id: int, group_ids: set[int | None]) -> list[int]:
    """Inside a task's or milestone's use case: every touched group's plan that is not a draft
    gets a new draft version (no commit). Returns the numbers of the new drafts."""
    created = []
    for group_id in sorted(g for g in group_ids if g is not None):
        plan = plan_for_group(session=session, project_id=project_id, group_id=group_id)
        if plan is None or plan.status == PlanStatus.draft:
            continue
        created.append(_new_draft(session=session, plan=plan).number)
    return created


def delete_planned(
    *,
    session: Session,
    by: Access,
    row: Task | Milestone,
    then: Callable[[], None] | None = None,
) -> None:
    """Delete a task or a milestone of a plan (the caller has checked the right to): its group's
    plan gets a new draft if needed, and the audit event says which. `then` does what the
    deletion entails for the rows left (in the same transaction)."""
    before = audit.snapshot(row)
    session.delete(row)
    session.flush()
    if then is not None:
        then()
    drafts = note_change(session=session, project_id=by.project_id, group_ids={row.group_id})
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity=row.__tablename__,
        entity_id=row.id,
        project_id=by.project_id,
        before=before,
        after={"new_plan_drafts": drafts},
    )
    session.commit()


def _new_draft(*, session: Session, plan: Plan) -> PlanVersion:
    newest = current_version(versions_of(session=session, plan_ids=[plan.id or 0])[plan.id or 0])
    draft = PlanVersion(plan_id=plan.id or 0, number=newest.number + 1, status=PlanStatus.draft)
    session.add(draft)
    plan.status = PlanStatus.draft
    plan.version += 1
    session.flush()
    return draft


# Use cases


def _require_edit(by: Access, group_id: int | None) -> None:
    if not by.can_edit_group(group_id):
        raise Forbidden(EDIT_REFUSED)


def create_plan(*, session: Session, by: Access, data: PlanCreate) -> Plan:
    """Start a group's plan with a first draft version; a group has one plan."""
    group_id = data.group_id
    try:
        group = get_group(session=session, project_id=by.project_id, group_id=group_id)
    except NotFound:
        raise Invalid("Gruppen findes ikke i dette projekt.", field="group_id") from None
    _require_edit(by, group_id)
    if plan_for_group(session=session, project_id=by.project_id, group_id=group_id) is not None:
        raise Conflict(
            f"Gruppen »{group.name}« har allerede en tids- og handleplan.", field="group_id"
        )
    plan = Plan(
        project_id=by.project_id,
        group_id=group_id,
        title=data.title.strip() or f"Tids- og handleplan: {group.name}",
        description=data.description.strip(),
    )
    session.add(plan)
    session.flush()
    session.add(PlanVersion(plan_id=plan.id or 0, number=1, status=PlanStatus.draft))
    audit.log(session=session, by=by, action="created", row=plan)
    session.commit()
    return plan


def update_plan(*, session: Session, by: Access, plan_id: int, data: PlanUpdate) -> Plan:
    """Change the plan's text, or make a new draft (status »draft«) after a decision."""
    plan = get_plan(session=session, project_id=by.project_id, plan_id=plan_id, lock=True)
    _require_edit(by, plan.group_id)
    require_version(plan, data.version)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    status = values.pop("status", None)
    if status is not None and status != PlanStatus.draft:
        raise Invalid(
            "Med PATCH kan status kun sættes til »draft« (en ny kladde). Brug "
            "…/submit, …/approve og …/return til resten af forløbet.",
            field="status",
        )
    if "title" in values and not values["title"]:
        raise Invalid("Planen skal have en titel.", field="title")
    if "description" in values:
        values["description"] = values["description"] or ""
    before = audit.snapshot(plan)
    newest = current_version(versions_of(session=session, plan_ids=[plan_id])[plan_id])
    new_draft = None
    if status == PlanStatus.draft and newest.status != PlanStatus.draft:
        new_draft = _new_draft(session=session, plan=plan)
        newest = new_draft
    if values and newest.status != PlanStatus.draft:
        raise Conflict(
            f"Version {newest.number} af planen er {_label(newest.status)} og kan ikke ændres. "
            "Der skal laves en ny kladde (status »draft«), før planen kan ændres.",
            field="status",
        )
    for key, value in values.items():
        setattr(plan, key, value)
    if values and new_draft is None:
        plan.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="new_draft" if new_draft else "updated",
        entity="plan",
        entity_id=plan.id,
        project_id=by.project_id,
        before=before,
        after=(audit.snapshot(plan) or {}) | {"draft_version": newest.number},
    )
    session.commit()
    return plan


def delete_plan(*, session: Session, by: Access, plan_id: int, version: int | None) -> None:
    """Delete a plan that was never submitted for approval (all versions are drafts)."""
    plan = get_plan(session=session, project_id=by.project_id, plan_id=plan_id, lock=True)
    _require_edit(by, plan.group_id)
    require_version(plan, version)
    versions = versions_of(session=session, plan_ids=[plan_id])[plan_id]
    if any(v.status != PlanStatus.draft for v in versions):
        raise Conflict(
            "Planen har været forelagt til godkendelse og kan ikke slettes; "
            "dens versioner og beslutninger skal kunne dokumenteres."
        )
    before = audit.snapshot(plan)
    session.delete(plan)  # its versions go with it (ON DELETE CASCADE)
    audit.log(session=session, by=by, action="deleted", row=plan, before=before)
    session.commit()


def submit(*, session: Session, by: Access, plan_id: int, data: PlanSubmit) -> PlanVersion:
    """Submit the draft for approval: its tasks and milestones are frozen as they are."""
    plan = get_plan(session=session, project_id=by.project_id, plan_id=plan_id, lock=True)
    _require_edit(by, plan.group_id)
    check_version(plan, data.version)
    versions = versions_of(session=session, plan_ids=[plan_id])[plan_id]
    newest = current_version(versions)
    if newest.status != PlanStatus.draft:
        raise Conflict(
            f"Der er ingen kladde at indsende: version {newest.number} er "
            f"{_label(newest.status)}. Der skal laves en ny kladde først."
        )
    waiting = [v for v in versions if v.status == PlanStatus.submitted]
    if waiting:
        raise Conflict(f"Version {waiting[0].number} afventer stadig en beslutning om godkendelse.")
    snap = snapshot_of(session=session, plan=plan)
    if not snap["tasks"] and not snap["milestones"]:
        raise Invalid(
            "Planen har hverken opgaver eller milepæle; tilføj dem, før den indsendes.",
            field="plan",
        )
    newest.status = PlanStatus.submitted
    newest.snapshot = snap
    newest.note = data.note.strip()
    newest.submitted_at = utcnow()
    newest.submitted_by_name = by.user.full_name or by.user.username
    plan.status = PlanStatus.submitted
    plan.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="submitted",
        entity="plan",
        entity_id=plan.id,
        project_id=by.project_id,
        after={"version": newest.number, "note": newest.note, "snapshot": snap},
    )
    approver = governing_body(session=session, project_id=by.project_id, role=PLAN_APPROVER)
    events.plan_submitted(session, by=by, plan=plan, approver=approver, number=newest.number)
    session.commit()
    return newest


def approve(*, session: Session, by: Access, plan_id: int, data: PlanDecisionIn) -> PlanVersion:
    """The approving body approves the submitted version: it becomes the plan's baseline."""
    return _decide(session=session, by=by, plan_id=plan_id, approved=True, data=data)


def return_plan(*, session: Session, by: Access, plan_id: int, data: PlanDecisionIn) -> PlanVersion:
    """The approving body sends the submitted version back to the group with its comments."""
    return _decide(session=session, by=by, plan_id=plan_id, approved=False, data=data)


def _decide(
    *, session: Session, by: Access, plan_id: int, approved: bool, data: PlanDecisionIn
) -> PlanVersion:
    approver = governing_body(session=session, project_id=by.project_id, role=PLAN_APPROVER)
    if not acts_for(session=session, access=by, body=approver):
        raise Forbidden(DECIDE_REFUSED)
    plan = get_plan(session=session, project_id=by.project_id, plan_id=plan_id, lock=True)
    check_version(plan, data.version)
    versions = versions_of(session=session, plan_ids=[plan_id])[plan_id]
    waiting = [v for v in versions if v.status == PlanStatus.submitted]
    if not waiting:
        newest = current_version(versions)
        raise Conflict(
            f"Planen afventer ikke en beslutning (version {newest.number} "
            f"er {_label(newest.status)})."
        )
    target = waiting[0]
    comment = data.comment.strip()
    if not approved and not comment:
        raise Invalid(
            f"Skriv {in_sentence(approver.name)}s bemærkninger, når planen sendes tilbage.",
            field="comment",
        )
    # Decided the day given, else at the meeting named, else today (app.clock); `decided_at`
    # below stays the time it was registered.
    decided = data.decision_date or today()
    meeting_id = data.meeting_id
    if meeting_id is not None:
        meeting = project_row(
            Meeting,
            meeting_id,
            session=session,
            project_id=by.project_id,
            missing="Mødet hører ikke til dette projekt.",
            field="meeting_id",
        )
        if meeting.body_id != approver.id:
            raise Invalid(f"Mødet er ikke et møde i »{approver.name}«.", field="meeting_id")
        decided = data.decision_date or meeting.meeting_date
    group = session.get(Body, plan.group_id)
    group_name = group.name if group else ""
    verb = "godkendt" if approved else "sendt tilbage"
    decision = build_decision(
        session=session,
        by=by,
        body_id=approver.id or 0,
        decision_date=decided,
        meeting_id=meeting_id,
        title=f"Tids- og handleplan for {group_name}, version {target.number}, {verb}",
        text=comment,
        kind="plan_approval" if approved else "plan_return",
    )
    target.status = PlanStatus.approved if approved else PlanStatus.returned
    target.comment = comment
    target.decided_at = utcnow()
    target.decided_by_name = by.user.full_name or by.user.username
    target.decision_id = decision.id
    if target is current_version(versions):
        plan.status = target.status
    plan.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="approved" if approved else "returned",
        entity="plan",
        entity_id=plan.id,
        project_id=by.project_id,
        after={
            "version": target.number,
            "comment": comment,
            "decision_id": decision.id,
            "decision_number": decision.number,
        },
    )
    events.plan_decided(
        session, by=by, plan=plan, approved=approved, number=target.number, comment=comment
    )
    session.commit()
    return target
