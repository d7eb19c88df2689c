"""Sign-in, server-side sessions, accounts and a user's roles in a project."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, delete, func, select

from app.audit import service as audit
from app.auth import throttle
from app.auth.models import KnownDevice, ProjectMember, Role, User, UserSession
from app.auth.schemas import PersonalTokenCreate
from app.auth.security import hash_password, new_token, token_hash, verify_password
from app.clock import COPENHAGEN
from app.config import Settings
from app.db import stored_id, utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound

WRONG_LOGIN = "Forkert brugernavn eller adgangskode."
PASSWORDS_OFF = "Log ind med adgangskode er slået fra. Log ind med {provider}."
# The kinds of session a client may present: a browser its cookie, a script (a Bearer header)
# a password-flow token or a personal access token.
PRESENTED_AS = {"browser": ("browser",), "api": ("api", "personal")}


@dataclass(frozen=True)
class Access:
    """What one user may do in one project: their roles and the groups they belong to."""

    user: User
    project_id: int
    roles: frozenset[Role] = frozenset()
    group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    def has(self, *roles: Role) -> bool:
        """True for an administrator, or when the user holds one of the roles."""
        return self.is_admin or bool(self.roles.intersection(roles))

    @property
    def leads(self) -> bool:
        return self.has(Role.project_leader)

    @property
    def directorate_only(self) -> bool:
        """The directorate reads the dashboard and the issued reports, and changes nothing."""
        return not self.is_admin and self.roles == {Role.directorate}

    def can_edit_group(self, group_id: int | None) -> bool:
        """Project leaders edit every group's work; group members only their own group's."""
        return self.leads or (group_id is not None and group_id in self.group_ids)


def access_for(*, session: Session, user: User, project_id: int) -> Access:
    """The user's roles in the project (empty when they have none)."""
    rows = session.exec(
        select(col(ProjectMember.role), ProjectMember.group_id).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user.id
        )
    ).all()
    return access_of(user, project_id, rows)


def access_of(user: User, project_id: int, rows: Iterable[tuple[Any, int | None]]) -> Access:
    """The Access for the user's (role, group) rows in the project (a role of None is none)."""
    rows = list(rows)
    return Access(
        user=user,
        project_id=project_id,
        roles=frozenset(Role(role) for role, _ in rows if role is not None),
        group_ids=frozenset(g for role, g in rows if role == Role.group_member and g is not None),
    )


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the session's secret token and the client's new device cookie."""

    user: User
    token: str
    device_token: str


def sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    kind: str,
    client: throttle.Client,
    settings: Settings,
    replaces: str = "",
) -> SignedIn:
    """Check the password (throttled per account and client address, one attempt per username
    at a time) and open a session; the session a browser held before (`replaces`) ends.
    Refuses alike whether the username exists or not; a refusal records the failure and
    nothing else."""
    username = username.strip()
    if not settings.local_passwords and (not username or username != settings.break_glass_admin):
        # Refused before anything is looked up: the answer says nothing about the account.
        raise Forbidden(PASSWORDS_OFF.format(provider=settings.oidc_name), field="password")
    throttle.serialise(session=session, username=username)
    device = throttle.known_device(
        session=session, username=username, client=client, settings=settings
    )
    throttle.check(
        session=session, username=username, client=client, device=device, settings=settings
    )
    user = session.exec(select(User).where(User.username == username)).first()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.record_failure(
            session=session, username=username, client=client, device=device, settings=settings
        )
        session.commit()
        raise Invalid(WRONG_LOGIN, field="password")
    throttle.forgive(session=session, username=username, client=client, device=device)
    return _open_session(
        session=session, user=user, kind=kind, device=device, settings=settings, replaces=replaces
    )


def _open_session(
    *,
    session: Session,
    user: User,
    kind: str,
    device: KnownDevice | None,
    settings: Settings,
    replaces: str,
    method: str = "",
) -> SignedIn:
    """Open a session for a user whose identity is proven (password or identity provider): the
    client becomes a known device, the user's expired sessions go, and so does the browser's
    previous session (`replaces`); audited and committed."""
    device_token = throttle.remember(session=session, user=user, device=device, settings=settings)
    now = utcnow()
    session.exec(
        delete(UserSession).where(
            col(UserSession.user_id) == user.id, col(UserSession.expires_at) <= now
        )
    )
    if replaces:
        session.exec(delete(UserSession).where(col(UserSession.id) == token_hash(replaces)))
    token = new_token()
    lifetime = (
        timedelta(hours=settings.api_token_hours)
        if kind == "api"
        else timedelta(hours=settings.session_absolute_hours)
    )
    session.add(
        UserSession(
            id=token_hash(token),
            user_id=stored_id(user),
            kind=kind,
            csrf_token=new_token(),
            expires_at=now + lifetime,
        )
    )
    audit.record(
        session=session,
        by=user,
        action="signed_in",
        entity="user",
        entity_id=user.id,
        after={"kind": kind} | ({"method": method} if method else {}),
    )
    session.commit()
    return SignedIn(user=user, token=token, device_token=device_token)


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the identity provider says signed in (from a verified ID token): its issuer, the
    value of the configured user claim, and the names it gave for a new account."""

    issuer: str
    subject: str
    username: str
    full_name: str = ""
    email: str = ""
    # Whether `subject` may find an existing, not yet linked account by username or e-mail
    # (not for `sub`, an opaque id no account is named by).
    match_existing: bool = False


