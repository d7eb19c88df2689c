from datetime import date

import pytest
from pydantic import ValidationError
from sqlmodel import select

from app import clock
from app.audit.models import AuditEvent
from app.auth.service import access_for
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.governance.models import DirectorArea
from app.stakeholders import activities, communication, rules, service
from app.stakeholders.models import (
    ActivityDelegate,
    Attitude,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderPosition,
    Strategy,
)
from app.stakeholders.schemas import (
    ActionCreate,
    ActionUpdate,
    ActivityCreate,
    ActivityUpdate,
    DelegateAdd,
    StakeholderCreate,
    StakeholderUpdate,
)
from tests.factories import make_person
from tests.stakeholders.factories import make_action, make_activity, make_stakeholder


def by(session, world, name):
    return access_for(session=session, user=world.users[name], project_id=world.project.id)


def new(**overrides):
    values = {"name": "LBR", "influence": 3, "interest": 4, "attitude": "positive"}
    return StakeholderCreate(**(values | overrides))


def count(session, model):
    return len(session.exec(select(model)).all())


# ---------------------------------------------------------------- the quadrant rule


@pytest.mark.parametrize(
    ("influence", "interest", "strategy"),
    [
        (5, 5, Strategy.manage_closely),
        (3, 3, Strategy.manage_closely),
        (5, 1, Strategy.keep_satisfied),
        (3, 2, Strategy.keep_satisfied),
        (2, 3, Strategy.keep_informed),
        (1, 5, Strategy.keep_informed),
        (2, 2, Strategy.monitor),
        (1, 1, Strategy.monitor),
    ],
)
def test_quadrant_gives_the_strategy_and_three_counts_as_high(influence, interest, strategy):
    assert rules.quadrant(influence=influence, interest=interest) == strategy


def test_strategy_text_shows_both_vocabularies():
    assert rules.strategy_text(Strategy.manage_closely) == "Involvér tæt (ressourcepersoner)"
    assert rules.strategy_text(Strategy.keep_satisfied) == "Hold tilfreds (grå eminencer)"
    assert rules.strategy_text(Strategy.keep_informed) == "Hold informeret (gidsler)"
    assert rules.strategy_text(Strategy.monitor) == "Overvåg (eksterne interessenter)"


# ---------------------------------------------------------------- stakeholders


def test_create_stores_the_stakeholder_its_first_position_and_an_audit_event(session, world):
    s = service.create_stakeholder(
        session=session,
        by=by(session, world, "leader"),
        data=new(group_id=world.group_a.id, assessed_date=date(2012, 11, 1)),
    )
    assert rules.strategy_of(s) == Strategy.manage_closely
    history = service.position_history(session=session, stakeholder_id=s.id)
    assert [(h.assessed_date, h.influence, h.interest, h.attitude) for h in history] == [
        (date(2012, 11, 1), 3, 4, Attitude.positive)
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "stakeholder")).one()
    assert event.action == "created" and event.after["name"] == "LBR"


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("influence", 7, "»Indflydelse« skal være fra 1 til 5, ikke 7"),
        ("interest", 0, "»Interesse« skal være fra 1 til 5, ikke 0"),
        ("attitude", "begejstret", "»Holdning« kender ikke »begejstret«"),
        ("kind", "halvt", "»Intern eller ekstern« kender ikke »halvt«"),
        ("strategy_override", "ignorér", "»Strategi« kender ikke »ignorér«"),
    ],
)
def test_bad_scores_and_choices_are_refused_in_danish(field, value, needle):
    with pytest.raises(ValidationError) as raised:
        new(**{field: value})
    assert needle in str(raised.value)


def test_an_external_stakeholder_has_no_director_area(session, world):
    area = DirectorArea(project_id=world.project.id, name="Social & Sundhed")
    session.add(area)
    session.commit()
    with pytest.raises(Invalid) as raised:
        service.create_stakeholder(
            session=session,
            by=by(session, world, "leader"),
            data=new(kind="external", director_area_id=area.id),
        )
    assert raised.value.field == "director_area_id"
    internal = service.create_stakeholder(
        session=session,
        by=by(session, world, "leader"),
        data=new(kind="internal", director_area_id=area.id),
    )
    assert internal.director_area_id == area.id


