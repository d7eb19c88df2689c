"""Property-based tests of the grant rules of issue 26: whatever salary arrives, booked to
whichever post, in whatever order, each post's remainder is its budget minus what was accepted
on it and never below zero, the grant's remainder stays between zero and the grant, and the
summary, the statement and the posts' list show the same figures; an economy entry split over
its years adds up to its amount in øre."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.budget import economy, expenditures, overview, posts, rules
from app.budget.models import CostCategory, EconomyEntry, EconomyKind
from app.budget.money import ore_str
from app.budget.schemas import PostCreate
from app.errors import Invalid
from tests.budget.factories import access, expense_data, make_grant

FIRST, LAST = date(2012, 11, 27), date(2013, 7, 1)
GRANT_ORE = 1_000_000  # 10.000 kr.
POST_BUDGETS = (400_000, 300_000)  # two posts, 7.000 kr. of the grant between them

salary = st.tuples(
    st.integers(min_value=1, max_value=250_000),
    st.integers(min_value=-3, max_value=(LAST - FIRST).days + 3),
    st.sampled_from([0, 1, None]),  # post 1, post 2 or no post
)
DB_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings(max_examples=300)
@given(st.lists(salary, max_size=30), st.booleans())
def test_the_rules_keep_every_post_and_the_grant_within_their_budgets(expenses, posts_only):
    grant = rules.GrantRules(
        name="Puljen",
        amount_ore=GRANT_ORE,
        first_date=FIRST,
        last_date=LAST,
        categories={CostCategory.project_staff: ""},
        grant_id=1,
        posts={1: "A", 2: "B"},
        posts_only=posts_only,
    )
    used = {0: 0, 1: 0}
    total = 0
    for amount, day, post in expenses:
        facts = rules.ExpenseFacts(
            expense_date=FIRST + timedelta(days=day),
            amount_ore=amount,
            category=CostCategory.project_staff,
            post=None
            if post is None
            else rules.Post(post + 1, "AB"[post], 1, FIRST, LAST, POST_BUDGETS[post], used[post]),
        )
        try:
            rules.check_expense(grant, facts, used_ore=total)
        except Invalid:
            continue
        assert not (posts_only and post is None)
        total += amount
        if post is not None:
            used[post] += amount
    for post, budget in enumerate(POST_BUDGETS):
        assert 0 <= budget - used[post] <= budget
    assert 0 <= GRANT_ORE - total <= GRANT_ORE


@DB_SETTINGS
@given(ops=st.lists(salary, min_size=1, max_size=10), data=st.data())
def test_each_post_and_the_grant_keep_their_remainder_in_any_order(session, world, ops, data):
    leader = access(session, world.users["leader"], world.project)
    for order in (ops, data.draw(st.permutations(ops))):
        grant = make_grant(
            session,
            leader,
            amount=ore_str(GRANT_ORE),
            eligible_categories=[{"category": "project_staff"}],
            purposes=[],
            posts_only=True,
        )
        made = [
            posts.create_post(
                session=session,
                by=leader,
                data=PostCreate(
                    grant_id=grant.id,
                    title=f"Stilling {i + 1}",
                    first_date=FIRST,
                    last_date=LAST,
                    hours="37",
                    budget=ore_str(budget),
                ),
            ).post
            for i, budget in enumerate(POST_BUDGETS)
        ]
        accepted = {p.id: 0 for p in made}
        for amount, day, post in order:
            overrides = {
                "amount": ore_str(amount),
                "category": "project_staff",
                "date": FIRST + timedelta(days=day),
                "post_id": None if post is None else made[post].id,
            }
            try:
                e = expenditures.record_expenditure(
                    session=session, by=leader, data=expense_data(grant, **overrides)
                )
            except Invalid:
                session.rollback()
                continue
            assert e.post_id is not None
            accepted[e.post_id] += amount
        rows = posts.list_posts(session=session, project_id=grant.project_id, grant_id=grant.id)
        summary = overview.grant_summary(
            session=session, project_id=grant.project_id, grant_id=grant.id, as_of=date(2014, 1, 1)
        )
        st_ = overview.statement(
            session=session, project_id=grant.project_id, grant_id=grant.id, made_date=LAST
        )
        for row in rows:
            assert row.figures.remaining_ore == row.post.budget_ore - accepted[row.post.id]
            assert 0 <= row.figures.remaining_ore <= row.post.budget_ore
        assert [r.figures for r in rows] == summary.posts == st_.post_lines
        assert summary.remaining_ore == GRANT_ORE - sum(accepted.values())
        assert 0 <= summary.remaining_ore <= GRANT_ORE


@settings(max_examples=500)
@given(
    st.integers(min_value=0, max_value=10**13),
    st.integers(min_value=2000, max_value=2030),
    st.integers(min_value=0, max_value=40),
)
def test_an_entry_split_over_its_years_adds_up_in_ore(total, first, span):
    entry = EconomyEntry(
        project_id=1,
        director_area_id=1,
        year=first,
        last_year=first + span,
        kind=EconomyKind.cost,
        description="Budget",
        expected_ore=total,
        realised_ore=total // 3,
    )
    parts = economy.per_year(entry)
    assert [p.year for p in parts] == list(range(first, first + span + 1))
    assert sum(p.expected_ore for p in parts) == total
    assert sum(p.realised_ore or 0 for p in parts) == total // 3
    # Even: no two years differ by more than one øre, and the extra øre go to the first years.
    amounts = [p.expected_ore for p in parts]
    assert max(amounts) - min(amounts) <= 1 and amounts == sorted(amounts, reverse=True)