SSO_REFUSED = "Du kan ikke logge ind i Reformstyr med denne konto. Kontakt en administrator."


def sign_in_with_provider(
    *,
    session: Session,
    identity: ProviderIdentity,
    client: throttle.Client,
    settings: Settings,
    replaces: str = "",
) -> SignedIn:
    """Open a browser session for the person the identity provider vouched for: the account
    linked to (issuer, subject); else, when allowed, an existing unlinked account named by the
    subject (which is then linked); else a new account without roles when
    REFORMSTYR_OIDC_CREATE_USERS is on. A disabled account stays refused."""
    user = session.exec(
        select(User).where(
            User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject
        )
    ).first()
    if user is None and identity.match_existing:
        user = _unlinked_account(
            session=session, name=identity.subject, keep_local=settings.break_glass_admin
        )
        if user is not None:
            before = {"oidc_issuer": user.oidc_issuer, "oidc_subject": user.oidc_subject}
            user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
            audit.record(
                session=session,
                by=user,
                action="sso_linked",
                entity="user",
                entity_id=user.id,
                before=before,
                after={"oidc_issuer": identity.issuer, "oidc_subject": identity.subject},
            )
    if user is None and settings.oidc_create_users:
        user = _account_from_provider(session=session, identity=identity)
    if user is None or not user.is_active:
        session.rollback()
        raise Forbidden(SSO_REFUSED)
    device = throttle.known_device(
        session=session, username=user.username, client=client, settings=settings
    )
    return _open_session(
        session=session,
        user=user,
        kind="browser",
        device=device,
        settings=settings,
        replaces=replaces,
        method="oidc",
    )


def _unlinked_account(*, session: Session, name: str, keep_local: str) -> User | None:
    """The one account not yet linked to the provider whose username or e-mail is `name`
    (letter case aside); None when there is none, or more than one. The break-glass
    administrator (`keep_local`) is never linked: it is the way in when the provider is not."""
    lowered = name.strip().lower()
    if not lowered:
        return None
    found = session.exec(
        select(User).where(
            col(User.oidc_subject).is_(None),
            func.lower(User.username) != keep_local.strip().lower(),
            (func.lower(User.username) == lowered) | (func.lower(User.email) == lowered),
        )
    ).all()
    return found[0] if len(found) == 1 else None