def test_ids_of_another_project_are_refused(session, world):
    other_area = DirectorArea(project_id=world.other_project.id, name="Andet")
    session.add(other_area)
    session.commit()
    leader = by(session, world, "leader")
    with pytest.raises(Invalid) as raised:
        service.create_stakeholder(
            session=session, by=leader, data=new(kind="internal", director_area_id=other_area.id)
        )
    assert raised.value.field == "director_area_id"
    with pytest.raises(Invalid) as raised:
        service.create_stakeholder(session=session, by=leader, data=new(group_id=world.steering.id))
    assert raised.value.field == "group_id"
    assert count(session, Stakeholder) == 0


def test_an_overridden_strategy_needs_a_reason(session, world):
    leader = by(session, world, "leader")
    with pytest.raises(ValidationError) as raised:
        new(influence=2, interest=2, strategy_override="keep_informed")
    assert raised.value.errors()[0]["loc"] == ("override_reason",)
    assert "Angiv en begrundelse, når strategien afviger fra kvadrantens »Overvåg«" in str(
        raised.value
    )
    s = make_stakeholder(session, world.project, influence=2, interest=2)
    with pytest.raises(Invalid) as refused:
        service.update_stakeholder(
            session=session,
            by=leader,
            stakeholder_id=s.id,
            data=StakeholderUpdate(strategy_override="keep_informed", version=1),
        )
    assert refused.value.field == "override_reason"
    assert count(session, Stakeholder) == 1 and count(session, StakeholderPosition) == 1
    s = service.create_stakeholder(
        session=session,
        by=leader,
        data=new(
            influence=2,
            interest=2,
            strategy_override="keep_informed",
            override_reason="Skal åbne døre for ledige.",
        ),
    )
    assert rules.strategy_of(s) == Strategy.keep_informed
    assert rules.quadrant(influence=2, interest=2) == Strategy.monitor


def test_group_members_create_only_for_their_own_group_others_not_at_all(session, world):
    ok = service.create_stakeholder(
        session=session, by=by(session, world, "member_a"), data=new(group_id=world.group_a.id)
    )
    assert ok.group_id == world.group_a.id
    for name, group in [
        ("member_a", world.group_b.id),
        ("member_a", None),
        ("steering", world.group_a.id),
        ("directorate", world.group_a.id),
    ]:
        with pytest.raises(Forbidden):
            service.create_stakeholder(
                session=session,
                by=by(session, world, name),
                data=new(name="Afvist", group_id=group),
            )
    assert [
        s.name for s in service.list_stakeholders(session=session, project_id=world.project.id)
    ] == ["LBR"]


def test_a_move_adds_a_position_and_is_audited_as_moved(session, world):
    s = make_stakeholder(
        session,
        world.project,
        group_id=world.group_a.id,
        influence=3,
        interest=2,
        attitude=Attitude.neutral,
    )
    service.update_stakeholder(
        session=session,
        by=by(session, world, "member_a"),
        stakeholder_id=s.id,
        data=StakeholderUpdate(
            interest=4,
            attitude="positive",
            version=1,
            assessed_date=date(2013, 1, 15),
            assessment_note="Efter orienteringen på rådsmødet.",
        ),
    )
    history = service.position_history(session=session, stakeholder_id=s.id)
    assert [(h.interest, h.attitude) for h in history] == [
        (2, Attitude.neutral),
        (4, Attitude.positive),
    ]
    assert history[-1].note == "Efter orienteringen på rådsmødet."
    assert history[-1].recorded_by_id == world.users["member_a"].id
    moves = service.moves(session=session, project_id=world.project.id)
    assert [(m.stakeholder.id, m.before.interest, m.after.interest) for m in moves] == [
        (s.id, 2, 4)
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "stakeholder")).one()
    assert event.action == "moved" and event.before["interest"] == 2
    assert event.after["interest"] == 4 and event.after["version"] == 2


def test_an_edit_without_a_move_adds_no_position(session, world):
    s = make_stakeholder(session, world.project)
    service.update_stakeholder(
        session=session,
        by=by(session, world, "leader"),
        stakeholder_id=s.id,
        data=StakeholderUpdate(needs="Tidsplanen.", version=1),
    )
    assert len(service.position_history(session=session, stakeholder_id=s.id)) == 1
    assert session.get(Stakeholder, s.id).needs == "Tidsplanen."


