from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.risks import measures, service
from app.risks.models import Indicator, Measurement, RaidItem
from app.risks.rules import DueState, Frequency, RaidKind, RaidStatus, RiskLevel
from app.risks.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    MeasurementCreate,
    MeasurementUpdate,
    RaidItemCreate,
    RaidItemUpdate,
)
from tests.factories import make_body, make_person
from tests.risks.factories import access, make_indicator, make_item, make_measurement

TODAY = date(2013, 6, 1)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _events(session, entity: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.entity == entity)).all())


# --- The register ------------------------------------------------------------------------------


def test_leader_adds_a_risk_with_its_score_and_an_audit_event(session, world):
    owner = make_person(session, world.project, name="Birgit Bagge")
    item = service.create_item(
        session=session,
        by=access(session, world, "leader"),
        data=RaidItemCreate(
            title="Loven vedtages senere end 1. januar 2013",
            probability=3,
            consequence=5,
            owner_id=owner.id,
            review_date=date(2012, 12, 20),
            response="Følg lovbehandlingen.",
        ),
    )
    assert item.score == 15 and item.level == RiskLevel.high and item.version == 1
    [event] = _events(session, "raid_item")
    assert event.action == "created" and event.after["title"].startswith("Loven")
    assert event.project_id == world.project.id


@pytest.mark.parametrize("bad", [0, 6])
def test_a_probability_of_0_or_6_is_refused_and_nothing_stored(session, world, bad):
    with pytest.raises(Invalid) as exc:
        service.create_item(
            session=session,
            by=access(session, world, "leader"),
            data=RaidItemCreate(title="For få uddannede", probability=bad, consequence=3),
        )
    assert exc.value.field == "probability" and "1 til 5" in exc.value.message
    session.rollback()
    assert _count(session, RaidItem) == 0 and _events(session, "raid_item") == []


def test_an_assumption_has_no_probability(session, world):
    by = access(session, world, "leader")
    with pytest.raises(Invalid) as exc:
        service.create_item(
            session=session,
            by=by,
            data=RaidItemCreate(
                kind=RaidKind.assumption, title="Loven træder i kraft", probability=2
            ),
        )
    assert exc.value.field == "probability"
    item = service.create_item(
        session=session,
        by=by,
        data=RaidItemCreate(kind=RaidKind.dependency, title="Samarbejdsaftale med Regionen"),
    )
    assert item.score is None and item.level is None


def test_group_members_add_items_for_their_own_group_only(session, world):
    member = access(session, world, "member_a")
    item = service.create_item(
        session=session,
        by=member,
        data=RaidItemCreate(
            title="Lægerne leverer ikke attester",
            probability=4,
            consequence=3,
            group_id=world.group_a.id,
        ),
    )
    assert item.group_id == world.group_a.id
    with pytest.raises(Forbidden):
        service.create_item(
            session=session,
            by=member,
            data=RaidItemCreate(
                title="Andens gruppe", probability=1, consequence=1, group_id=world.group_b.id
            ),
        )
    with pytest.raises(Forbidden) as exc:
        service.create_item(
            session=session,
            by=member,
            data=RaidItemCreate(title="Uden gruppe", probability=1, consequence=1),
        )
    assert "din egen gruppe" in exc.value.message
    session.rollback()
    assert _count(session, RaidItem) == 1


def test_ids_must_belong_to_the_project(session, world):
    by = access(session, world, "leader")
    other_group = make_body(session, world.other_project)
    stranger = make_person(session, world.other_project)
    with pytest.raises(Invalid) as exc:
        service.create_item(
            session=session,
            by=by,
            data=RaidItemCreate(title="x", probability=1, consequence=1, group_id=other_group.id),
        )
    assert exc.value.field == "group_id"
    with pytest.raises(Invalid) as exc:
        service.create_item(
            session=session,
            by=by,
            data=RaidItemCreate(
                title="x", probability=1, consequence=1, group_id=world.steering.id
            ),
        )
    assert exc.value.field == "group_id"
    with pytest.raises(Invalid) as exc:
        service.create_item(
            session=session,
            by=by,
            data=RaidItemCreate(title="x", probability=1, consequence=1, owner_id=stranger.id),
        )
    assert exc.value.field == "owner_id"
    foreign = make_item(session, world.other_project)
    with pytest.raises(NotFound):
        service.update_item(
            session=session,
            by=by,
            item_id=foreign.id,
            data=RaidItemUpdate(status=RaidStatus.closed, version=1),
        )


