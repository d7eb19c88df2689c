"""Factories for participant tests: a small scheme like seed 002's, participants and follow-ups."""

from datetime import date
from typing import Any

from sqlmodel import Session

from app.auth.service import access_for
from app.participants import follow_ups, registrations, setup
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.schemas import ExitCreate, FollowUpCreate, ParticipantCreate
from app.participants.schemes import SchemeDefinition
from tests.factories import ProjectWorld

TODAY = date(2014, 12, 31)


def scheme_definition(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Virksomhedscentre",
        "grantor": "Arbejdsmarkedsstyrelsen",
        "code_prefix": "VC",
        "follow_up_every": 3,
        "follow_up_unit": "months",
        "on_time_days": 14,
        "retention_months": 24,
        "target_groups": ["I ressourceforløb", "I risiko for ressourceforløb"],
        "start_fields": [
            {
                "key": "age",
                "label": "Alder",
                "type": "number",
                "required": True,
                "min": 16,
                "max": 67,
            },
            {
                "key": "sex",
                "label": "Køn",
                "type": "choice",
                "options": ["Kvinde", "Mand"],
                "required": True,
            },
            {"key": "goal", "label": "Langsigtet mål", "type": "text"},
            {"key": "mentor", "label": "Virksomhedsmentor", "type": "bool"},
            {"key": "hours", "label": "Timer pr. uge", "type": "number"},
        ],
        "follow_up_fields": [
            {
                "key": "development",
                "label": "Udvikling i praktikken",
                "type": "choice",
                "options": ["Flere timer", "Uændret", "Færre timer"],
                "required": True,
            },
            {"key": "hours", "label": "Timer pr. uge", "type": "number"},
        ],
        "exit_fields": [
            {"key": "placements", "label": "Antal virksomhedspraktikker", "type": "number"},
        ],
        "exit_outcomes": [
            {"key": "job", "label": "Selvforsørgelse – job", "placement": True},
            {"key": "flex_job", "label": "Delvis selvforsørgelse – fleksjob", "placement": True},
            {"key": "dropout", "label": "Frafald", "placement": False},
        ],
        "hours_field": "hours",
    }
    values |= overrides
    return values


def access(session: Session, world: ProjectWorld, name: str = "leader"):
    return access_for(session=session, user=world.users[name], project_id=world.project.id)


def make_scheme(session: Session, world: ProjectWorld, **overrides: Any) -> RegistrationScheme:
    return setup.create_scheme(
        session=session,
        by=access(session, world),
        data=SchemeDefinition.model_validate(scheme_definition(**overrides)),
    )


def start_values(**overrides: Any) -> dict[str, Any]:
    return {"age": 41, "sex": "Kvinde", "goal": "Lagerarbejde", "hours": 8} | overrides


def make_participant(
    session: Session, world: ProjectWorld, scheme: RegistrationScheme, **overrides: Any
) -> Participant:
    values: dict[str, Any] = {
        "scheme_id": scheme.id,
        "start_date": date(2013, 5, 1),
        "start_values": start_values(),
        "target_group": "I ressourceforløb",
    }
    values |= overrides
    return registrations.register_participant(
        session=session, by=access(session, world), data=ParticipantCreate(**values), today=TODAY
    )


def follow_up(
    session: Session, world: ProjectWorld, participant: Participant, day: date, **values: Any
) -> FollowUp:
    data = FollowUpCreate(follow_up_date=day, values={"development": "Uændret"} | values)
    return follow_ups.add_follow_up(
        session=session,
        by=access(session, world),
        participant_id=participant.id,
        data=data,
        today=TODAY,
    )


def exit_participant(
    session: Session, world: ProjectWorld, participant: Participant, day: date, outcome: str = "job"
) -> Participant:
    return registrations.record_exit(
        session=session,
        by=access(session, world),
        participant_id=participant.id,
        data=ExitCreate(exit_date=day, outcome=outcome),
        today=TODAY,
    )
