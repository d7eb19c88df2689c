"""Issue 26 at the service level: conditions tied to kinds of activity, funded posts (who may be
paid, each post's budget, race-safe), the statement showing how each condition is met, economy
entries over several years, and an expense accepted before its condition named kinds."""

import threading
from datetime import date

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.budget import activities, economy, expenditures, grants, overview, posts
from app.budget.models import Expenditure, ExpenditureStatus
from app.budget.schemas import (
    ActivityKindIn,
    ActivityKindUpdate,
    ActivityTagIn,
    EconomyCreate,
    EconomyUpdate,
    ExpenditureUpdate,
    GrantUpdate,
    PostCreate,
    PostUpdate,
)
from app.db import Database
from app.errors import Conflict, Invalid
from tests.budget.factories import TRANSPORT_CONDITION, access, make_grant, record
from tests.governance.factories import make_area, make_meeting
from tests.stakeholders.factories import make_activity
from tests.workstreams.factories import make_task


@pytest.fixture
def leader(session, world):
    return access(session, world.users["leader"], world.project)


@pytest.fixture
def kinds(session, leader):
    made = {}
    for name in ("Workshop", "Netværksmøde", "Seminar", "Virksomhedsbesøg"):
        made[name] = activities.create_kind(
            session=session, by=leader, data=ActivityKindIn(name=name)
        )
    return made


@pytest.fixture
def grant(session, leader, kinds):
    """The seed's grant; transport only for workshops, network meetings and seminars; salary to
    its named posts only."""
    central = [kinds[n].id for n in ("Workshop", "Netværksmøde", "Seminar")]
    return make_grant(
        session,
        leader,
        eligible_categories=[
            {"category": "staff_buyout"},
            {"category": "project_staff"},
            {"category": "consultancy"},
            {
                "category": "transport",
                "condition": TRANSPORT_CONDITION,
                "activity_kind_ids": central,
            },
        ],
        posts_only=True,
    )


def tag(session, leader, ref, kind):
    return activities.set_activity_kind(
        session=session, by=leader, data=ActivityTagIn(activity=ref, kind_id=kind.id)
    )


def make_post(session, leader, grant, **overrides):
    values = {
        "grant_id": grant.id,
        "title": "Jobformidler 1",
        "first_date": "2013-01-01",
        "last_date": "2013-06-30",
        "hours": "37",
        "budget": "100000.00",
    } | overrides
    return posts.create_post(session=session, by=leader, data=PostCreate.model_validate(values))


def transport(session, leader, grant, **overrides):
    values = {
        "category": "transport",
        "amount": "450.00",
        "description": "Kørsel",
        "supplier": "",
    } | overrides
    return record(session, leader, grant, **values)


# Conditions tied to kinds of activity -----------------------------------------------------


def test_transport_for_a_workshop_is_accepted_and_shows_how_the_condition_is_met(
    session, world, leader, kinds, grant
):
    meeting = make_meeting(session, world, meeting_date=date(2013, 3, 5))
    tag(session, leader, f"meeting:{meeting.id}", kinds["Workshop"])
    e = transport(session, leader, grant, activity=f"meeting:{meeting.id}")
    assert e.meeting_id == meeting.id and e.condition_note == ""
    st = overview.statement(
        session=session, project_id=world.project.id, grant_id=grant.id, made_date=date(2013, 8, 1)
    )
    assert st.rows[0].how_met == "Møde: Møde i Styregruppen (05.03.2013), workshop"
    assert not st.rows[0].unlinked