def test_editing_needs_the_current_version(session, world):
    item = make_item(session, world.project)
    by = access(session, world, "leader")
    changed = service.update_item(
        session=session,
        by=by,
        item_id=item.id,
        data=RaidItemUpdate(status=RaidStatus.in_progress, review_date=date(2013, 3, 1), version=1),
    )
    assert changed.version == 2 and changed.status == RaidStatus.in_progress
    with pytest.raises(Conflict):
        service.update_item(
            session=session,
            by=by,
            item_id=item.id,
            data=RaidItemUpdate(status=RaidStatus.closed, version=1),
        )
    session.rollback()
    stored = session.get(RaidItem, item.id)
    session.refresh(stored)
    assert stored.status == RaidStatus.in_progress and stored.version == 2
    [created_or_updated] = [e for e in _events(session, "raid_item") if e.action == "updated"]
    assert created_or_updated.before["status"] == "open"
    assert created_or_updated.after["status"] == "in_progress"


def test_a_bad_probability_on_edit_changes_nothing(session, world):
    item = make_item(session, world.project)
    with pytest.raises(Invalid):
        service.update_item(
            session=session,
            by=access(session, world, "leader"),
            item_id=item.id,
            data=RaidItemUpdate(probability=0, title="Nyt navn", version=1),
        )
    session.rollback()
    session.refresh(item)
    assert item.probability == 3 and item.title == "Loven vedtages for sent" and item.version == 1


def test_group_members_edit_only_their_own_groups_items(session, world):
    mine = make_item(session, world.project, group_id=world.group_a.id)
    theirs = make_item(session, world.project, group_id=world.group_b.id)
    projects = make_item(session, world.project)
    member = access(session, world, "member_a")
    service.update_item(
        session=session,
        by=member,
        item_id=mine.id,
        data=RaidItemUpdate(status=RaidStatus.closed, version=1),
    )
    for item in (theirs, projects):
        with pytest.raises(Forbidden):
            service.update_item(
                session=session,
                by=member,
                item_id=item.id,
                data=RaidItemUpdate(status=RaidStatus.closed, version=1),
            )
        with pytest.raises(Forbidden):
            service.delete_item(session=session, by=member, item_id=item.id, version=1)
    with pytest.raises(Forbidden):
        service.update_item(
            session=session,
            by=member,
            item_id=mine.id,
            data=RaidItemUpdate(group_id=world.group_b.id, version=2),
        )
    leader = access(session, world, "leader")
    moved = service.update_item(
        session=session,
        by=leader,
        item_id=theirs.id,
        data=RaidItemUpdate(group_id=world.group_a.id, version=1),
    )
    assert moved.group_id == world.group_a.id


def test_changing_a_risk_into_an_issue_clears_its_score(session, world):
    item = make_item(session, world.project)
    changed = service.update_item(
        session=session,
        by=access(session, world, "leader"),
        item_id=item.id,
        data=RaidItemUpdate(kind=RaidKind.issue, version=1),
    )
    assert changed.probability is None and changed.consequence is None and changed.score is None


def test_an_issue_becomes_a_risk_only_with_probability_and_consequence(session, world):
    item = make_item(
        session, world.project, kind=RaidKind.issue, probability=None, consequence=None
    )
    by = access(session, world, "leader")
    with pytest.raises(Invalid) as exc:
        service.update_item(
            session=session,
            by=by,
            item_id=item.id,
            data=RaidItemUpdate(kind=RaidKind.risk, version=1),
        )
    assert exc.value.field == "probability"
    session.rollback()
    changed = service.update_item(
        session=session,
        by=by,
        item_id=item.id,
        data=RaidItemUpdate(kind=RaidKind.risk, probability=2, consequence=2, version=1),
    )
    assert changed.score == 4


