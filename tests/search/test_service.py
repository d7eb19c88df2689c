"""The project search at the service level: every kind found, prefixes and æøå, ranking by
access, hostile input, paging, and the index following edits and deletions."""

import pytest
from sqlmodel import Session

from app.errors import Invalid
from app.governance.models import AgendaItem
from app.reports.models import ReportStatus
from app.search import service
from app.search.sources import Kind
from app.workstreams.models import Task
from tests.search.factories import access, fill, report


def _kinds(found: service.Found) -> set[Kind]:
    return {h.kind for h in found.hits}


def test_finds_every_kind_by_a_prefix_with_title_link_and_snippet(session: Session, world):
    ids = fill(session, world)
    found = service.search(
        session=session, access=access(session, world, "leader"), q="rehab", limit=50
    )
    assert _kinds(found) == set(Kind) - {Kind.status_report}
    assert found.total == len(found.hits) == 8
    task = next(h for h in found.hits if h.kind == Kind.task)
    assert task.title == "Etablér rehabiliteringsteam"
    assert task.url == f"/projects/{world.project.id}/groups/{world.group_a.id}#task-{ids['task']}"
    assert task.kind_label == "Opgave"
    assert ("rehabiliteringsteam", True) in [(t.lower(), m) for t, m in task.parts]
    meeting = next(h for h in found.hits if h.kind == Kind.meeting)
    assert meeting.title == "Styregruppen, møde 15.01.2013"
    assert "Rehabiliteringsteamet blev drøftet" in meeting.snippet


def test_every_word_must_be_there_and_danish_letters_are_letters(session: Session, world):
    fill(session, world)
    leader = access(session, world, "leader")
    found = service.search(session=session, access=leader, q="rehabiliteringsteamet SUNDHEDS")
    assert [h.kind for h in found.hits] == [Kind.raid_item]
    assert service.search(session=session, access=leader, q="rådhuset").total == 1
    # å is a letter of its own: »radhuset« is another word
    assert service.search(session=session, access=leader, q="radhuset").total == 0
    assert service.search(session=session, access=leader, q="etablér").total == 1


@pytest.mark.parametrize(
    "q", ['"', "*", "( )", "NEAR(rehab", "rehab AND OR NOT", "^rehab", "rehab:*", "'; DROP", "-x"]
)
def test_query_syntax_is_only_text(session: Session, world, q):
    fill(session, world)
    found = service.search(session=session, access=access(session, world, "leader"), q=q)
    assert found.total >= 0


def test_empty_and_too_long_queries(session: Session, world):
    leader = access(session, world, "leader")
    assert service.search(session=session, access=leader, q="   ").total == 0
    assert service.search(session=session, access=leader, q="* ( )").words == []
    with pytest.raises(Invalid) as refused:
        service.search(session=session, access=leader, q="x" * 201)
    assert refused.value.field == "q" and "Søgetekst" in refused.value.message


def test_group_members_read_every_groups_work_and_nothing_of_another_project(
    session: Session, world
):
    fill(session, world)
    fill(session, world, project_id=world.other_project.id)
    member_b = service.search(session=session, access=access(session, world, "member_b"), q="rehab")
    assert member_b.total == 8  # group A's task and plan too: group members read every group
    assert all(h.url.startswith(f"/projects/{world.project.id}/") for h in member_b.hits)


def test_the_directorate_finds_issued_reports_only(session: Session, world):
    fill(session, world)
    report(session, world, 1, ReportStatus.issued)
    report(session, world, 2, ReportStatus.draft)
    directorate = service.search(
        session=session, access=access(session, world, "directorate"), q="statusrapport"
    )
    assert [h.title.split(" (")[0] for h in directorate.hits] == ["Statusrapport nr. 1"]
    assert (
        service.search(
            session=session, access=access(session, world, "directorate"), q="rehab"
        ).total
        == 0
    )
    leader = service.search(
        session=session, access=access(session, world, "leader"), q="statusrapport nr 2"
    )
    assert [h.title.split(" (")[0] for h in leader.hits] == ["Statusrapport nr. 2"]


def test_paging(session: Session, world):
    for n in range(7):
        session.add(Task(project_id=world.project.id, title=f"Borgerforløb {n}"))
    session.commit()
    leader = access(session, world, "leader")
    first = service.search(session=session, access=leader, q="borger", limit=5)
    second = service.search(session=session, access=leader, q="borger", offset=5, limit=5)
    assert first.total == second.total == 7
    assert len(first.hits) == 5 and len(second.hits) == 2
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_the_index_follows_edits_and_deletions(session: Session, world):
    ids = fill(session, world)
    leader = access(session, world, "leader")
    task = session.get(Task, ids["task"])
    task.title = "Ansæt koordinator"
    session.commit()
    assert service.search(session=session, access=leader, q="koordinator").total == 1
    assert Kind.task not in _kinds(service.search(session=session, access=leader, q="rehab"))
    session.delete(task)
    session.commit()
    assert service.search(session=session, access=leader, q="koordinator").total == 0


def test_an_agenda_items_own_minutes_are_found_and_lead_to_the_meeting(session: Session, world):
    ids = fill(session, world)
    leader = access(session, world, "leader")
    item = session.get(AgendaItem, ids["agenda_item"])
    item.minutes = "Borgerpanelet anbefalede hjemmetræning."
    session.commit()
    [hit] = service.search(session=session, access=leader, q="hjemmetræning").hits
    assert hit.kind == Kind.agenda_item and hit.title == "Rehabilitering: status (møde 15.01.2013)"
    assert hit.url == (
        f"/projects/{world.project.id}/meetings/{ids['meeting']}#agenda-item-{item.id}"
    )
    assert "hjemmetræning" in hit.snippet
    item.minutes = "Intet nyt."
    session.commit()
    assert service.search(session=session, access=leader, q="hjemmetræning").total == 0
