"""Two review findings: a post's edit and delete hold its grant and check the post's version as
read under that lock; the audit of an economy entry shows its amounts per year."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, select, update

from app.audit.models import AuditEvent
from app.budget import economy, posts
from app.budget.models import EconomyKind, FundedPost
from app.budget.schemas import EconomyCreate, EconomyUpdate, PostCreate, PostUpdate
from app.errors import VersionConflict
from tests.budget.factories import access, make_grant
from tests.governance.factories import make_area


@pytest.mark.parametrize("write", ["update", "delete"])
def test_a_post_is_checked_as_it_is_once_its_grant_is_locked(session, world, monkeypatch, write):
    by = access(session, world.users["leader"], world.project)
    grant = make_grant(session, by)
    data = PostCreate(
        grant_id=grant.id,
        title="Jobformidler",
        first_date=date(2013, 1, 1),
        last_date=date(2013, 6, 30),
        hours=Decimal(37),
        budget=Decimal(0),
    )
    post_id = posts.create_post(session=session, by=by, data=data).post.id
    locked: list[int] = []
    lock_grant = posts._lock_grant

    def meanwhile(*, session, project_id, grant_id):
        view = lock_grant(session=session, project_id=project_id, grant_id=grant_id)
        locked.append(grant_id)
        # Another edit of the post, made while this one waited for the grant: a plain UPDATE,
        # which the session's copy of the post does not see unless it reads the post again.
        session.connection().execute(
            update(FundedPost)
            .where(col(FundedPost.id) == post_id)
            .values(version=FundedPost.version + 1, note="Den andens rettelse")
        )
        return view

    monkeypatch.setattr(posts, "_lock_grant", meanwhile)
    with pytest.raises(VersionConflict) as refused:
        if write == "update":
            posts.update_post(
                session=session, by=by, post_id=post_id, data=PostUpdate(note="Min", version=1)
            )
        else:
            posts.delete_post(session=session, by=by, post_id=post_id, version=1)
    assert refused.value.current_version == 2
    assert locked == [grant.id]


def test_the_audit_of_an_economy_entry_shows_its_amounts_per_year(session, world):
    by = access(session, world.users["leader"], world.project)
    entry = economy.create_economy_entry(
        session=session,
        by=by,
        data=EconomyCreate(
            director_area_id=make_area(session, world.project).id,
            year=2014,
            last_year=2015,
            kind=EconomyKind.saving,
            description="Færre sager",
            expected=Decimal(20000),
        ),
    )
    # The same total, moved between the years.
    economy.update_economy_entry(
        session=session,
        by=by,
        entry_id=entry.id,
        data=EconomyUpdate(per_year=[Decimal(5000), Decimal(15000)], version=1),
    )
    economy.delete_economy_entry(session=session, by=by, entry_id=entry.id, version=2)
    created, updated, deleted = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "economy_entry").order_by(col(AuditEvent.id))
    ).all()
    even = [
        {"year": 2014, "expected_ore": 1_000_000, "realised_ore": None},
        {"year": 2015, "expected_ore": 1_000_000, "realised_ore": None},
    ]
    moved = [
        {"year": 2014, "expected_ore": 500_000, "realised_ore": None},
        {"year": 2015, "expected_ore": 1_500_000, "realised_ore": None},
    ]
    assert created.after["per_year"] == even
    assert updated.before["per_year"] == even
    assert updated.after["per_year"] == moved
    assert updated.before["expected_ore"] == updated.after["expected_ore"] == 2_000_000
    assert deleted.before["per_year"] == moved
    assert deleted.after is None