def test_delete_records_the_last_content(session, world):
    item = make_item(session, world.project)
    leader = access(session, world, "leader")
    service.delete_item(session=session, by=leader, item_id=item.id, version=1)
    assert session.get(RaidItem, item.id) is None
    [event] = [e for e in _events(session, "raid_item") if e.action == "deleted"]
    assert event.before["title"] == "Loven vedtages for sent"


def test_top_risks_are_the_highest_scoring_open_risks(session, world):
    p = world.project
    a = make_item(session, p, title="a", probability=3, consequence=5)  # 15
    b = make_item(session, p, title="b", probability=5, consequence=3)  # 15, smaller consequence
    c = make_item(session, p, title="c", probability=4, consequence=4)  # 16
    make_item(session, p, title="closed", probability=5, consequence=5, status=RaidStatus.closed)
    make_item(session, p, title="issue", kind=RaidKind.issue, probability=None, consequence=None)
    d = make_item(
        session, p, title="d", probability=1, consequence=2, status=RaidStatus.in_progress
    )
    e = make_item(session, p, title="e", probability=3, consequence=5)  # 15, newer than a
    make_item(session, world.other_project, title="other", probability=5, consequence=5)
    top = service.top_risks(session=session, project_id=p.id)
    assert [r.id for r in top] == [c.id, a.id, e.id, b.id, d.id]
    assert [r.id for r in service.top_risks(session=session, project_id=p.id, limit=2)] == [
        c.id,
        a.id,
    ]
    assert service.top_risks(session=session, project_id=p.id, limit=0) == []


def test_overdue_reviews_against_an_injected_today(session, world):
    p = world.project
    due_today = make_item(session, p, title="i dag", review_date=date(2013, 6, 1))
    late = make_item(
        session,
        p,
        title="for sent",
        review_date=date(2013, 5, 31),
        kind=RaidKind.dependency,
        probability=None,
        consequence=None,
    )
    make_item(session, p, title="lukket", review_date=date(2013, 1, 1), status=RaidStatus.closed)
    assert [
        i.id for i in service.overdue_reviews(session=session, project_id=p.id, today=TODAY)
    ] == [late.id]
    assert {
        i.id
        for i in service.overdue_reviews(session=session, project_id=p.id, today=date(2013, 6, 2))
    } == {late.id, due_today.id}


def test_list_filters(session, world):
    p = world.project
    high = make_item(
        session, p, title="høj", probability=5, consequence=4, group_id=world.group_a.id
    )
    low = make_item(session, p, title="lav", probability=1, consequence=2)
    issue = make_item(
        session,
        p,
        title="problem",
        kind=RaidKind.issue,
        probability=None,
        consequence=None,
        status=RaidStatus.closed,
    )
    ids = lambda **kw: [i.id for i in service.list_items(session=session, project_id=p.id, **kw)]  # noqa: E731
    assert ids() == [high.id, low.id, issue.id]
    assert ids(kind=RaidKind.issue) == [issue.id]
    assert ids(level=RiskLevel.high) == [high.id]
    assert ids(open_only=True) == [high.id, low.id]
    assert ids(status=RaidStatus.closed) == [issue.id]
    assert ids(group_id=world.group_a.id) == [high.id]


# --- Success measures --------------------------------------------------------------------------


def _indicator_data(**overrides) -> IndicatorCreate:
    values = {
        "name": "Uddannede sagsbehandlere",
        "unit": "sagsbehandlere",
        "baseline_value": "0",
        "baseline_date": "2012-11-27",
        "target_value": "40",
        "target_date": "2013-06-30",
        "frequency": "monthly",
    }
    values |= overrides
    return IndicatorCreate.model_validate(values)


def test_leader_adds_an_indicator(session, world):
    indicator = measures.create_indicator(
        session=session, by=access(session, world, "leader"), data=_indicator_data()
    )
    assert indicator.frequency == Frequency.monthly and indicator.target_value == Decimal("40")
    [event] = _events(session, "indicator")
    assert event.action == "created" and event.after["target_value"] == "40"


