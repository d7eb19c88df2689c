"""The stakeholder pages' read models: the analysis and one stakeholder's page."""

from datetime import date

import pytest

from app.auth.service import access_for
from app.errors import NotFound
from app.governance.models import DirectorArea
from app.stakeholders import reads, service
from app.stakeholders.models import StakeholderKind, Strategy
from app.stakeholders.schemas import StakeholderUpdate
from tests.stakeholders.factories import make_action, make_stakeholder


def by(session, world, name):
    return access_for(session=session, user=world.users[name], project_id=world.project.id)


def test_the_analysis_derives_strategy_group_and_where_each_stakeholder_belongs(session, world):
    area = DirectorArea(project_id=world.project.id, name="Social & Sundhed")
    session.add(area)
    session.flush()
    inside = make_stakeholder(
        session,
        world.project,
        name="Jobcentret",
        kind=StakeholderKind.internal,
        director_area_id=area.id,
        group_id=world.group_a.id,
        influence=1,
        interest=1,
    )
    make_stakeholder(session, world.project, name="Arbejdsgiverne", organisation="DI Fyn")
    leader = by(session, world, "leader")
    service.update_stakeholder(
        session=session,
        by=leader,
        stakeholder_id=inside.id,
        data=StakeholderUpdate(
            influence=4, assessed_date=date(2012, 12, 1), version=inside.version
        ),
    )

    found = reads.analysis(session=session, project_id=world.project.id)

    lines = {line.stakeholder.name: line for line in found.lines}
    assert [s.name for s in found.stakeholders] == ["Arbejdsgiverne", "Jobcentret"]
    assert (lines["Jobcentret"].group, lines["Jobcentret"].belongs_to) == ("Gruppe A", area.name)
    assert lines["Jobcentret"].strategy == Strategy.keep_satisfied
    assert (lines["Arbejdsgiverne"].group, lines["Arbejdsgiverne"].belongs_to) == ("", "DI Fyn")
    assert [m.stakeholder.name for m in found.moves] == ["Jobcentret"]
    assert len(found.histories[inside.id]) == 2


def test_a_stakeholders_page_marks_the_actions_a_member_may_change(session, world):
    theirs = make_stakeholder(session, world.project, group_id=world.group_b.id)
    shared = make_action(session, theirs, group_id=world.group_a.id)
    other = make_action(session, theirs)
    member_a = by(session, world, "member_a")

    page = reads.stakeholder_page(session=session, by=member_a, stakeholder_id=theirs.id)

    assert page.line.group == "Gruppe B" and page.line.quadrant == Strategy.manage_closely
    assert {v.action.id for v in page.actions} == {shared.id, other.id}
    assert page.editable_actions == {shared.id}
    assert [h.influence for h in page.history] == [4]
    with pytest.raises(NotFound):
        reads.stakeholder_page(session=session, by=member_a, stakeholder_id=theirs.id + 99)
