"""Service rules of participant registration: pseudonymity, data minimisation, dates, outcomes,
registrars, audited reads, follow-ups due, scheme changes and retention."""

from datetime import date

import pytest
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.auth.service import Access
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.participants import (
    figures,
    follow_ups,
    indicators,
    records,
    registrations,
    retention,
    setup,
)
from app.participants.models import FollowUp, Participant, Registrar
from app.participants.schemas import (
    FollowUpCreate,
    ParticipantCreate,
    ParticipantUpdate,
    SchemeUpdate,
)
from app.participants.schemes import SchemeDefinition, add_months
from app.participants.values import check_code
from tests.participants.factories import (
    TODAY,
    access,
    exit_participant,
    follow_up,
    make_participant,
    make_scheme,
    scheme_definition,
    start_values,
)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _reads(session) -> list[dict]:
    return [
        e.after
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.action == "read").order_by(AuditEvent.id)
        ).all()
    ]


def test_add_months_keeps_the_day_or_the_last_of_the_month():
    assert add_months(date(2013, 1, 31), 1) == date(2013, 2, 28)
    assert add_months(date(2013, 11, 15), 3) == date(2014, 2, 15)


@pytest.mark.parametrize("code", ["0101901234", "010190-1234", "VC 010190 1234"])
def test_a_code_that_looks_like_a_cpr_number_is_refused(code):
    with pytest.raises(Invalid, match="ligner et CPR-nummer") as exc:
        check_code(code)
    assert exc.value.field == "code"


@pytest.mark.parametrize("code", ["Anna Hansen", "ANNA", "x"])
def test_a_code_must_be_a_pseudonym(code):
    with pytest.raises(Invalid, match="pseudonym kode"):
        check_code(code)


def test_register_with_automatic_code_and_audit_without_values(session, world):
    scheme = make_scheme(session, world)
    first = make_participant(session, world, scheme)
    second = make_participant(session, world, scheme, code="vc-100")
    third = make_participant(session, world, scheme)
    assert (first.code, second.code, third.code) == ("VC-001", "VC-100", "VC-101")
    assert first.start_values == {"age": 41, "sex": "Kvinde", "goal": "Lagerarbejde", "hours": 8}
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "participant", AuditEvent.action == "created")
    ).first()
    assert event.after["code"] == "VC-001"
    assert event.after["fields"] == ["age", "goal", "hours", "sex"]
    assert "Lagerarbejde" not in str(event.after)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"goal": "Borger 010190-1234"}, "start_values.goal"),
        ({"goal": "0101901234"}, "start_values.goal"),
        ({"age": "010190 1234"}, "start_values.age"),
        ({"age": 1010901234}, "start_values.age"),
        ({"name": "241275-1234"}, "start_values.name"),
    ],
)
def test_a_cpr_like_value_in_any_field_is_refused_and_nothing_stored(session, world, values, field):
    scheme = make_scheme(session, world)
    with pytest.raises(Invalid, match="ligner et CPR-nummer") as exc:
        make_participant(session, world, scheme, start_values=start_values(**values))
    assert exc.value.field == field
    assert _count(session, Participant) == 0


def test_a_cpr_like_target_group_or_follow_up_value_is_refused(session, world):
    scheme = make_scheme(session, world)
    with pytest.raises(Invalid, match="CPR"):
        make_participant(session, world, scheme, target_group="0101901234")
    p = make_participant(session, world, scheme)
    with pytest.raises(Invalid, match="CPR") as exc:
        follow_up(session, world, p, date(2013, 8, 1), development="010190-1234")
    assert exc.value.field == "values.development"
    assert _count(session, FollowUp) == 0


def test_unknown_fields_are_refused_data_minimisation(session, world):
    scheme = make_scheme(session, world)
    with pytest.raises(Invalid, match="findes ikke i registreringsskemaet") as exc:
        make_participant(session, world, scheme, start_values=start_values(diagnosis="Depression"))
    assert exc.value.field == "start_values.diagnosis"
    assert "dataminimering" in exc.value.message
    assert _count(session, Participant) == 0