def test_a_target_date_before_the_baseline_is_refused(session, world):
    with pytest.raises(Invalid) as exc:
        measures.create_indicator(
            session=session,
            by=access(session, world, "leader"),
            data=_indicator_data(target_date="2012-06-30"),
        )
    assert exc.value.field == "target_date"
    session.rollback()
    assert _count(session, Indicator) == 0


def test_group_members_add_indicators_for_their_own_group(session, world):
    member = access(session, world, "member_a")
    measures.create_indicator(
        session=session, by=member, data=_indicator_data(group_id=world.group_a.id)
    )
    with pytest.raises(Forbidden):
        measures.create_indicator(
            session=session, by=member, data=_indicator_data(group_id=world.group_b.id)
        )


def test_a_measurement_is_stored_exactly_with_who_recorded_it(session, world):
    indicator = make_indicator(session, world.project)
    m = measures.add_measurement(
        session=session,
        by=access(session, world, "leader"),
        indicator_id=indicator.id,
        today=TODAY,
        data=MeasurementCreate(
            measured_date=date(2013, 1, 31), value=Decimal("0.1"), note="Første"
        ),
    )
    session.expire_all()
    stored = session.get(Measurement, m.id)
    assert stored.value == Decimal("0.1") and isinstance(stored.value, Decimal)
    assert stored.recorded_by_id == world.users["leader"].id
    assert stored.recorded_by_name == "Test Bruger"
    [event] = _events(session, "measurement")
    assert event.after["value"] == "0.1"


def test_large_and_three_decimal_values_round_trip(session, world):
    indicator = make_indicator(session, world.project)
    by = access(session, world, "leader")
    for day, value in [(date(2013, 2, 1), "123456789012.345"), (date(2013, 2, 2), "-2.005")]:
        measures.add_measurement(
            session=session,
            by=by,
            indicator_id=indicator.id,
            today=TODAY,
            data=MeasurementCreate(measured_date=day, value=value),
        )
    session.expire_all()
    values = [
        m.value for m in measures.list_measurements(session=session, indicator_id=indicator.id)
    ]
    assert values == [Decimal("123456789012.345"), Decimal("-2.005")]


def test_a_measurement_before_the_baseline_is_refused_and_nothing_stored(session, world):
    indicator = make_indicator(session, world.project)
    with pytest.raises(Invalid) as exc:
        measures.add_measurement(
            session=session,
            by=access(session, world, "leader"),
            indicator_id=indicator.id,
            today=TODAY,
            data=MeasurementCreate(measured_date=date(2012, 12, 31), value=Decimal("1")),
        )
    assert exc.value.field == "measured_date"
    assert "før indikatorens basisdato (01.01.2013)" in exc.value.message
    session.rollback()
    assert _count(session, Measurement) == 0 and _events(session, "measurement") == []


def test_a_measurement_in_the_future_or_twice_on_a_day_is_refused(session, world):
    indicator = make_indicator(session, world.project)
    make_measurement(session, indicator, measured_date=date(2013, 1, 31))
    by = access(session, world, "leader")
    with pytest.raises(Invalid) as exc:
        measures.add_measurement(
            session=session,
            by=by,
            indicator_id=indicator.id,
            today=TODAY,
            data=MeasurementCreate(measured_date=date(2013, 6, 2), value=1),
        )
    assert "efter i dag" in exc.value.message
    with pytest.raises(Invalid) as exc:
        measures.add_measurement(
            session=session,
            by=by,
            indicator_id=indicator.id,
            today=TODAY,
            data=MeasurementCreate(measured_date=date(2013, 1, 31), value=1),
        )
    assert "allerede en måling den 31.01.2013" in exc.value.message


def test_measurements_follow_the_group_scope(session, world):
    indicator = make_indicator(session, world.project, group_id=world.group_b.id)
    with pytest.raises(Forbidden):
        measures.add_measurement(
            session=session,
            by=access(session, world, "member_a"),
            indicator_id=indicator.id,
            today=TODAY,
            data=MeasurementCreate(measured_date=date(2013, 2, 1), value=1),
        )
    measures.add_measurement(
        session=session,
        by=access(session, world, "member_b"),
        indicator_id=indicator.id,
        today=TODAY,
        data=MeasurementCreate(measured_date=date(2013, 2, 1), value=1),
    )