def _account_from_provider(*, session: Session, identity: ProviderIdentity) -> User:
    """A new account for a first sign-in: named as the provider names the person (made unique
    with a number), no password (the hash "!" matches none) and no project roles."""
    base = (identity.username or identity.subject).strip()[:70] or "bruger"
    taken = set(
        session.exec(select(col(User.username)).where(col(User.username).startswith(base))).all()
    )
    username = next(
        name for name in (base, *(f"{base}-{n}" for n in range(2, 1000))) if name not in taken
    )
    user = User(
        username=username,
        full_name=identity.full_name[:200],
        email=identity.email[:254],
        password_hash="!",
        oidc_issuer=identity.issuer,
        oidc_subject=identity.subject,
    )
    session.add(user)
    session.flush()
    audit.record(
        session=session,
        by=user,
        action="created",
        entity="user",
        entity_id=user.id,
        after=audit.snapshot(user) | {"password_hash": "***", "method": "oidc"},
    )
    return user


def _is_live(user_session: UserSession, *, settings: Settings) -> bool:
    """Not past its absolute limit and, for a browser, not idle too long."""
    now = utcnow()
    idle_limit = user_session.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    expires_at = user_session.expires_at
    return (expires_at is None or now < expires_at) and (
        user_session.kind != "browser" or now < idle_limit
    )


def resolve_session(
    *, session: Session, token: str, kind: str, settings: Settings
) -> tuple[User, UserSession] | None:
    """The user and session for a token presented as `kind` ("browser": the cookie, "api": a
    Bearer header); None when unknown, expired, idle too long or disabled."""
    row = session.exec(
        select(UserSession, User)
        .join(User, col(User.id) == UserSession.user_id)
        .where(UserSession.id == token_hash(token), col(UserSession.kind).in_(PRESENTED_AS[kind]))
    ).first()
    if row is None:
        return None
    user_session, user = row
    if not user.is_active or not _is_live(user_session, settings=settings):
        return None
    return user, user_session


def touch_session(*, session: Session, session_id: str) -> None:
    """Move a session's idle deadline on (called at most once a minute per session)."""
    user_session = session.get(UserSession, session_id)
    if user_session is not None:
        user_session.last_seen_at = utcnow()
        session.commit()


def end_session(*, session: Session, user: User, session_id: str) -> None:
    """Sign out: the session stops working at once, everywhere."""
    session.exec(delete(UserSession).where(col(UserSession.id) == session_id))
    audit.record(session=session, by=user, action="signed_out", entity="user", entity_id=user.id)
    session.commit()


def live_sessions(*, session: Session, user: User, settings: Settings) -> list[UserSession]:
    """The user's browser sessions and API tokens that still work, newest first."""
    rows = session.exec(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(col(UserSession.created_at).desc())
    ).all()
    return [row for row in rows if _is_live(row, settings=settings)]


def create_personal_token(
    *, session: Session, user: User, data: PersonalTokenCreate, made_with: UserSession
) -> tuple[str, UserSession]:
    """A named token for scripts, with the user's own rights (or only reading them), valid to
    the end of its last day in Danish time, or until revoked. Its secret is returned this once;
    we keep its hash."""
    if made_with.kind == "personal":
        # A token found in a script must not be able to make itself a longer life.
        raise Forbidden(
            "En adgangsnøgle kan ikke lave nye adgangsnøgler: log ind med adgangskode eller "
            "kommunens login for at lave en."
        )
    if not data.name.strip():
        raise Invalid("Feltet »Navn på nøglen« skal udfyldes.", field="name")
    # Sessions live by the real clock, not the app's (possibly fixed, app.clock) business day.
    if data.expires_on is not None and data.expires_on <= utcnow().astimezone(COPENHAGEN).date():
        raise Invalid(
            "Feltet »Udløber efter« skal være en dato efter i dag (eller tomt: ingen udløb).",
            field="expires_on",
        )
    token = new_token()
    row = UserSession(
        id=token_hash(token),
        user_id=stored_id(user),
        kind="personal",
        name=data.name.strip(),
        read_only=data.read_only,
        csrf_token=new_token(),
        expires_at=_end_of_day(data.expires_on) if data.expires_on else None,
    )
    session.add(row)
    audit.record(
        session=session,
        by=user,
        action="token_created",
        entity="user",
        entity_id=user.id,
        after={"session": row.ref, "name": row.name, "read_only": row.read_only},
    )
    session.commit()
    return token, row


