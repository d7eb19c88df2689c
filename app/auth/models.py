"""Tables of accounts, sessions and project access."""

import hashlib
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow


class Role(StrEnum):
    project_leader = "project_leader"
    steering_member = "steering_member"
    group_member = "group_member"
    directorate = "directorate"
    secretariat = "secretariat"


ROLE_LABELS = {
    Role.project_leader: "Projektleder",
    Role.steering_member: "Styregruppemedlem",
    Role.group_member: "Implementeringsgruppemedlem",
    Role.directorate: "Direktion",
    Role.secretariat: "Sekretariat",
}


class User(SQLModel, table=True):
    """An account. One signed in through the identity provider keeps the provider's issuer and
    its value of the configured user claim (docs/sso.md); one made there has no password."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    full_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    password_hash: str = Field(max_length=200)
    is_admin: bool = False
    is_active: bool = True
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    oidc_issuer: str | None = Field(default=None, max_length=300)
    oidc_subject: str | None = Field(default=None, max_length=300)


class OidcSignIn(SQLModel, table=True):
    """A sign-in through the identity provider under way, from the redirect to the provider until
    its answer comes back (at most OIDC_SIGN_IN_MINUTES): kept here, not in a worker's memory,
    and deleted when the answer arrives, so it is used once. The key is the hash of `state`;
    the browser that began it holds a cookie whose hash is `browser_hash`."""

    __tablename__ = "oidc_sign_in"

    id: str = Field(primary_key=True, max_length=64)
    browser_hash: str = Field(max_length=64)
    nonce: str = Field(max_length=64)
    code_verifier: str = Field(max_length=128)
    next_url: str = Field(default="/", max_length=500)
    expires_at: datetime = Field(index=True)


class UserSession(SQLModel, table=True):
    """A signed-in browser or API client: the client holds the secret token, we keep its hash.
    Kinds: "browser", "api" (the password flow) and "personal" (a personal access token the
    user made on "Min konto": named, optionally read-only, with or without an expiry)."""

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(default="browser", max_length=10)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None
    name: str = Field(default="", max_length=100)
    read_only: bool = False

    @property
    def ref(self) -> str:
        """The session's public name (pages, API): derived from the stored hash, so it leads
        back neither to the token nor to the row's key."""
        return hashlib.sha256(f"ref:{self.id}".encode()).hexdigest()[:16]


class KnownDevice(SQLModel, table=True):
    """A browser or script that has signed in as the user before. It keeps a random device
    cookie, we keep its hash; a known device is not held up by its account's sign-in delay."""

    __tablename__ = "known_device"
    __table_args__ = (UniqueConstraint("token_hash", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime = Field(default_factory=utcnow)


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, kept in the database so throttling holds across worker processes:
    counted for its account (or its known device) and for its client's network address (an
    IPv6 client's /64)."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    address: str = Field(default="", max_length=64, index=True)
    device_id: int | None = Field(
        default=None, foreign_key="known_device.id", ondelete="CASCADE", index=True
    )


class ProjectMember(SQLModel, table=True):
    """A user's role in a project; a group member's role is scoped to one implementation group."""

    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "role", "group_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    role: Role = Field(sa_type=enum_type(Role))
    group_id: int | None = Field(default=None, foreign_key="body.id", ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