def test_an_outdated_version_is_a_conflict(session, world):
    s = make_stakeholder(session, world.project)
    leader = by(session, world, "leader")
    service.update_stakeholder(
        session=session,
        by=leader,
        stakeholder_id=s.id,
        data=StakeholderUpdate(influence=5, version=1),
    )
    with pytest.raises(Conflict):
        service.update_stakeholder(
            session=session,
            by=leader,
            stakeholder_id=s.id,
            data=StakeholderUpdate(influence=1, version=1),
        )
    assert session.get(Stakeholder, s.id).influence == 5


def test_a_refused_edit_changes_nothing(session, world):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    with pytest.raises(Forbidden):
        service.update_stakeholder(
            session=session,
            by=by(session, world, "member_b"),
            stakeholder_id=s.id,
            data=StakeholderUpdate(influence=1, version=1),
        )
    with pytest.raises(Invalid) as raised:
        service.update_stakeholder(
            session=session,
            by=by(session, world, "leader"),
            stakeholder_id=s.id,
            data=StakeholderUpdate(influence=1, version=1, assessed_date=date(2012, 10, 1)),
        )
    assert raised.value.field == "assessed_date"
    assert "01.10.2012" in raised.value.message and "01.11.2012" in raised.value.message
    session.commit()
    session.expire_all()
    assert session.get(Stakeholder, s.id).influence == 4
    assert session.get(Stakeholder, s.id).version == 1
    assert len(service.position_history(session=session, stakeholder_id=s.id)) == 1
    assert session.exec(select(AuditEvent).where(AuditEvent.entity == "stakeholder")).all() == []


def test_clearing_the_override_clears_its_reason(session, world):
    s = make_stakeholder(
        session, world.project, strategy_override=Strategy.monitor, override_reason="Afventer."
    )
    service.update_stakeholder(
        session=session,
        by=by(session, world, "leader"),
        stakeholder_id=s.id,
        data=StakeholderUpdate(strategy_override=None, version=1),
    )
    assert session.get(Stakeholder, s.id).override_reason == ""
    with pytest.raises(Invalid):
        service.update_stakeholder(
            session=session,
            by=by(session, world, "leader"),
            stakeholder_id=s.id,
            data=StakeholderUpdate(strategy_override="monitor", version=2),
        )


def test_delete_removes_history_and_actions(session, world):
    s = make_stakeholder(session, world.project)
    make_action(session, s)
    service.delete_stakeholder(
        session=session, by=by(session, world, "leader"), stakeholder_id=s.id, version=1
    )
    assert count(session, Stakeholder) == count(session, StakeholderPosition) == 0
    assert count(session, CommunicationAction) == 0
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "deleted")).one()


def test_a_stakeholder_of_another_project_is_not_found(session, world):
    s = make_stakeholder(session, world.other_project)
    with pytest.raises(NotFound):
        service.update_stakeholder(
            session=session,
            by=by(session, world, "leader"),
            stakeholder_id=s.id,
            data=StakeholderUpdate(influence=1, version=1),
        )


# ---------------------------------------------------------------- communication plan


def test_an_action_belongs_to_the_stakeholders_group_unless_another_is_named(session, world):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    person = make_person(session, world.project, name="Lene Kragh")
    action = communication.create_action(
        session=session,
        by=by(session, world, "member_a"),
        stakeholder_id=s.id,
        data=ActionCreate(
            what="Brev",
            channel="email",
            planned_date=date(2013, 1, 14),
            responsible_person_id=person.id,
        ),
    )
    assert action.group_id == world.group_a.id and action.done is False
    other = communication.create_action(
        session=session,
        by=by(session, world, "member_b"),
        stakeholder_id=s.id,
        data=ActionCreate(
            what="Kursus",
            channel="meeting",
            planned_date=date(2013, 2, 1),
            group_id=world.group_b.id,
        ),
    )
    assert other.group_id == world.group_b.id
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "communication_action")
    ).all()
    assert len(event) == 2


