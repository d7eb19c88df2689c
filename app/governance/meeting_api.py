"""API of the bodies' work: meetings (agenda, attendance, minutes), the bodies' meeting rules and
the decision log with its follow-up actions."""

from typing import Any

from fastapi import APIRouter, Response
from sqlmodel import Session

from app.clock import today
from app.deps import (
    ProjectAccess,
    ProjectLeader,
    Secretariat,
    SessionDep,
)
from app.governance import decisions, meeting_rules, meetings, people
from app.governance.api import PROJECT
from app.governance.bodies import get_body
from app.governance.models import Decision, Meeting, MeetingCounterpart
from app.governance.permissions import DecisionMaker, FollowUpEditor, MinutesEditor
from app.governance.schemas import (
    AgendaItemCreate,
    AgendaItemMove,
    AgendaItemPublic,
    AgendaItemUpdate,
    AttendancePublic,
    AttendanceSet,
    DecisionCreate,
    DecisionFromMinutes,
    DecisionPublic,
    FollowUpCreate,
    FollowUpPublic,
    FollowUpUpdate,
    ItemMinutesUpdate,
    MeetingCreate,
    MeetingPublic,
    MeetingRulePublic,
    MeetingRuleUpdate,
    MeetingUpdate,
    MinutesPublish,
    MinutesUpdate,
)
from app.inputs import AsOf
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["projekter"])
RULES = PROJECT + "/bodies/{body_id}/meeting-rules"


# Meeting rules -------------------------------------------------------------------------------


def rule_public(status: meeting_rules.RuleStatus) -> MeetingRulePublic:
    return MeetingRulePublic(
        body_id=status.body.id or 0,
        body_name=status.body.name,
        counterpart=status.counterpart,
        counterpart_label=status.counterpart_label,
        meeting_interval_days=status.interval_days,
        last_meeting_date=status.last_meeting_date,
        days_since_last_meeting=status.days_since,
        next_meeting_due_date=status.next_due_date,
        meeting_overdue=status.overdue,
        message=status.message,
        version=status.version,
    )


@router.get(PROJECT + "/meeting-rules", response_model=list[MeetingRulePublic])
def list_meeting_rules(
    access: ProjectAccess, session: SessionDep, page: PageOf, as_of: AsOf = None
) -> list[MeetingRulePublic]:
    """Every body's meeting rules, judged on `as_of`: kept or breached, and since when."""
    found = meeting_rules.statuses(
        session=session, project_id=access.project_id, on=as_of or today()
    )
    return [rule_public(s) for s in page.slice(found)]