def test_editing_a_measurement_needs_its_version(session, world):
    indicator = make_indicator(session, world.project)
    m = make_measurement(session, indicator)
    by = access(session, world, "leader")
    measures.update_measurement(
        session=session,
        by=by,
        indicator_id=indicator.id,
        measurement_id=m.id,
        data=MeasurementUpdate(value=Decimal("3"), version=1),
        today=TODAY,
    )
    with pytest.raises(Conflict):
        measures.update_measurement(
            session=session,
            by=by,
            indicator_id=indicator.id,
            measurement_id=m.id,
            data=MeasurementUpdate(value=Decimal("4"), version=1),
            today=TODAY,
        )
    with pytest.raises(Invalid):
        measures.update_measurement(
            session=session,
            by=by,
            indicator_id=indicator.id,
            measurement_id=m.id,
            today=TODAY,
            data=MeasurementUpdate(measured_date=date(2012, 1, 1), version=2),
        )
    session.rollback()
    session.refresh(m)
    assert m.value == Decimal("3") and m.version == 2


def test_the_baseline_date_cannot_move_past_the_first_measurement(session, world):
    indicator = make_indicator(session, world.project)
    make_measurement(session, indicator, measured_date=date(2013, 1, 31))
    with pytest.raises(Invalid) as exc:
        measures.update_indicator(
            session=session,
            by=access(session, world, "leader"),
            indicator_id=indicator.id,
            data=IndicatorUpdate(baseline_date=date(2013, 2, 1), version=1),
        )
    assert exc.value.field == "baseline_date"


def test_editing_an_indicator_needs_its_version(session, world):
    indicator = make_indicator(session, world.project)
    by = access(session, world, "leader")
    changed = measures.update_indicator(
        session=session,
        by=by,
        indicator_id=indicator.id,
        data=IndicatorUpdate(target_value="5", version=1),
    )
    assert changed.target_value == Decimal("5") and changed.version == 2
    with pytest.raises(Conflict):
        measures.update_indicator(
            session=session,
            by=by,
            indicator_id=indicator.id,
            data=IndicatorUpdate(target_value="6", version=1),
        )


def test_the_missing_measurement_flag_at_its_boundaries(session, world):
    indicator = make_indicator(session, world.project, baseline_date=date(2013, 1, 15))
    p = world.project.id
    status = measures.indicator_status(
        session=session, project_id=p, indicator_id=indicator.id, today=date(2013, 2, 15)
    )
    assert status.due.state == DueState.due_soon and status.due.next_due_date == date(2013, 2, 15)
    status = measures.indicator_status(
        session=session, project_id=p, indicator_id=indicator.id, today=date(2013, 2, 16)
    )
    assert status.due.missing
    assert [
        s.indicator.id
        for s in measures.missing_measurements(
            session=session, project_id=p, today=date(2013, 2, 16)
        )
    ] == [indicator.id]
    make_measurement(session, indicator, measured_date=date(2013, 2, 16), value=Decimal("3"))
    status = measures.indicator_status(
        session=session, project_id=p, indicator_id=indicator.id, today=date(2013, 2, 16)
    )
    assert status.due.state == DueState.ok and status.due.next_due_date == date(2013, 3, 16)
    assert status.latest.value == Decimal("3")
    assert (
        measures.missing_measurements(session=session, project_id=p, today=date(2013, 2, 16)) == []
    )


def test_delete_an_indicator_with_its_measurements(session, world):
    indicator = make_indicator(session, world.project)
    make_measurement(session, indicator)
    measures.delete_indicator(
        session=session,
        by=access(session, world, "leader"),
        indicator_id=indicator.id,
        version=indicator.version,
    )
    assert _count(session, Indicator) == 0 and _count(session, Measurement) == 0
    [event] = [e for e in _events(session, "indicator") if e.action == "deleted"]
    assert len(event.before["measurements"]) == 1
