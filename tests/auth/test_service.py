from datetime import timedelta

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth import service, throttle
from app.auth.models import LoginFailure, Role, UserSession
from app.auth.security import hash_password, verify_password
from app.auth.throttle import Client
from app.config import Settings
from app.errors import Invalid, NotFound, TooManyAttempts
from tests.factories import PASSWORD, make_user

HERE = Client(address="192.0.2.1")


def _sign_in(session, settings, username, password=PASSWORD, client=HERE, kind="browser"):
    return service.sign_in(
        session=session,
        username=username,
        password=password,
        kind=kind,
        client=client,
        settings=settings,
    )


def _age_failures(session, seconds: int) -> None:
    """Move every failed sign-in back in time (instead of waiting)."""
    for failure in session.exec(select(LoginFailure)).all():
        failure.at -= timedelta(seconds=seconds)
    session.commit()


def _retry_after(session, settings, username, client=HERE) -> int:
    with pytest.raises(TooManyAttempts) as refused:
        _sign_in(session, settings, username, client=client)
    return refused.value.retry_after


def test_right_password_signs_in_and_wrong_is_refused_alike(session, settings):
    user = make_user(session, username="karen")
    assert _sign_in(session, settings, "karen").user.id == user.id
    with pytest.raises(Invalid) as wrong_password:
        _sign_in(session, settings, "karen", password="forkert")
    with pytest.raises(Invalid) as unknown_user:
        _sign_in(session, settings, "ingen", password="forkert")
    assert wrong_password.value.message == unknown_user.value.message == service.WRONG_LOGIN


def test_past_the_free_failures_each_failure_doubles_the_wait_up_to_the_cap(session):
    settings = Settings(
        database_url="sqlite://",
        login_free_failures=3,
        login_delay_seconds=2,
        login_max_delay_seconds=10,
    )
    make_user(session, username="karen")
    for _ in range(3):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert")
    waits = []
    for _ in range(4):
        # Even the right password waits: the account's wait holds for every unknown client.
        waits.append(_retry_after(session, settings, "karen"))
        _age_failures(session, waits[-1])
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert")
    assert waits == [2, 4, 8, 10]
    _age_failures(session, 10)
    assert _sign_in(session, settings, "karen").user.username == "karen"


def test_a_refused_attempt_is_not_counted(session, settings):
    make_user(session, username="karen")
    for _ in range(settings.login_free_failures):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert")
    for _ in range(3):
        with pytest.raises(TooManyAttempts):
            _sign_in(session, settings, "karen", password="forkert")
    assert len(session.exec(select(LoginFailure)).all()) == settings.login_free_failures


def test_a_known_device_passes_the_accounts_wait_and_its_addresss(session):
    settings = Settings(database_url="sqlite://", login_address_free_failures=8)
    make_user(session, username="karen")
    device = _sign_in(session, settings, "karen").device_token
    mine = Client(address="192.0.2.1", device_token=device)
    attacker = Client(address="198.51.100.7")
    for _ in range(settings.login_free_failures):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert", client=attacker)
    _retry_after(session, settings, "karen", client=attacker)
    assert _retry_after(session, settings, "karen", client=HERE) > 0  # a new browser waits
    signed_in = _sign_in(session, settings, "karen", client=mine)
    assert signed_in.device_token != device  # a new device cookie at every sign-in
    mine = Client(address="192.0.2.1", device_token=signed_in.device_token)
    for name in ("a", "b", "c", "d", "e", "f", "g", "h"):
        with pytest.raises(Invalid):
            _sign_in(session, settings, name, password="forkert", client=HERE)
    with pytest.raises(TooManyAttempts) as address:
        _sign_in(session, settings, "bent", client=HERE)
    assert "fra din netværksadresse (IP-adresse)" in address.value.message
    # A colleague at the same address: their known browser is not held up by it.
    assert _sign_in(session, settings, "karen", client=mine).user.username == "karen"


def test_a_known_devices_own_failures_do_not_hold_up_its_address(session):
    settings = Settings(database_url="sqlite://", login_address_free_failures=3)
    make_user(session, username="karen")
    mine = Client(
        address="192.0.2.1", device_token=_sign_in(session, settings, "karen").device_token
    )
    for _ in range(3):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert", client=mine)
    # Counted for the device (its own allowance), not for everyone else at the address.
    make_user(session, username="bent")
    assert _sign_in(session, settings, "bent", client=HERE).user.username == "bent"


def test_the_failures_of_a_device_are_found_through_an_index(db):
    indexed = {tuple(ix["column_names"]) for ix in inspect(db.engine).get_indexes("login_failure")}
    assert ("device_id",) in indexed


def test_a_device_cookie_of_another_user_or_a_made_up_one_is_not_known(session, settings):
    make_user(session, username="karen")
    make_user(session, username="bent")
    bents = _sign_in(session, settings, "bent").device_token
    for token in (bents, "opdigtet-af-en-angriber"):
        found = throttle.known_device(
            session=session,
            username="karen",
            client=Client(address="192.0.2.1", device_token=token),
            settings=settings,
        )
        assert found is None


def test_a_known_devices_own_failures_slow_it_down(session, settings):
    make_user(session, username="karen")
    device = _sign_in(session, settings, "karen").device_token
    mine = Client(address="192.0.2.1", device_token=device)
    for _ in range(settings.login_free_failures):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert", client=mine)
    assert _retry_after(session, settings, "karen", client=mine) == settings.login_delay_seconds
    # The owner's own typos on their device do not hold the account up elsewhere.
    assert _sign_in(session, settings, "karen", client=Client(address="192.0.2.2")).user