def test_a_value_outside_the_options_and_a_wrong_type_are_refused(session, world):
    scheme = make_scheme(session, world)
    with pytest.raises(Invalid, match="»Ukendt« er ikke en mulighed i »Køn«") as exc:
        make_participant(session, world, scheme, start_values=start_values(sex="Ukendt"))
    assert exc.value.field == "start_values.sex"
    with pytest.raises(Invalid, match="»Alder« skal være et tal"):
        make_participant(session, world, scheme, start_values=start_values(age="fyrre"))
    with pytest.raises(Invalid, match="»Alder« må højst være 67"):
        make_participant(session, world, scheme, start_values=start_values(age=70))
    with pytest.raises(Invalid, match="»Køn« skal udfyldes"):
        make_participant(session, world, scheme, start_values={"age": 30})
    with pytest.raises(Invalid, match="Målgruppen »Unge« findes ikke"):
        make_participant(session, world, scheme, target_group="Unge")
    assert _count(session, Participant) == 0


def test_form_values_are_converted(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(
        session,
        world,
        scheme,
        start_values={
            "age": "41",
            "sex": "Mand",
            "mentor": "ja",
            "hours": "7,5",
            "goal": " Lager ",
        },
    )
    assert p.start_values == {
        "age": 41,
        "sex": "Mand",
        "mentor": True,
        "hours": 7.5,
        "goal": "Lager",
    }


def test_start_date_in_the_future_or_outside_the_period_is_refused(session, world):
    scheme = make_scheme(
        session, world, period_start_date="2013-01-01", period_end_date="2014-06-30"
    )
    with pytest.raises(Invalid, match="ligger i fremtiden"):
        make_participant(session, world, scheme, start_date=date(2015, 2, 1))
    with pytest.raises(Invalid, match="ligger før ordningens periode"):
        make_participant(session, world, scheme, start_date=date(2012, 12, 1))
    with pytest.raises(Invalid, match="ligger efter ordningens periode") as exc:
        make_participant(session, world, scheme, start_date=date(2014, 7, 1))
    assert exc.value.field == "start_date"


def test_a_follow_up_dated_before_the_start_is_refused_and_nothing_stored(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    with pytest.raises(Invalid) as exc:
        follow_up(session, world, p, date(2013, 4, 30))
    assert exc.value.message == (
        "Opfølgningsdatoen (30.04.2013) ligger før deltagerens startdato (01.05.2013)."
    )
    assert exc.value.field == "follow_up_date"
    assert _count(session, FollowUp) == 0
    follow_up(session, world, p, date(2013, 8, 1))
    with pytest.raises(Invalid, match="har allerede en opfølgning den 01.08.2013"):
        follow_up(session, world, p, date(2013, 8, 1))
    with pytest.raises(Invalid, match="ligger i fremtiden"):
        follow_up(session, world, p, date(2015, 1, 5))


def test_exit_outcome_must_be_in_the_scheme(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    with pytest.raises(Invalid, match="Afslutningsstatussen »prison« findes ikke") as exc:
        exit_participant(session, world, p, date(2013, 9, 1), outcome="prison")
    assert exc.value.field == "outcome"
    session.refresh(p)
    assert p.exit_date is None and p.exit_outcome is None


def test_exit_dates_and_a_second_exit(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    follow_up(session, world, p, date(2013, 8, 1))
    with pytest.raises(Invalid, match="ligger før den seneste opfølgning"):
        exit_participant(session, world, p, date(2013, 7, 1))
    with pytest.raises(Invalid, match="ligger før deltagerens startdato"):
        exit_participant(session, world, p, date(2013, 4, 1))
    exited = exit_participant(session, world, p, date(2013, 9, 1), outcome="flex_job")
    assert (exited.exit_outcome, exited.version) == ("flex_job", 2)
    with pytest.raises(Conflict, match="blev afsluttet 01.09.2013"):
        exit_participant(session, world, p, date(2013, 9, 2))
    with pytest.raises(Invalid, match="efter deltagerens afslutning"):
        follow_up(session, world, p, date(2013, 10, 1))
    reopened = registrations.reopen(
        session=session, by=access(session, world), participant_id=p.id, version=p.version
    )
    assert reopened.exit_date is None and reopened.exit_values == {}


def test_update_participant_checks_version_and_dates(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    follow_up(session, world, p, date(2013, 8, 1))
    by = access(session, world)
    with pytest.raises(Conflict):
        registrations.update_participant(
            session=session,
            by=by,
            participant_id=p.id,
            data=ParticipantUpdate(target_group=None, version=7),
            today=TODAY,
        )
    with pytest.raises(Invalid, match="ligger efter den første opfølgning"):
        registrations.update_participant(
            session=session,
            by=by,
            participant_id=p.id,
            data=ParticipantUpdate(start_date=date(2013, 9, 1), version=1),
            today=TODAY,
        )
    updated = registrations.update_participant(
        session=session,
        by=by,
        participant_id=p.id,
        today=TODAY,
        data=ParticipantUpdate(code="VC-777", start_values=start_values(age=42), version=1),
    )
    assert (updated.code, updated.start_values["age"], updated.version) == ("VC-777", 42, 2)
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "updated", AuditEvent.entity == "participant")
    ).one()
    assert event.after["fields"] == ["age"]


@pytest.mark.parametrize("name", ["steering", "directorate", "member_a", "secretariat"])
def test_only_registrars_see_or_change_row_level_records(session, world, name):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    by = access(session, world, name)
    before = _count(session, AuditEvent)
    with pytest.raises(Forbidden, match="Alle andre i projektet ser kun samlede tal"):
        records.list_participants(session=session, by=by)
    with pytest.raises(Forbidden):
        records.get_participant(session=session, by=by, participant_id=p.id)
    with pytest.raises(Forbidden):
        records.due_follow_ups(session=session, by=by, today=TODAY)
    with pytest.raises(Forbidden):
        follow_ups.add_follow_up(
            session=session,
            by=by,
            participant_id=p.id,
            today=TODAY,
            data=FollowUpCreate(follow_up_date=date(2013, 8, 1), values={"development": "Uændret"}),
        )
    with pytest.raises(Forbidden):
        registrations.register_participant(
            session=session,
            by=by,
            today=TODAY,
            data=ParticipantCreate(
                scheme_id=scheme.id, start_date=date(2013, 5, 1), start_values=start_values()
            ),
        )
    assert _count(session, AuditEvent) == before
    assert _count(session, FollowUp) == 0


def test_the_leader_appoints_a_group_member_as_registrar(session, world):
    scheme = make_scheme(session, world)
    leader = access(session, world)
    member = access(session, world, "member_a")
    assert not setup.is_registrar(session=session, access=member)
    setup.appoint_registrar(session=session, by=leader, user_id=world.users["member_a"].id)
    assert setup.is_registrar(session=session, access=member)
    make_participant(session, world, scheme)
    rows, total = records.list_participants(session=session, by=member)
    assert total == 1 and rows[0].participant.code == "VC-001"
    with pytest.raises(Forbidden, match="Kun projektlederen må hente"):
        records.export_records(session=session, by=member)
    with pytest.raises(Forbidden, match="Kun projektlederen må udpege"):
        setup.appoint_registrar(session=session, by=member, user_id=world.users["member_b"].id)
    with pytest.raises(Conflict, match="allerede registrant"):
        setup.appoint_registrar(session=session, by=leader, user_id=world.users["member_a"].id)
    setup.remove_registrar(session=session, by=leader, user_id=world.users["member_a"].id)
    assert not setup.is_registrar(session=session, access=member)
    actions = session.exec(
        select(AuditEvent.action)
        .where(AuditEvent.entity == "participant_registrar")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["appointed", "removed"]


@pytest.mark.parametrize("name", ["steering", "directorate", "outsider"])
def test_steering_group_directorate_and_outsiders_cannot_be_appointed(session, world, name):
    with pytest.raises(Invalid, match="kan udpeges som registranter"):
        setup.appoint_registrar(
            session=session, by=access(session, world), user_id=world.users[name].id
        )
    assert _count(session, Registrar) == 0


def test_every_read_of_row_level_records_is_audited(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    by = access(session, world)
    records.list_participants(session=session, by=by)
    records.get_participant(session=session, by=by, participant_id=p.id)
    records.due_follow_ups(session=session, by=by, today=TODAY)
    records.export_records(session=session, by=by)
    reads = _reads(session)
    assert [r["view"] for r in reads] == ["list", "detail", "due", "export"]
    assert all(r["codes"] == ["VC-001"] for r in reads)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "read")).first()
    assert (event.user_id, event.project_id) == (world.users["leader"].id, world.project.id)


def test_aggregates_are_not_row_level_reads(session, world):
    scheme = make_scheme(session, world)
    make_participant(session, world, scheme)
    figures.monitoring_report(
        session=session, project_id=world.project.id, scheme_id=scheme.id, as_of=TODAY
    )
    indicators.indicator_value(
        session=session, project_id=world.project.id, metric="started", as_of=TODAY
    )
    assert _reads(session) == []


def test_follow_ups_due_and_leaving_the_list(session, world):
    scheme = make_scheme(session, world)
    overdue = make_participant(session, world, scheme, start_date=date(2014, 8, 1))
    soon = make_participant(session, world, scheme, start_date=date(2014, 10, 10))
    later = make_participant(session, world, scheme, start_date=date(2014, 11, 1))
    gone = make_participant(session, world, scheme, start_date=date(2014, 7, 1))
    exit_participant(session, world, gone, date(2014, 9, 1))
    by = access(session, world)
    today = date(2014, 12, 31)
    items = records.due_follow_ups(session=session, by=by, today=today)
    assert [(i.record.participant.code, i.due_date, i.overdue) for i in items] == [
        (overdue.code, date(2014, 11, 1), True),
        (soon.code, date(2015, 1, 10), False),
    ]
    assert later.code not in [i.record.participant.code for i in items]
    follow_up(session, world, overdue, date(2014, 12, 30))
    items = records.due_follow_ups(session=session, by=by, today=today)
    assert [i.record.participant.code for i in items] == [soon.code]


def test_scheme_definition_rules():
    with pytest.raises(ValueError, match="skal have mindst én mulighed"):
        SchemeDefinition.model_validate(
            scheme_definition(start_fields=[{"key": "sex", "label": "Køn", "type": "choice"}])
        )
    with pytest.raises(ValueError, match="står to gange ved start"):
        SchemeDefinition.model_validate(
            scheme_definition(
                start_fields=[
                    {"key": "a", "label": "A", "type": "text"},
                    {"key": "a", "label": "B", "type": "text"},
                ]
            )
        )
    with pytest.raises(ValueError, match="Timefeltet »goal« skal være et talfelt"):
        SchemeDefinition.model_validate(scheme_definition(hours_field="goal"))
    with pytest.raises(ValueError, match="samme type i alle faser"):
        SchemeDefinition.model_validate(
            scheme_definition(follow_up_fields=[{"key": "hours", "label": "Timer", "type": "text"}])
        )


def test_only_the_leader_changes_schemes_and_names_are_unique(session, world):
    make_scheme(session, world)
    with pytest.raises(Forbidden):
        setup.create_scheme(
            session=session,
            by=access(session, world, "steering"),
            data=SchemeDefinition.model_validate(scheme_definition(name="X")),
        )
    with pytest.raises(Conflict, match="allerede et registreringsskema med navnet"):
        make_scheme(session, world)


def test_removing_a_field_deletes_its_stored_values(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    follow_up(session, world, p, date(2013, 8, 1), hours=10)
    fields = [f for f in scheme.start_fields if f["key"] != "goal"]
    updated = setup.update_scheme(
        session=session,
        by=access(session, world),
        scheme_id=scheme.id,
        data=SchemeUpdate(start_fields=fields, version=1),
    )
    assert updated.version == 2
    session.refresh(p)
    assert "goal" not in p.start_values and p.start_values["age"] == 41
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.entity == "registration_scheme", AuditEvent.action == "updated"
        )
    ).one()
    assert event.after["dropped_values"] == 1


def test_a_scheme_change_the_records_do_not_fit_is_refused(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    exit_participant(session, world, p, date(2013, 9, 1), outcome="dropout")
    by = access(session, world)
    sex = {"key": "sex", "label": "Køn", "type": "choice", "options": ["Mand"], "required": True}
    fields = [sex if f["key"] == "sex" else f for f in scheme.start_fields]
    with pytest.raises(Invalid, match="passer ikke til de gemte registreringer"):
        setup.update_scheme(
            session=session,
            by=by,
            scheme_id=scheme.id,
            data=SchemeUpdate(start_fields=fields, version=1),
        )
    outcomes = [o for o in scheme.exit_outcomes if o["key"] != "dropout"]
    with pytest.raises(Invalid, match="»Frafald« bruges af afsluttede deltagere"):
        setup.update_scheme(
            session=session,
            by=by,
            scheme_id=scheme.id,
            data=SchemeUpdate(exit_outcomes=outcomes, version=1),
        )
    with pytest.raises(Invalid, match="Målgruppen »I ressourceforløb« bruges"):
        setup.update_scheme(
            session=session,
            by=by,
            scheme_id=scheme.id,
            data=SchemeUpdate(target_groups=["Andre"], version=1),
        )
    with pytest.raises(Conflict):
        setup.update_scheme(
            session=session,
            by=by,
            scheme_id=scheme.id,
            data=SchemeUpdate(name="Nyt navn", version=9),
        )
    with pytest.raises(Conflict, match="har 1 deltagere og kan ikke slettes"):
        setup.delete_scheme(session=session, by=by, scheme_id=scheme.id, version=scheme.version)
    session.refresh(scheme)
    assert scheme.version == 1


def test_ids_of_other_projects_are_refused(session, world):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    outsider = Access(
        user=world.users["outsider"],
        project_id=world.other_project.id,
        roles=access(session, world, "leader").roles,
    )
    with pytest.raises(NotFound):
        records.get_participant(session=session, by=outsider, participant_id=p.id)
    with pytest.raises(Invalid, match="findes ikke i dette projekt") as exc:
        registrations.register_participant(
            session=session,
            by=outsider,
            today=TODAY,
            data=ParticipantCreate(scheme_id=scheme.id, start_date=date(2013, 5, 1)),
        )
    assert exc.value.field == "scheme_id"


def test_purge_deletes_records_past_retention_and_audits_the_count(session, world):
    scheme = make_scheme(session, world, retention_months=24)
    old = make_participant(session, world, scheme, start_date=date(2013, 1, 10))
    follow_up(session, world, old, date(2013, 4, 10))
    exit_participant(session, world, old, date(2013, 6, 30))
    recent = make_participant(session, world, scheme, start_date=date(2013, 2, 1))
    exit_participant(session, world, recent, date(2013, 7, 1))
    make_participant(session, world, scheme, start_date=date(2013, 3, 1))
    assert retention.purge_expired(session=session, today=date(2015, 6, 30)) == {}
    assert retention.purge_expired(session=session, today=date(2015, 7, 1)) == {world.project.id: 1}
    codes = session.exec(select(Participant.code).order_by(Participant.code)).all()
    assert codes == ["VC-002", "VC-003"]
    assert _count(session, FollowUp) == 0
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "purged")).one()
    assert (event.project_id, event.after["count"]) == (world.project.id, 1)


def test_indicator_values_for_success_measures(session, world):
    scheme = make_scheme(session, world)
    people = [
        make_participant(session, world, scheme, start_date=date(2013, 5, 1 + i)) for i in range(6)
    ]
    for p in people[:5]:
        exit_participant(session, world, p, date(2013, 11, 1), outcome="job")
    exit_participant(session, world, people[5], date(2013, 11, 1), outcome="dropout")

    def value(metric, as_of=TODAY, **exact):
        return indicators.indicator_value(
            session=session, project_id=world.project.id, metric=metric, as_of=as_of, **exact
        )

    assert (value("exit:job").value, value("exit:job").shown) == (5, "5")
    dropout = value("exit:dropout")
    assert (dropout.value, dropout.people, dropout.shown) == (None, None, "<5")
    assert (value("exit:dropout", exact=True).value, value("exit:dropout", exact=True).people) == (
        1,
        1,
    )
    # Published, the share is computed from the rounded counts (5 of 6 → 5 of 5).
    assert (value("placed_share").value, value("placed_share").shown) == (100, "100 %")
    assert round(value("placed_share", exact=True).value, 1) == 83.3
    # Published figures are as of the month end on or before the day asked.
    started = value("started", as_of=date(2013, 5, 3))
    assert (started.as_of, started.value, started.shown) == (date(2013, 4, 30), 0, "0")
    exact = value("started", as_of=date(2013, 5, 3), exact=True)
    assert (exact.as_of, exact.value, exact.people, exact.shown) == (date(2013, 5, 3), 3, 3, "<5")
    with pytest.raises(Invalid, match="kan ikke beregnes"):
        indicators.indicator_value(
            session=session, project_id=world.project.id, metric="nonsense", as_of=TODAY
        )
    keys = [
        k for k, _ in indicators.indicator_metrics(session=session, project_id=world.project.id)
    ]
    assert "follow_ups_on_time" in keys and "exit:flex_job" in keys


def test_the_setup_page_shows_registrars_to_the_leader_only(session, world):
    scheme = make_scheme(session, world)
    other = make_scheme(session, world, name="Andet")
    page = setup.setup_page(session=session, access=access(session, world), scheme_id=other.id)
    assert [s.id for s in page.schemes] == [scheme.id, other.id] and page.scheme == other
    assert [f.key for f in page.hours_options] == ["age", "hours"]
    assert [v.user.username for v in page.registrars if v.is_project_leader]
    steering = setup.setup_page(
        session=session, access=access(session, world, "steering"), scheme_id=None
    )
    assert steering.scheme == scheme and steering.registrars == steering.appointable == []