def test_transport_without_an_activity_is_refused_naming_the_rule(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        transport(session, leader, grant, condition_note="Til et møde")
    assert refused.value.field == "activity"
    assert refused.value.message == (
        "Transport er kun tilskudsberettiget, når udgiften er knyttet til en aktivitet af typen "
        "»Workshop«, »Netværksmøde« eller »Seminar« (betingelse i tilskuddet »Puljemidler til "
        "implementering af reformen«). Vælg projektets møde, opgave eller eksterne aktivitet."
    )
    assert session.exec(select(Expenditure)).all() == []


def test_transport_for_a_company_visit_is_refused_naming_its_kind(
    session, world, leader, kinds, grant
):
    visit = make_task(session, world, title="Besøg hos Svendborg Værft")
    tag(session, leader, f"task:{visit.id}", kinds["Virksomhedsbesøg"])
    with pytest.raises(Invalid) as refused:
        transport(session, leader, grant, activity=f"task:{visit.id}")
    assert refused.value.field == "activity"
    assert "»Besøg hos Svendborg Værft (07.01.2013–28.02.2013)« er af typen »Virksomhedsbesøg«" in (
        refused.value.message
    )


def test_an_activity_without_a_kind_is_refused(session, world, leader, grant):
    outside = make_activity(session, world.project, activity_date=date(2013, 4, 2))
    with pytest.raises(Invalid, match="uden type"):
        transport(session, leader, grant, activity=f"external:{outside.id}")


def test_the_activity_must_take_place_within_the_grant_period(session, world, leader, kinds, grant):
    late = make_activity(session, world.project, title="Seminar", activity_date=date(2013, 7, 2))
    tag(session, leader, f"external:{late.id}", kinds["Seminar"])
    with pytest.raises(Invalid) as refused:
        transport(session, leader, grant, activity=f"external:{late.id}")
    assert refused.value.message == (
        "Aktiviteten »Seminar (02.07.2013)« (02.07.2013) ligger uden for tilskudsperioden "
        "27.11.2012–01.07.2013."
    )
    inside = make_activity(session, world.project, title="Seminar", activity_date=date(2013, 7, 1))
    tag(session, leader, f"external:{inside.id}", kinds["Seminar"])
    assert transport(session, leader, grant, activity=f"external:{inside.id}").id


def test_an_activity_of_another_project_is_not_found(session, world, leader, grant):
    from tests.factories import make_project
    from tests.governance.factories import make_meeting as meeting_of

    other = make_project(session, name="Andet projekt")
    world.project, kept = other, world.project
    stranger = meeting_of(session, world, project_id=other.id)
    world.project = kept
    with pytest.raises(Invalid, match="Aktiviteten findes ikke i dette projekt"):
        transport(session, leader, grant, activity=f"meeting:{stranger.id}")


def test_an_expense_accepted_under_its_note_before_the_condition_named_kinds_is_flagged(
    session, world, leader, kinds
):
    grant = make_grant(session, leader)  # transport's condition is a text only
    old = transport(session, leader, grant, condition_note="Netværksmøde i Odense")
    view = grants.get_grant(session=session, project_id=world.project.id, grant_id=grant.id)
    rules_now = [{"category": c.category.value, "condition": c.condition} for c in view.categories]
    rules_now[2]["activity_kind_ids"] = [kinds["Netværksmøde"].id]
    grants.update_grant(
        session=session,
        by=leader,
        grant_id=grant.id,
        data=GrantUpdate(eligible_categories=rules_now, version=view.grant.version),
    )
    st = overview.statement(
        session=session, project_id=world.project.id, grant_id=grant.id, made_date=date(2013, 8, 1)
    )
    assert st.rows[0].unlinked
    assert st.rows[0].how_met == "Ikke knyttet til en aktivitet · Netværksmøde i Odense"
    # It can still be edited without a link; a new one cannot be recorded without one.
    edited = expenditures.update_expenditure(
        session=session,
        by=leader,
        expenditure_id=old.id,
        data=ExpenditureUpdate(status=ExpenditureStatus.committed, version=old.version),
    )
    assert edited.version == 2
    with pytest.raises(Invalid, match="kun tilskudsberettiget, når udgiften er knyttet"):
        transport(session, leader, grant, condition_note="Netværksmøde i Vejle")


def test_kinds_are_the_projects_data(session, leader, kinds, grant):
    with pytest.raises(Invalid, match="»Workshop« findes allerede"):
        activities.create_kind(session=session, by=leader, data=ActivityKindIn(name="Workshop"))
    with pytest.raises(Conflict, match="indgår i et tilskuds betingelse"):
        activities.delete_kind(
            session=session,
            by=leader,
            kind_id=kinds["Seminar"].id,
            version=kinds["Seminar"].version,
        )
    renamed = activities.update_kind(
        session=session,
        by=leader,
        kind_id=kinds["Seminar"].id,
        data=ActivityKindUpdate(name="Temadag", version=1),
    )
    assert renamed.version == 2
    view = grants.get_grant(session=session, project_id=grant.project_id, grant_id=grant.id)
    assert "Temadag" in view.kind_names(view.categories[3].category)
    activities.delete_kind(
        session=session,
        by=leader,
        kind_id=kinds["Virksomhedsbesøg"].id,
        version=kinds["Virksomhedsbesøg"].version,
    )
    events = session.exec(select(AuditEvent).where(AuditEvent.entity == "project_activity_kind"))
    assert [e.action for e in events][-2:] == ["updated", "deleted"]


def test_defaults_are_offered_once(session, world, leader):
    made = activities.create_default_kinds(session=session, by=leader)
    assert [k.name for k in made][:3] == ["Workshop", "Netværksmøde", "Seminar"]
    assert activities.create_default_kinds(session=session, by=leader) == made


# Funded posts ------------------------------------------------------------------------------


def test_salary_is_booked_to_a_post_and_the_summary_shows_its_figures(
    session, world, leader, grant
):
    post = make_post(session, leader, grant).post
    record(
        session,
        leader,
        grant,
        category="project_staff",
        amount="30000.00",
        description="Løn januar",
        post_id=post.id,
        date="2013-01-31",
    )
    record(
        session,
        leader,
        grant,
        category="project_staff",
        amount="30000.00",
        description="Løn februar",
        post_id=post.id,
        date="2013-02-28",
        status="committed",
    )
    row = posts.list_posts(session=session, project_id=world.project.id, grant_id=grant.id)[0]
    assert (row.figures.paid_ore, row.figures.committed_ore) == (3_000_000, 3_000_000)
    assert row.figures.remaining_ore == 4_000_000
    summary = overview.grant_summary(
        session=session, project_id=world.project.id, grant_id=grant.id, as_of=date(2013, 12, 31)
    )
    assert [(p.label, p.remaining_ore) for p in summary.posts] == [("Jobformidler 1", 4_000_000)]
    st = overview.statement(
        session=session, project_id=world.project.id, grant_id=grant.id, made_date=date(2013, 8, 1)
    )
    assert st.post_lines == summary.posts
    assert st.rows[0].how_met == "Stilling: Jobformidler 1"


def test_a_grant_that_pays_only_its_posts_refuses_other_salary(session, leader, grant):
    make_post(session, leader, grant)
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, category="project_staff", description="Løn til Hanne")
    assert refused.value.field == "post_id"
    assert refused.value.message == (
        "Tilskuddet »Puljemidler til implementering af reformen« må kun betale løn og frikøb til "
        "sine navngivne stillinger: »Jobformidler 1«. Vælg stillingen."
    )