def test_a_sign_in_forgives_its_own_failures_not_an_attackers(session, settings):
    make_user(session, username="karen")
    attacker = Client(address="198.51.100.7")
    for client in (attacker, attacker, HERE):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert", client=client)
    _sign_in(session, settings, "karen")
    left = session.exec(select(LoginFailure.address)).all()
    assert left == ["198.51.100.7", "198.51.100.7"]


def test_failures_too_old_to_count_are_pruned(session, settings):
    with pytest.raises(Invalid):
        _sign_in(session, settings, "gammel", password="forkert")
    _age_failures(session, settings.login_window_minutes * 60 + 1)
    with pytest.raises(Invalid):
        _sign_in(session, settings, "ny", password="forkert")
    assert session.exec(select(LoginFailure.username)).all() == ["ny"]


def test_unlock_forgets_the_accounts_failures_and_is_audited(session, settings):
    admin = make_user(session, username="boss", is_admin=True)
    user = make_user(session, username="karen")
    for _ in range(settings.login_free_failures):
        with pytest.raises(Invalid):
            _sign_in(session, settings, "karen", password="forkert")
    service.unlock(session=session, by=admin, user_id=user.id)
    assert _sign_in(session, settings, "karen").user.id == user.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "unlocked")).one()
    assert event.before == {"failed_sign_ins": settings.login_free_failures}
    assert event.username == "boss" and event.entity_id == str(user.id)
    with pytest.raises(NotFound):
        service.unlock(session=session, by=admin, user_id=9999)


def test_disabled_user_cannot_sign_in_and_loses_sessions(session, settings):
    admin = make_user(session, username="boss", is_admin=True)
    user = make_user(session, username="karen")
    token = _sign_in(session, settings, "karen").token
    service.set_active(session=session, by=admin, user_id=user.id, active=False)
    assert (
        service.resolve_session(session=session, token=token, kind="browser", settings=settings)
        is None
    )
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).all() == []
    with pytest.raises(Invalid):
        _sign_in(session, settings, "karen")


def test_a_user_lists_and_revokes_only_their_own_sessions(session, settings):
    karen = make_user(session, username="karen")
    bent = make_user(session, username="bent")
    _sign_in(session, settings, "karen", kind="api")
    token = _sign_in(session, settings, "karen").token
    bents = _sign_in(session, settings, "bent", kind="api").token
    mine = service.live_sessions(session=session, user=karen, settings=settings)
    assert [s.kind for s in mine] == ["browser", "api"]
    bent_ref = service.live_sessions(session=session, user=bent, settings=settings)[0].ref
    with pytest.raises(NotFound):
        service.revoke_session(session=session, user=karen, ref=bent_ref)
    assert service.resolve_session(session=session, token=bents, kind="api", settings=settings)
    service.revoke_session(session=session, user=karen, ref=mine[0].ref)
    assert (
        service.resolve_session(session=session, token=token, kind="browser", settings=settings)
        is None
    )
    assert [
        s.kind for s in service.live_sessions(session=session, user=karen, settings=settings)
    ] == ["api"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "session_revoked")).one()
    assert event.before == {"session": mine[0].ref, "kind": "browser", "name": ""}


def test_signing_in_drops_the_users_expired_sessions(session, settings):
    user = make_user(session, username="karen")
    _sign_in(session, settings, "karen", kind="api")
    old = session.exec(select(UserSession)).one()
    old.expires_at = old.created_at
    session.commit()
    _sign_in(session, settings, "karen", kind="api")
    assert len(session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()) == 1


def test_sessions_expire_when_idle_and_at_their_absolute_limit(session, settings):
    user = make_user(session)
    token = _sign_in(session, settings, user.username).token
    assert service.resolve_session(session=session, token=token, kind="browser", settings=settings)
    row = session.exec(select(UserSession)).one()
    row.last_seen_at -= timedelta(minutes=settings.session_idle_minutes + 1)
    session.commit()
    assert (
        service.resolve_session(session=session, token=token, kind="browser", settings=settings)
        is None
    )
    row.last_seen_at = row.created_at
    row.expires_at = row.created_at - timedelta(seconds=1)
    session.commit()
    assert (
        service.resolve_session(session=session, token=token, kind="browser", settings=settings)
        is None
    )


def test_browser_token_is_not_an_api_token(session, settings):
    user = make_user(session)
    token = _sign_in(session, settings, user.username).token
    assert (
        service.resolve_session(session=session, token=token, kind="api", settings=settings) is None
    )


def test_access_holds_roles_and_group_scope(session, world):
    access = service.access_for(
        session=session, user=world.users["member_a"], project_id=world.project.id
    )
    assert access.roles == {Role.group_member}
    assert access.can_edit_group(world.group_a.id)
    assert not access.can_edit_group(world.group_b.id)
    leader = service.access_for(
        session=session, user=world.users["leader"], project_id=world.project.id
    )
    assert leader.can_edit_group(world.group_b.id)
    outsider = service.access_for(
        session=session, user=world.users["outsider"], project_id=world.project.id
    )
    assert not outsider.roles


def test_creating_a_user_is_audited_without_the_password_hash(session):
    user = make_user(session, username="karen")
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.action == "created")
    ).one()
    assert event.entity_id == str(user.id)
    assert event.after["password_hash"] == "***"


def test_an_account_without_a_password_hash_opens_with_no_password():
    """The dummy hash that evens out the timing for unknown users must never let a known
    account in: an empty or missing hash (an SSO account, say) matches nothing."""
    for stored in (None, "", "!"):
        assert not verify_password(stored, "reformstyr-dummy-password")
        assert not verify_password(stored, "")
    assert verify_password(hash_password("langt-nok-1"), "langt-nok-1")
