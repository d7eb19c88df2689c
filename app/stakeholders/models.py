"""Tables of the stakeholder analysis, the communication plan and the external activities."""

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import CheckConstraint, Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow


class StakeholderKind(StrEnum):
    internal = "internal"
    external = "external"


KIND_LABELS = {StakeholderKind.internal: "Intern", StakeholderKind.external: "Ekstern"}


class Attitude(StrEnum):
    """The stakeholder's attitude to the reform, from opposing to supportive."""

    opposing = "opposing"
    sceptical = "sceptical"
    neutral = "neutral"
    positive = "positive"
    supportive = "supportive"


ATTITUDE_LABELS = {
    Attitude.opposing: "Modstander",
    Attitude.sceptical: "Skeptisk",
    Attitude.neutral: "Neutral",
    Attitude.positive: "Positiv",
    Attitude.supportive: "Fortaler",
}


class Strategy(StrEnum):
    """How a stakeholder is engaged; derived from the influence/interest quadrant."""

    manage_closely = "manage_closely"
    keep_satisfied = "keep_satisfied"
    keep_informed = "keep_informed"
    monitor = "monitor"


STRATEGY_LABELS = {
    Strategy.manage_closely: "Involvér tæt",
    Strategy.keep_satisfied: "Hold tilfreds",
    Strategy.keep_informed: "Hold informeret",
    Strategy.monitor: "Overvåg",
}
# The names Danish project practice gives the four quadrants.
QUADRANT_NAMES = {
    Strategy.manage_closely: "Ressourcepersoner",
    Strategy.keep_satisfied: "Grå eminencer",
    Strategy.keep_informed: "Gidsler",
    Strategy.monitor: "Eksterne interessenter",
}


class Channel(StrEnum):
    meeting = "meeting"
    email = "email"
    newsletter = "newsletter"
    intranet = "intranet"
    website = "website"
    press = "press"
    seminar = "seminar"
    phone = "phone"
    other = "other"


CHANNEL_LABELS = {
    Channel.meeting: "Møde",
    Channel.email: "E-mail eller brev",
    Channel.newsletter: "Nyhedsbrev",
    Channel.intranet: "Intranet",
    Channel.website: "Hjemmeside",
    Channel.press: "Presse",
    Channel.seminar: "Temadag eller seminar",
    Channel.phone: "Telefon",
    Channel.other: "Andet",
}


class ActivityKind(StrEnum):
    network = "network"
    seminar = "seminar"
    meeting = "meeting"
    theme_day = "theme_day"


ACTIVITY_KIND_LABELS = {
    ActivityKind.network: "Netværk",
    ActivityKind.seminar: "Seminar",
    ActivityKind.meeting: "Møde",
    ActivityKind.theme_day: "Temadag",
}


class Stakeholder(SQLModel, table=True):
    """A stakeholder of the project (interessent), placed by influence and interest (1–5)."""

    __tablename__ = "stakeholder"
    __table_args__ = (
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    kind: StakeholderKind = Field(sa_type=enum_type(StakeholderKind))
    director_area_id: int | None = Field(
        default=None, foreign_key="director_area.id", ondelete="SET NULL"
    )
    organisation: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=300)
    influence: int
    interest: int
    attitude: Attitude = Field(sa_type=enum_type(Attitude))
    needs: str = Field(default="", max_length=2000)
    strategy_override: Strategy | None = Field(default=None, sa_type=enum_type(Strategy))
    override_reason: str = Field(default="", max_length=1000)
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class StakeholderPosition(SQLModel, table=True):
    """One placement of a stakeholder; a new row each time influence, interest or attitude
    changes, so the steering group can see who moved. The newest row is the current one."""

    __tablename__ = "stakeholder_position"

    id: int | None = Field(default=None, primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True, ondelete="CASCADE")
    assessed_date: date
    influence: int
    interest: int
    attitude: Attitude = Field(sa_type=enum_type(Attitude))
    note: str = Field(default="", max_length=1000)
    recorded_by: str = Field(default="", max_length=200)
    recorded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    recorded_at: datetime = Field(default_factory=utcnow)


class CommunicationAction(SQLModel, table=True):
    """An action of the communication plan: what a stakeholder is told, how, when, by whom."""

    __tablename__ = "communication_action"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True, ondelete="CASCADE")
    what: str = Field(max_length=500)
    channel: Channel = Field(sa_type=enum_type(Channel))
    planned_date: date = Field(index=True)
    responsible_person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL"
    )
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    done: bool = False
    done_date: date | None = None
    version: int = 1


class ExternalActivity(SQLModel, table=True):
    """A network, seminar or meeting outside the organisation, with the municipality's delegates."""

    __tablename__ = "external_activity"
    __table_args__ = (
        CheckConstraint("delegate_limit IS NULL OR delegate_limit >= 1", name="delegate_limit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    kind: ActivityKind = Field(sa_type=enum_type(ActivityKind))
    organiser: str = Field(max_length=200)
    activity_date: date | None = Field(default=None, index=True)
    start_time: str = Field(default="", max_length=5)
    place: str = Field(default="", max_length=200)
    theme: str = Field(default="", max_length=1000)
    audience: str = Field(default="", max_length=500)
    delegate_limit: int | None = None
    limit_note: str = Field(default="", max_length=300)
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    version: int = 1


class ActivityDelegate(SQLModel, table=True):
    """A person of the project who represents the municipality at an external activity."""

    __tablename__ = "activity_delegate"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="external_activity.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    position: int = 0
