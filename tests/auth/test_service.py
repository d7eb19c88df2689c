from datetime import timedelta

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth import service
from app.auth.models import Role, UserSession
from app.config import Settings
from app.errors import Invalid, TooManyAttempts
from tests.factories import PASSWORD, make_user


def test_right_password_signs_in_and_wrong_is_refused_alike(session, settings):
    user = make_user(session, username="karen")
    assert (
        service.authenticate(session, username="karen", password=PASSWORD, settings=settings).id
        == user.id
    )
    with pytest.raises(Invalid) as wrong_password:
        service.authenticate(session, username="karen", password="forkert", settings=settings)
    with pytest.raises(Invalid) as unknown_user:
        service.authenticate(session, username="ingen", password="forkert", settings=settings)
    assert wrong_password.value.message == unknown_user.value.message == service.WRONG_LOGIN


def test_repeated_failures_are_throttled_even_with_the_right_password(session):
    settings = Settings(database_url="sqlite://", login_max_failures=3)
    make_user(session, username="karen")
    for _ in range(3):
        with pytest.raises(Invalid):
            service.authenticate(session, username="karen", password="forkert", settings=settings)
    with pytest.raises(TooManyAttempts):
        service.authenticate(session, username="karen", password=PASSWORD, settings=settings)


def test_disabled_user_cannot_sign_in_and_loses_sessions(session, settings):
    admin = make_user(session, username="boss", is_admin=True)
    user = make_user(session, username="karen")
    token = service.start_session(session, user=user, kind="browser", settings=settings)
    service.set_active(session, by=admin, user_id=user.id, active=False)
    assert service.resolve_session(session, token=token, kind="browser", settings=settings) is None
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).all() == []
    with pytest.raises(Invalid):
        service.authenticate(session, username="karen", password=PASSWORD, settings=settings)


def test_sessions_expire_when_idle_and_at_their_absolute_limit(session, settings):
    user = make_user(session)
    token = service.start_session(session, user=user, kind="browser", settings=settings)
    assert service.resolve_session(session, token=token, kind="browser", settings=settings)
    row = session.exec(select(UserSession)).one()
    row.last_seen_at -= timedelta(minutes=settings.session_idle_minutes + 1)
    session.commit()
    assert service.resolve_session(session, token=token, kind="browser", settings=settings) is None
    row.last_seen_at = row.created_at
    row.expires_at = row.created_at - timedelta(seconds=1)
    session.commit()
    assert service.resolve_session(session, token=token, kind="browser", settings=settings) is None


def test_browser_token_is_not_an_api_token(session, settings):
    user = make_user(session)
    token = service.start_session(session, user=user, kind="browser", settings=settings)
    assert service.resolve_session(session, token=token, kind="api", settings=settings) is None


def test_access_holds_roles_and_group_scope(session, world):
    access = service.access_for(session, user=world.users["member_a"], project_id=world.project.id)
    assert access.roles == {Role.group_member}
    assert access.can_edit_group(world.group_a.id)
    assert not access.can_edit_group(world.group_b.id)
    leader = service.access_for(session, user=world.users["leader"], project_id=world.project.id)
    assert leader.can_edit_group(world.group_b.id)
    outsider = service.access_for(
        session, user=world.users["outsider"], project_id=world.project.id
    )
    assert not outsider.roles


def test_creating_a_user_is_audited_without_the_password_hash(session):
    user = make_user(session, username="karen")
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.action == "created")
    ).one()
    assert event.entity_id == str(user.id)
    assert event.after["password_hash"] == "***"