@router.get(RULES, response_model=list[MeetingRulePublic])
def body_meeting_rules(
    body_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> list[MeetingRulePublic]:
    """A body's rule against each counterpart it may have one for (without a rule: interval
    null, version 0)."""
    get_body(session=session, project_id=access.project_id, body_id=body_id)
    found = meeting_rules.statuses(
        session=session,
        project_id=access.project_id,
        on=as_of or today(),
        body_id=body_id,
        every_counterpart=True,
    )
    return [rule_public(s) for s in found]


@router.patch(RULES + "/{counterpart}", response_model=MeetingRulePublic)
def set_meeting_rule(
    body_id: int,
    counterpart: MeetingCounterpart,
    data: MeetingRuleUpdate,
    access: ProjectLeader,
    session: SessionDep,
) -> MeetingRulePublic:
    """Set how often the body must at least meet the counterpart (project leader; interval
    null: no rule). Version 0 for a counterpart without a rule yet."""
    meeting_rules.set_meeting_rule(
        session=session, by=access, body_id=body_id, counterpart=counterpart, data=data
    )
    found = meeting_rules.statuses(
        session=session,
        project_id=access.project_id,
        on=today(),
        body_id=body_id,
        every_counterpart=True,
    )
    return rule_public(next(s for s in found if s.counterpart == counterpart))


# Meetings --------------------------------------------------------------------------------------


def _meeting_public(session: Session, meeting: Meeting) -> MeetingPublic:
    return MeetingPublic.model_validate(meeting).model_copy(
        update={
            "agenda": [
                AgendaItemPublic.model_validate(a)
                for a in meetings.agenda(session=session, meeting_id=meeting.id or 0)
            ],
            "attendance": [
                AttendancePublic(
                    person_id=p.id or 0, person_name=p.name, status=a.status, reason=a.reason
                )
                for a, p in meetings.attendance(session=session, meeting_id=meeting.id or 0)
            ],
        }
    )


@router.get(PROJECT + "/meetings", response_model=list[MeetingPublic])
def list_meetings(
    access: ProjectAccess, session: SessionDep, page: PageOf, body_id: int | None = None
) -> list[MeetingPublic]:
    """The project's meetings, newest first, optionally of one body."""
    rows, total = meetings.list_meetings(
        session=session,
        project_id=access.project_id,
        body_id=body_id,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [_meeting_public(session, m) for m in rows]


@router.post(PROJECT + "/meetings", response_model=MeetingPublic, status_code=201)
def create_meeting(data: MeetingCreate, access: Secretariat, session: SessionDep) -> MeetingPublic:
    """Plan a meeting of a body; the date is required."""
    return _meeting_public(session, meetings.create_meeting(session=session, by=access, data=data))


@router.get(PROJECT + "/meetings/{meeting_id}", response_model=MeetingPublic)
def get_meeting(meeting_id: int, access: ProjectAccess, session: SessionDep) -> MeetingPublic:
    return _meeting_public(
        session,
        meetings.get_meeting(session=session, project_id=access.project_id, meeting_id=meeting_id),
    )


@router.patch(PROJECT + "/meetings/{meeting_id}", response_model=MeetingPublic)
def update_meeting(
    meeting_id: int, data: MeetingUpdate, access: Secretariat, session: SessionDep
) -> MeetingPublic:
    return _meeting_public(
        session,
        meetings.update_meeting(session=session, by=access, meeting_id=meeting_id, data=data),
    )


@router.put(PROJECT + "/meetings/{meeting_id}/minutes", response_model=MeetingPublic)
def update_minutes(
    meeting_id: int, data: MinutesUpdate, access: MinutesEditor, session: SessionDep
) -> MeetingPublic:
    """Write the minutes (secretariat, project leader, steering group members)."""
    return _meeting_public(
        session,
        meetings.update_minutes(session=session, by=access, meeting_id=meeting_id, data=data),
    )


@router.delete(PROJECT + "/meetings/{meeting_id}", status_code=204)
def delete_meeting(
    meeting_id: int, access: Secretariat, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Cancel a meeting; refused once decisions refer to it."""
    meetings.delete_meeting(session=session, by=access, meeting_id=meeting_id, version=expected)
    return Response(status_code=204)


@router.post(
    PROJECT + "/meetings/{meeting_id}/agenda", response_model=AgendaItemPublic, status_code=201
)
def add_agenda_item(
    meeting_id: int, data: AgendaItemCreate, access: Secretariat, session: SessionDep
) -> Any:
    return meetings.add_agenda_item(session=session, by=access, meeting_id=meeting_id, data=data)


@router.patch(PROJECT + "/meetings/{meeting_id}/agenda/{item_id}", response_model=AgendaItemPublic)
def update_agenda_item(
    meeting_id: int, item_id: int, data: AgendaItemUpdate, access: Secretariat, session: SessionDep
) -> Any:
    return meetings.update_agenda_item(
        session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
    )


@router.delete(PROJECT + "/meetings/{meeting_id}/agenda/{item_id}", status_code=204)
def delete_agenda_item(
    meeting_id: int,
    item_id: int,
    access: Secretariat,
    session: SessionDep,
    expected: ExpectedVersion,
) -> Response:
    meetings.delete_agenda_item(
        session=session, by=access, meeting_id=meeting_id, item_id=item_id, version=expected
    )
    return Response(status_code=204)


AGENDA_ITEM = PROJECT + "/meetings/{meeting_id}/agenda/{item_id}"


@router.put(AGENDA_ITEM + "/position", response_model=list[AgendaItemPublic])
def move_agenda_item(
    meeting_id: int, item_id: int, data: AgendaItemMove, access: Secretariat, session: SessionDep
) -> list[AgendaItemPublic]:
    """Put an item at another number on the agenda (1 is first); answers the agenda in order."""
    meetings.move_agenda_item(
        session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
    )
    return [
        AgendaItemPublic.model_validate(a)
        for a in meetings.agenda(session=session, meeting_id=meeting_id)
    ]


@router.put(AGENDA_ITEM + "/minutes", response_model=AgendaItemPublic)
def update_item_minutes(
    meeting_id: int,
    item_id: int,
    data: ItemMinutesUpdate,
    access: MinutesEditor,
    session: SessionDep,
) -> Any:
    """Write the minutes of one agenda item (secretariat, project leader, steering members)."""
    return meetings.update_item_minutes(
        session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
    )


@router.post(AGENDA_ITEM + "/decisions", response_model=DecisionPublic, status_code=201)
def record_from_minutes(
    meeting_id: int,
    item_id: int,
    data: DecisionFromMinutes,
    access: Secretariat,
    session: SessionDep,
) -> DecisionPublic:
    """The secretariat records a decision the item's minutes state (in the log at once)."""
    decision = decisions.record_from_minutes(
        session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
    )
    return _decision_public(session, decision)


@router.post(PROJECT + "/meetings/{meeting_id}/minutes/publish", response_model=MeetingPublic)
def publish_minutes(
    meeting_id: int, access: Secretariat, session: SessionDep, data: MinutesPublish | None = None
) -> MeetingPublic:
    """Publish the minutes: the body's members are told, with a link."""
    meeting = meetings.publish_minutes(
        session=session, by=access, meeting_id=meeting_id, data=data or MinutesPublish()
    )
    return _meeting_public(session, meeting)


@router.put(
    PROJECT + "/meetings/{meeting_id}/attendance/{person_id}", response_model=AttendancePublic
)
def set_attendance(
    meeting_id: int, person_id: int, data: AttendanceSet, access: Secretariat, session: SessionDep
) -> AttendancePublic:
    """Register a person as present, absent or called in ad hoc (with the reason)."""
    row = meetings.set_attendance(
        session=session, by=access, meeting_id=meeting_id, person_id=person_id, data=data
    )
    person = people.get_person(session=session, project_id=access.project_id, person_id=person_id)
    return AttendancePublic(
        person_id=person_id, person_name=person.name, status=row.status, reason=row.reason
    )


@router.delete(PROJECT + "/meetings/{meeting_id}/attendance/{person_id}", status_code=204)
def clear_attendance(
    meeting_id: int, person_id: int, access: Secretariat, session: SessionDep
) -> Response:
    meetings.clear_attendance(
        session=session, by=access, meeting_id=meeting_id, person_id=person_id
    )
    return Response(status_code=204)


# Decisions -------------------------------------------------------------------------------------


def _decision_public(session: Session, decision: Decision) -> DecisionPublic:
    return DecisionPublic.model_validate(decision).model_copy(
        update={
            "supersedes_ids": [
                d.id for d in decisions.superseding(session=session, decision_id=decision.id or 0)
            ],
            "actions": [
                FollowUpPublic.model_validate(a)
                for a, _ in decisions.follow_ups(session=session, decision_id=decision.id or 0)
            ],
        }
    )


@router.get(PROJECT + "/decisions", response_model=list[DecisionPublic])
def search_decisions(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    q: str = "",
    body_id: int | None = None,
) -> list[DecisionPublic]:
    """The decision log, newest first; q searches titles and texts (every word must occur)."""
    rows, total = decisions.search_decisions(
        session=session,
        project_id=access.project_id,
        q=q,
        body_id=body_id,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [_decision_public(session, d) for d in rows]


@router.post(PROJECT + "/decisions", response_model=DecisionPublic, status_code=201)
def record_decision(
    data: DecisionCreate, access: DecisionMaker, session: SessionDep
) -> DecisionPublic:
    """Record a decision with its follow-up actions."""
    return _decision_public(
        session, decisions.record_decision(session=session, by=access, data=data)
    )


@router.get(PROJECT + "/decisions/{decision_id}", response_model=DecisionPublic)
def get_decision(decision_id: int, access: ProjectAccess, session: SessionDep) -> DecisionPublic:
    return _decision_public(
        session,
        decisions.get_decision(
            session=session, project_id=access.project_id, decision_id=decision_id
        ),
    )


@router.post(
    PROJECT + "/decisions/{decision_id}/supersede", response_model=DecisionPublic, status_code=201
)
def supersede_decision(
    decision_id: int, data: DecisionCreate, access: DecisionMaker, session: SessionDep
) -> DecisionPublic:
    """Record a new decision that supersedes this one (which stays in the log, marked)."""
    return _decision_public(
        session,
        decisions.supersede_decision(
            session=session, by=access, decision_id=decision_id, data=data
        ),
    )


@router.post(
    PROJECT + "/decisions/{decision_id}/actions", response_model=FollowUpPublic, status_code=201
)
def add_follow_up(
    decision_id: int, data: FollowUpCreate, access: FollowUpEditor, session: SessionDep
) -> Any:
    return decisions.add_follow_up(session=session, by=access, decision_id=decision_id, data=data)


@router.patch(
    PROJECT + "/decisions/{decision_id}/actions/{action_id}", response_model=FollowUpPublic
)
def update_follow_up(
    decision_id: int,
    action_id: int,
    data: FollowUpUpdate,
    access: FollowUpEditor,
    session: SessionDep,
) -> Any:
    """Change a follow-up action or mark it done (done_date)."""
    return decisions.update_follow_up(
        session=session, by=access, decision_id=decision_id, action_id=action_id, data=data
    )