def test_a_post_refuses_what_exceeds_its_budget_its_period_and_other_categories(
    session, leader, grant
):
    post = make_post(session, leader, grant, budget="50000.00").post
    salary = {"category": "project_staff", "description": "Løn", "post_id": post.id}
    record(session, leader, grant, amount="49999.99", **salary)
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, amount="0.02", **salary)
    assert refused.value.field == "amount"
    assert "stillingen »Jobformidler 1«s budget: 0,01 kr." in refused.value.message
    record(session, leader, grant, amount="0.01", **salary)
    with pytest.raises(Invalid, match="uden for stillingen"):
        make_post(session, leader, grant, title="Jobformidler 2", budget="10")
        record(
            session,
            leader,
            grant,
            amount="1",
            date="2012-12-01",
            category="project_staff",
            description="Løn",
            post_id=posts.list_posts(
                session=session, project_id=grant.project_id, grant_id=grant.id
            )[1].post.id,
        )
    with pytest.raises(Invalid, match="Kun løn til projektansatte og frikøb"):
        record(session, leader, grant, amount="1", post_id=post.id)


def test_own_financing_is_not_booked_to_a_post(session, leader, grant):
    post = make_post(session, leader, grant).post
    with pytest.raises(Invalid, match="egen finansiering bogføres ikke"):
        record(session, leader, None, category="project_staff", post_id=post.id)