def _end_of_day(day: date) -> datetime:
    """The moment a Danish calendar day ends, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=COPENHAGEN).astimezone(UTC)


def revoke_session(*, session: Session, user: User, ref: str) -> UserSession:
    """End one of the user's own sessions or API tokens, named by its public ref; someone
    else's is not found."""
    found = next(
        (
            row
            for row in session.exec(select(UserSession).where(UserSession.user_id == user.id))
            if row.ref == ref
        ),
        None,
    )
    if found is None:
        raise NotFound("Sessionen eller API-nøglen findes ikke.")
    session.delete(found)
    audit.record(
        session=session,
        by=user,
        action="session_revoked",
        entity="user",
        entity_id=user.id,
        before={"session": found.ref, "kind": found.kind, "name": found.name},
    )
    session.commit()
    return found


def get_user(*, session: Session, user_id: int) -> User:
    """The account, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Brugeren findes ikke.")
    return user


def unlock(*, session: Session, by: User, user_id: int) -> User:
    """An administrator ends an account's sign-in delay: its failed sign-ins are forgotten."""
    user = get_user(session=session, user_id=user_id)
    failures = throttle.clear(session=session, username=user.username)
    audit.record(
        session=session,
        by=by,
        action="unlocked",
        entity="user",
        entity_id=user.id,
        before={"failed_sign_ins": failures},
        after={"failed_sign_ins": 0},
    )
    session.commit()
    return user


def create_user(
    *,
    session: Session,
    by: User | None,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    is_admin: bool = False,
    is_demo: bool = False,
) -> User:
    """Create an account; the username must be free."""
    if len(password) < 8 and not is_demo:
        raise Invalid("Adgangskoden skal have mindst 8 tegn.", field="password")
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"Brugernavnet »{username}« er allerede i brug.", field="username")
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        password_hash=hash_password(password),
        is_admin=is_admin,
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    audit.record(
        session=session,
        by=by,
        action="created",
        entity="user",
        entity_id=user.id,
        after=audit.snapshot(user) | {"password_hash": "***"},
    )
    session.commit()
    return user


def set_active(*, session: Session, by: User, user_id: int, active: bool) -> User:
    """Enable or disable an account; disabling ends all its sessions at once."""
    user = get_user(session=session, user_id=user_id)
    if user.id == by.id and not active:
        raise Invalid("Du kan ikke deaktivere din egen konto.", field="is_active")
    before = {"is_active": user.is_active}
    user.is_active = active
    if not active:
        session.exec(delete(UserSession).where(col(UserSession.user_id) == user.id))
    audit.record(
        session=session,
        by=by,
        action="activated" if active else "deactivated",
        entity="user",
        entity_id=user.id,
        before=before,
        after={"is_active": active},
    )
    session.commit()
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)).all())


def project_users(*, session: Session, project_id: int) -> list[User]:
    """The users who hold a role in the project, by name."""
    return list(
        session.exec(
            select(User)
            .where(
                col(User.id).in_(
                    select(ProjectMember.user_id).where(ProjectMember.project_id == project_id)
                )
            )
            .order_by(User.full_name, User.username)
        ).all()
    )


def role_kinds(*, session: Session, user: User) -> set[Role]:
    """The kinds of role a user holds in any project (one small query, however many)."""
    return set(
        session.exec(
            select(col(ProjectMember.role)).where(ProjectMember.user_id == user.id).distinct()
        )
    )


def roles_of(*, session: Session, user: User) -> list[ProjectMember]:
    return list(
        session.exec(
            select(ProjectMember)
            .where(ProjectMember.user_id == user.id)
            .order_by(col(ProjectMember.id))
        ).all()
    )