def test_action_refusals_store_nothing(session, world):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    outsider_person = make_person(session, world.other_project)
    data = {"what": "Brev", "channel": "email", "planned_date": date(2013, 1, 14)}
    with pytest.raises(Invalid) as raised:
        communication.create_action(
            session=session,
            by=by(session, world, "leader"),
            stakeholder_id=s.id,
            data=ActionCreate(**data, responsible_person_id=outsider_person.id),
        )
    assert raised.value.field == "responsible_person_id"
    with pytest.raises(Forbidden):
        communication.create_action(
            session=session,
            by=by(session, world, "member_b"),
            stakeholder_id=s.id,
            data=ActionCreate(**data),
        )
    with pytest.raises(ValidationError) as bad_channel:
        ActionCreate(**(data | {"channel": "brevdue"}))
    assert "»Kanal« kender ikke »brevdue«" in str(bad_channel.value)
    assert count(session, CommunicationAction) == 0


def test_marking_done_dates_it_today_and_reopening_clears_it(session, world):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    action = make_action(session, s)
    member = by(session, world, "member_a")
    communication.update_action(
        session=session, by=member, action_id=action.id, data=ActionUpdate(done=True, version=1)
    )
    assert session.get(CommunicationAction, action.id).done_date == clock.today()
    communication.update_action(
        session=session, by=member, action_id=action.id, data=ActionUpdate(done=False, version=2)
    )
    assert session.get(CommunicationAction, action.id).done_date is None
    with pytest.raises(Conflict):
        communication.update_action(
            session=session, by=member, action_id=action.id, data=ActionUpdate(done=True, version=2)
        )
    with pytest.raises(Forbidden):
        communication.update_action(
            session=session,
            by=by(session, world, "member_b"),
            action_id=action.id,
            data=ActionUpdate(done=True, version=3),
        )


def test_communication_actions_filter_by_group_period_and_done(session, world):
    a = make_stakeholder(session, world.project, name="Borgere", group_id=world.group_a.id)
    b = make_stakeholder(session, world.project, name="Læger", group_id=world.group_b.id)
    make_action(
        session,
        a,
        what="Hjemmeside",
        planned_date=date(2013, 1, 2),
        done=True,
        done_date=date(2013, 1, 3),
    )
    make_action(session, a, what="Pjece", planned_date=date(2013, 1, 21))
    make_action(session, b, what="Brev", planned_date=date(2013, 1, 14))
    make_action(session, world and make_stakeholder(session, world.other_project), what="Fremmed")

    def whats(**filters):
        return [
            v.action.what
            for v in communication.communication_actions(
                session=session, project_id=world.project.id, **filters
            )
        ]

    assert whats() == ["Hjemmeside", "Brev", "Pjece"]
    assert whats(group_id=world.group_a.id) == ["Hjemmeside", "Pjece"]
    assert whats(start=date(2013, 1, 10), end=date(2013, 1, 21)) == ["Brev", "Pjece"]
    assert whats(done=False) == ["Brev", "Pjece"]
    view = communication.communication_actions(
        session=session, project_id=world.project.id, group_id=world.group_b.id
    )[0]
    assert (view.stakeholder_name, view.group_name) == ("Læger", "Gruppe B")


# ---------------------------------------------------------------- external activities


def activity(**overrides):
    values = {
        "title": "KL's implementeringsnetværk",
        "kind": "network",
        "organiser": "KL",
        "delegate_limit": 3,
    }
    return ActivityCreate(**(values | overrides))


def test_an_activity_with_delegates_within_its_limit(session, world):
    people = [make_person(session, world.project).id for _ in range(3)]
    created = activities.create_activity(
        session=session,
        by=by(session, world, "leader"),
        data=activity(delegate_ids=people, activity_date=date(2012, 11, 22), start_time="9.30"),
    )
    view = activities.get_activity(
        session=session, project_id=world.project.id, activity_id=created.id
    )
    assert [p.id for p in view.delegates] == people
    assert view.activity.start_time == "09:30"
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "external_activity")).one()
    assert event.after["delegate_ids"] == people