def test_posts_fit_in_the_grant_and_keep_what_is_booked_to_them(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        make_post(session, leader, grant, budget="461474.01")
    assert refused.value.field == "budget"
    with pytest.raises(Invalid, match="inden for tilskudsperioden"):
        make_post(session, leader, grant, first_date="2012-11-26")
    with pytest.raises(Invalid, match="timer om ugen eller andel"):
        make_post(session, leader, grant, hours=None)
    post = make_post(session, leader, grant, hours=None, share="50").post
    assert post.share_hundredths == 5000
    record(
        session,
        leader,
        grant,
        category="project_staff",
        amount="20000",
        description="Løn",
        post_id=post.id,
        date="2013-03-31",
    )
    with pytest.raises(Invalid, match="allerede er bogført 20.000 kr."):
        posts.update_post(
            session=session,
            by=leader,
            post_id=post.id,
            data=PostUpdate(budget="19999.99", version=post.version),
        )
    with pytest.raises(Invalid, match="perioden skal omfatte dem"):
        posts.update_post(
            session=session,
            by=leader,
            post_id=post.id,
            data=PostUpdate(last_date=date(2013, 3, 30), version=post.version),
        )
    with pytest.raises(Conflict, match="kan ikke slettes"):
        posts.delete_post(session=session, by=leader, post_id=post.id, version=post.version)


def test_twenty_parallel_writers_on_a_post_exactly_ten_are_accepted(
    session, database_url, world, leader, grant
):
    post = make_post(session, leader, grant, budget="10000.00").post
    session.commit()
    db = Database(database_url)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        with db.session(write=True) as s:
            by = access(s, world.users["leader"], world.project)
            try:
                record(
                    s,
                    by,
                    grant,
                    category="project_staff",
                    amount="1000.00",
                    description=f"Løn {n}",
                    post_id=post.id,
                )
                result = "accepted"
            except Invalid:
                result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.dispose()
    assert outcomes.count("accepted") == 10 and outcomes.count("refused") == 10
    session.expire_all()
    row = posts.list_posts(session=session, project_id=world.project.id, grant_id=grant.id)[0]
    assert row.figures.used_ore == 1_000_000 and row.figures.remaining_ore == 0


# Economy over several years ----------------------------------------------------------------


def test_an_entry_over_four_years_is_split_evenly_in_ore(session, world, leader):
    area = make_area(session, world.project)
    entry = economy.create_economy_entry(
        session=session,
        by=leader,
        data=EconomyCreate(
            director_area_id=area.id,
            year=2016,
            last_year=2019,
            kind="cost",
            description="Budget 2016–2019",
            expected="1000000.03",
        ),
    )
    amounts = economy.entries_per_year(session=session, entries=[entry])[entry.id]
    assert [(a.year, a.expected_ore) for a in amounts] == [
        (2016, 25_000_001),
        (2017, 25_000_001),
        (2018, 25_000_001),
        (2019, 25_000_000),
    ]
    rows = economy.economy_overview(session=session, project_id=world.project.id)
    assert [(r.year, r.expected_cost_ore) for r in rows] == [
        (a.year, a.expected_ore) for a in amounts
    ]


def test_an_entry_given_per_year_keeps_its_amounts_and_refuses_a_wrong_count(
    session, world, leader
):
    area = make_area(session, world.project)
    data = {
        "director_area_id": area.id,
        "year": 2016,
        "last_year": 2018,
        "kind": "saving",
        "description": "Færre sager",
    }
    with pytest.raises(Invalid) as refused:
        economy.create_economy_entry(
            session=session, by=leader, data=EconomyCreate(**data, per_year=["1", "2"])
        )
    assert refused.value.field == "per_year"
    with pytest.raises(Invalid, match="Sidste år"):
        economy.create_economy_entry(
            session=session, by=leader, data=EconomyCreate(**data | {"last_year": 2015})
        )
    entry = economy.create_economy_entry(
        session=session, by=leader, data=EconomyCreate(**data, per_year=["0", "100000", "250000"])
    )
    assert entry.expected_ore == 35_000_000
    amounts = economy.entries_per_year(session=session, entries=[entry])[entry.id]
    assert [a.expected_ore for a in amounts] == [0, 10_000_000, 25_000_000]
    # A new total without amounts per year is split evenly again.
    entry = economy.update_economy_entry(
        session=session,
        by=leader,
        entry_id=entry.id,
        data=EconomyUpdate(expected="300000", version=entry.version),
    )
    amounts = economy.entries_per_year(session=session, entries=[entry])[entry.id]
    assert [a.expected_ore for a in amounts] == [10_000_000] * 3
