"""API shapes of accounts and access."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from app.auth.models import Role
from app.inputs import Input


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class ProjectRolePublic(BaseModel):
    project_id: int
    role: Role
    group_id: int | None = None


class MePublic(BaseModel):
    id: int
    username: str
    full_name: str
    is_admin: bool
    roles: list[ProjectRolePublic]


class UserCreate(Input):
    username: str = Field(min_length=2, max_length=80, pattern=r"^[a-zA-Z0-9._@-]+$")
    full_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    password: str = Field(min_length=8, max_length=200)
    is_admin: bool = False


class SessionPublic(BaseModel):
    """One of the caller's browser sessions or API tokens (never its secret)."""

    id: str
    kind: str
    name: str
    read_only: bool
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime | None
    current: bool


class PersonalTokenCreate(Input):
    """A personal access token for a script: its name, last day (none: no expiry), read-only."""

    name: str = Field(min_length=1, max_length=100, title="Navn på nøglen")
    expires_on: date | None = None
    read_only: bool = False


class PersonalTokenCreated(SessionPublic):
    """The new token, with its secret: shown this once, never again."""

    token: str


class UserPublic(BaseModel):
    id: int
    username: str
    full_name: str
    email: str
    is_admin: bool
    is_active: bool


class MemberCreate(Input):
    user_id: int
    role: Role
    group_id: int | None = None
    person_id: int | None = None


class MemberPublic(BaseModel):
    id: int
    project_id: int
    user_id: int
    username: str
    role: Role
    group_id: int | None
    person_id: int | None