def test_a_fourth_delegate_is_refused_naming_the_limit(session, world):
    people = [make_person(session, world.project).id for _ in range(4)]
    leader = by(session, world, "leader")
    with pytest.raises(Invalid) as raised:
        activities.create_activity(session=session, by=leader, data=activity(delegate_ids=people))
    assert raised.value.field == "delegate_ids"
    assert "højst 3 delegerede" in raised.value.message
    assert count(session, ExternalActivity) == 0
    kl = make_activity(
        session,
        world.project,
        delegate_limit=3,
        delegates=tuple(people[:3]),
        title="KL's implementeringsnetværk",
    )
    with pytest.raises(Invalid) as raised:
        activities.add_delegate(
            session=session, by=leader, activity_id=kl.id, data=DelegateAdd(person_id=people[3])
        )
    assert raised.value.message.startswith(
        "KL's implementeringsnetværk tillader højst 3 delegerede fra kommunen; der er angivet 4."
    )
    assert count(session, ActivityDelegate) == 3
    assert session.get(ExternalActivity, kl.id).version == 1


def test_a_delegate_must_be_a_person_of_the_project_and_named_once(session, world):
    stranger = make_person(session, world.other_project)
    mine = make_person(session, world.project, name="Birgit Bagge")
    leader = by(session, world, "leader")
    with pytest.raises(Invalid) as raised:
        activities.create_activity(
            session=session, by=leader, data=activity(delegate_ids=[stranger.id])
        )
    assert "ikke en person i projektets organisation" in raised.value.message
    with pytest.raises(Invalid) as raised:
        activities.create_activity(
            session=session, by=leader, data=activity(delegate_ids=[mine.id, mine.id])
        )
    assert "Birgit Bagge er allerede delegeret" in raised.value.message
    kl = make_activity(session, world.project)
    with pytest.raises(Invalid):
        activities.add_delegate(
            session=session, by=leader, activity_id=kl.id, data=DelegateAdd(person_id=stranger.id)
        )
    assert count(session, ActivityDelegate) == 0


def test_the_limit_cannot_drop_below_the_delegates_named(session, world):
    people = [make_person(session, world.project).id for _ in range(3)]
    kl = make_activity(session, world.project, delegate_limit=3, delegates=tuple(people))
    leader = by(session, world, "leader")
    with pytest.raises(Invalid) as raised:
        activities.update_activity(
            session=session,
            by=leader,
            activity_id=kl.id,
            data=ActivityUpdate(delegate_limit=2, version=1),
        )
    assert "højst 2 delegerede" in raised.value.message
    activities.update_activity(
        session=session,
        by=leader,
        activity_id=kl.id,
        data=ActivityUpdate(delegate_limit=2, delegate_ids=people[:2], version=1),
    )
    assert [
        p.id
        for p in activities.get_activity(
            session=session, project_id=world.project.id, activity_id=kl.id
        ).delegates
    ] == people[:2]
    activities.remove_delegate(
        session=session, by=leader, activity_id=kl.id, person_id=people[0], version=2
    )
    assert [
        p.id
        for p in activities.get_activity(
            session=session, project_id=world.project.id, activity_id=kl.id
        ).delegates
    ] == people[1:2]


def test_activities_are_edited_by_the_leader_and_the_responsible_group(session, world):
    kl = make_activity(session, world.project, group_id=world.group_a.id)
    person = make_person(session, world.project)
    activities.add_delegate(
        session=session,
        by=by(session, world, "member_a"),
        activity_id=kl.id,
        data=DelegateAdd(person_id=person.id),
    )
    for name in ("member_b", "steering", "directorate", "secretariat"):
        with pytest.raises(Forbidden):
            activities.remove_delegate(
                session=session, by=by(session, world, name), activity_id=kl.id, person_id=person.id
            )
    activities.delete_activity(
        session=session, by=by(session, world, "leader"), activity_id=kl.id, version=kl.version
    )
    assert count(session, ExternalActivity) == count(session, ActivityDelegate) == 0


def test_activities_list_dated_ones_first(session, world):
    make_activity(session, world.project, title="Politisk seminar")
    make_activity(session, world.project, title="Netværksmøde", activity_date=date(2012, 12, 13))
    make_activity(session, world.project, title="Opstartsmøde", activity_date=date(2012, 11, 22))
    assert [
        v.activity.title
        for v in activities.list_activities(session=session, project_id=world.project.id)
    ] == ["Opstartsmøde", "Netværksmøde", "Politisk seminar"]
