"""Every update and delete of the project, its people and director areas, bodies, members,
mandate, meeting rules, meetings, minutes, agenda items and follow-up actions is conditional
(issue 25)."""

import pytest
from sqlmodel import Session

from app.governance.models import AgendaItem, FollowUpAction, MandateItem, MeetingRule, Membership
from tests.conditional import Case, check
from tests.factories import ProjectWorld, bearer, make_body, make_person
from tests.governance.factories import make_area, make_decision, make_meeting


def _saved(session: Session, row):
    session.add(row)
    session.commit()
    return row


def _body(session: Session, world: ProjectWorld):
    return make_body(session, world.project, name="Følgegruppe", reports_to_id=world.management.id)


def _member(session: Session, world: ProjectWorld) -> Membership:
    person = make_person(session, world.project)
    return _saved(session, Membership(body_id=world.steering.id or 0, person_id=person.id or 0))


def _mandate(session: Session, world: ProjectWorld) -> MandateItem:
    return _saved(session, MandateItem(body_id=world.steering.id or 0, text="Godkende planer"))


def _rule(session: Session, world: ProjectWorld) -> MeetingRule:
    body_id = world.group_a.id or 0
    return _saved(session, MeetingRule(project_id=world.project.id or 0, body_id=body_id))


def _item(session: Session, world: ProjectWorld) -> AgendaItem:
    """The first of two agenda items (so moving it to place 2 changes the order)."""
    meeting = make_meeting(session, world)
    _saved(session, AgendaItem(meeting_id=meeting.id or 0, position=2, title="Eventuelt"))
    return _saved(session, AgendaItem(meeting_id=meeting.id or 0, position=1, title="Status"))


def _action(session: Session, world: ProjectWorld) -> FollowUpAction:
    decision = make_decision(session, world)
    return _saved(session, FollowUpAction(decision_id=decision.id or 0, text="Skriv til KL"))


AGENDA = "/meetings/{meeting_id}/agenda/{id}"
CASES = [
    Case("patch", "", lambda s, w: w.project, {"name": "Rehabilitering i Svendborg"}),
    Case("patch", "/director-areas/{id}", lambda s, w: make_area(s, w.project), {"name": "Børn"}),
    Case("delete", "/director-areas/{id}", lambda s, w: make_area(s, w.project), ok=204),
    Case("patch", "/people/{id}", lambda s, w: make_person(s, w.project), {"title": "Leder"}),
    Case("delete", "/people/{id}", lambda s, w: make_person(s, w.project), ok=204),
    Case("patch", "/bodies/{id}", _body, {"name": "Brugergruppe"}),
    Case("delete", "/bodies/{id}", _body, ok=204),
    Case("patch", "/bodies/{body_id}/members/{id}", _member, {"role": "chair"}),
    Case("delete", "/bodies/{body_id}/members/{id}", _member, ok=204),
    Case("patch", "/bodies/{body_id}/mandate/{id}", _mandate, {"text": "Godkende budget"}),
    Case("delete", "/bodies/{body_id}/mandate/{id}", _mandate, ok=204),
    Case(
        "patch",
        "/bodies/{body_id}/meeting-rules/{counterpart}",
        _rule,
        {"meeting_interval_days": 14},
    ),
    Case("patch", "/meetings/{id}", make_meeting, {"place": "Rådhuset"}, user="secretariat"),
    Case("delete", "/meetings/{id}", make_meeting, ok=204, user="secretariat"),
    Case("put", "/meetings/{id}/minutes", make_meeting, {"minutes": "Godkendt."}),
    Case("patch", AGENDA, _item, {"title": "Status fra grupperne"}, user="secretariat"),
    Case("delete", AGENDA, _item, ok=204, user="secretariat"),
    Case("put", AGENDA + "/position", _item, {"position": 2}, user="secretariat"),
    Case("put", AGENDA + "/minutes", _item, {"minutes": "Taget til efterretning."}),
    Case("patch", "/decisions/{decision_id}/actions/{id}", _action, {"done_date": "2013-05-01"}),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_updates_and_deletes_name_the_version(client, session, world, case):
    check(client, session, world, bearer(client, case.user), case)
