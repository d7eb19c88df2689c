"""The stakeholder analysis's part of the project document: stakeholders with their position
history and communication actions, and the external activities with their delegates.

References go by document keys (director areas, bodies, people), never database ids.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import Field
from sqlmodel import Session, col, select

from app import clock, inputs
from app.danish import format_date
from app.db import stored_id
from app.governance.models import BodyKind, Project
from app.projectdoc.refs import Refs
from app.stakeholders.models import (
    ActivityDelegate,
    ActivityKind,
    Attitude,
    Channel,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderKind,
    StakeholderPosition,
    Strategy,
)

Score = Annotated[int, Field(ge=1, le=5)]


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class PositionDoc(Strict):
    assessed_date: date
    influence: Score
    interest: Score
    attitude: Attitude
    note: str = Field(default="", max_length=1000)
    recorded_by: str = Field(default="", max_length=200)


class ActionDoc(Strict):
    what: str = Field(min_length=1, max_length=500)
    channel: Channel
    planned_date: date
    responsible_person: str | None = None
    group: str | None = None
    done: bool = False
    done_date: date | None = None


class StakeholderDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    kind: StakeholderKind
    director_area: str | None = None
    organisation: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=300)
    influence: Score
    interest: Score
    attitude: Attitude
    needs: str = Field(default="", max_length=2000)
    strategy_override: Strategy | None = None
    override_reason: str = Field(default="", max_length=1000)
    group: str | None = None
    history: list[PositionDoc] = []
    actions: list[ActionDoc] = []


class ActivityDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=200)
    kind: ActivityKind
    organiser: str = Field(min_length=1, max_length=200)
    activity_date: date | None = None
    start_time: str = Field(default="", pattern=r"^$|^([01]\d|2[0-3]):[0-5]\d$")
    place: str = Field(default="", max_length=200)
    theme: str = Field(default="", max_length=1000)
    audience: str = Field(default="", max_length=500)
    delegate_limit: int | None = Field(default=None, ge=1, le=100)
    limit_note: str = Field(default="", max_length=300)
    group: str | None = None
    delegates: list[str] = []


class StakeholdersDoc(Strict):
    """The sections of the document that this domain owns."""

    stakeholders: list[StakeholderDoc] = []
    external_activities: list[ActivityDoc] = []


def export_stakeholders(*, session: Session, project_id: int, refs: Refs) -> dict[str, Any]:
    """Stakeholders (with history and actions) and external activities as document sections."""
    stakeholders = session.exec(
        select(Stakeholder)
        .where(Stakeholder.project_id == project_id)
        .order_by(col(Stakeholder.id))
    ).all()
    ids = [s.id for s in stakeholders]
    positions: dict[int, list[PositionDoc]] = {}
    for p in session.exec(
        select(StakeholderPosition)
        .where(col(StakeholderPosition.stakeholder_id).in_(ids))
        .order_by(col(StakeholderPosition.assessed_date), col(StakeholderPosition.id))
    ).all():
        positions.setdefault(p.stakeholder_id, []).append(
            PositionDoc(
                assessed_date=p.assessed_date,
                influence=p.influence,
                interest=p.interest,
                attitude=p.attitude,
                note=p.note,
                recorded_by=p.recorded_by,
            )
        )
    actions: dict[int, list[ActionDoc]] = {}
    for a in session.exec(
        select(CommunicationAction)
        .where(CommunicationAction.project_id == project_id)
        .order_by(col(CommunicationAction.planned_date), col(CommunicationAction.id))
    ).all():
        actions.setdefault(a.stakeholder_id, []).append(
            ActionDoc(
                what=a.what,
                channel=a.channel,
                planned_date=a.planned_date,
                responsible_person=refs.key("person", a.responsible_person_id),
                group=refs.key("body", a.group_id),
                done=a.done,
                done_date=a.done_date,
            )
        )
    for i, s in enumerate(stakeholders, 1):
        refs.name("stakeholder", s.id, f"stakeholder-{i}")
    activities = session.exec(
        select(ExternalActivity)
        .where(ExternalActivity.project_id == project_id)
        .order_by(col(ExternalActivity.id))
    ).all()
    delegates: dict[int, list[str]] = {}
    for d in session.exec(
        select(ActivityDelegate)
        .where(col(ActivityDelegate.activity_id).in_([a.id for a in activities]))
        .order_by(col(ActivityDelegate.position), col(ActivityDelegate.id))
    ).all():
        delegates.setdefault(d.activity_id, []).append(refs.key("person", d.person_id) or "")
    for i, activity in enumerate(activities, 1):
        refs.name("activity", activity.id, f"activity-{i}")
    doc = StakeholdersDoc(
        stakeholders=[
            StakeholderDoc(
                key=refs.key("stakeholder", s.id) or "",
                name=s.name,
                kind=s.kind,
                director_area=refs.key("area", s.director_area_id),
                organisation=s.organisation,
                contact=s.contact,
                influence=s.influence,
                interest=s.interest,
                attitude=s.attitude,
                needs=s.needs,
                strategy_override=s.strategy_override,
                override_reason=s.override_reason,
                group=refs.key("body", s.group_id),
                history=positions.get(s.id or 0, []),
                actions=actions.get(s.id or 0, []),
            )
            for s in stakeholders
        ],
        external_activities=[
            ActivityDoc(
                key=refs.key("activity", a.id) or "",
                title=a.title,
                kind=a.kind,
                organiser=a.organiser,
                activity_date=a.activity_date,
                start_time=a.start_time,
                place=a.place,
                theme=a.theme,
                audience=a.audience,
                delegate_limit=a.delegate_limit,
                limit_note=a.limit_note,
                group=refs.key("body", a.group_id),
                delegates=delegates.get(a.id or 0, []),
            )
            for a in activities
        ],
    )
    return doc.model_dump(mode="json")


def _group_kinds(doc: Any) -> dict[str, BodyKind]:
    return {b.key: b.kind for b in getattr(doc, "bodies", [])}


def _check_group(refs: Refs, kinds: dict[str, BodyKind], key: str | None, path: str) -> None:
    refs.check("body", key, path)
    if key is not None and key in kinds and kinds[key] != BodyKind.implementation_group:
        refs.error(
            path,
            f"»{key}« er ikke en implementeringsgruppe; den ansvarlige gruppe skal "
            "være en implementeringsgruppe.",
        )


def check_stakeholders(doc: StakeholdersDoc, refs: Refs) -> None:
    """Declare the keys of these sections and check their references and rules."""
    kinds = _group_kinds(doc)
    refs.declare_all("stakeholder", "$.stakeholders", [s.key for s in doc.stakeholders])
    refs.declare_all("activity", "$.external_activities", [a.key for a in doc.external_activities])
    for i, s in enumerate(doc.stakeholders):
        path = f"$.stakeholders[{i}]"
        refs.check("area", s.director_area, f"{path}.director_area")
        if s.director_area is not None and s.kind == StakeholderKind.external:
            refs.error(
                f"{path}.director_area", "En ekstern interessent hører ikke til et direktørområde."
            )
        _check_group(refs, kinds, s.group, f"{path}.group")
        if s.strategy_override is not None and not s.override_reason.strip():
            refs.error(
                f"{path}.override_reason",
                "En strategi, der afviger fra kvadrantens, skal have en begrundelse.",
            )
        for j, (before, after) in enumerate(zip(s.history, s.history[1:], strict=False), 1):
            if after.assessed_date < before.assessed_date:
                refs.error(
                    f"{path}.history[{j}].assessed_date",
                    f"Placeringen ({format_date(after.assessed_date)}) ligger før den "
                    f"forrige ({format_date(before.assessed_date)}).",
                )
        if s.history:
            last = s.history[-1]
            if (last.influence, last.interest, last.attitude) != (
                s.influence,
                s.interest,
                s.attitude,
            ):
                refs.error(
                    f"{path}.history[{len(s.history) - 1}]",
                    "Den seneste placering i historikken skal svare til interessentens "
                    "indflydelse, interesse og holdning.",
                )
        for j, a in enumerate(s.actions):
            refs.check("person", a.responsible_person, f"{path}.actions[{j}].responsible_person")
            _check_group(refs, kinds, a.group, f"{path}.actions[{j}].group")
    for i, activity in enumerate(doc.external_activities):
        path = f"$.external_activities[{i}]"
        _check_group(refs, kinds, activity.group, f"{path}.group")
        for j, person in enumerate(activity.delegates):
            refs.check("person", person, f"{path}.delegates[{j}]")
        if len(set(activity.delegates)) != len(activity.delegates):
            refs.error(f"{path}.delegates", "Den samme person er delegeret to gange.")
        if (
            activity.delegate_limit is not None
            and len(activity.delegates) > activity.delegate_limit
        ):
            refs.error(
                f"{path}.delegates",
                f"{activity.title} tillader højst {activity.delegate_limit} delegerede; "
                f"der er angivet {len(activity.delegates)}.",
            )


def load_stakeholders(
    *,
    session: Session,
    doc: StakeholdersDoc,
    refs: Refs,
    project_id: int,
) -> None:
    """Create the sections' rows from a checked document (no commit). A stakeholder without
    history gets its current placement as the first, dated the project's start (the analysis
    is made when the project starts), or the day of the import when the project has none."""
    project = session.get(Project, project_id)
    first_date = (project.start_date if project else None) or clock.today()
    for s in doc.stakeholders:
        stakeholder = Stakeholder(
            project_id=project_id,
            name=s.name,
            kind=s.kind,
            director_area_id=refs.id("area", s.director_area),
            organisation=s.organisation,
            contact=s.contact,
            influence=s.influence,
            interest=s.interest,
            attitude=s.attitude,
            needs=s.needs,
            strategy_override=s.strategy_override,
            override_reason=s.override_reason if s.strategy_override else "",
            group_id=refs.id("body", s.group),
        )
        session.add(stakeholder)
        session.flush()
        stakeholder_id = stored_id(stakeholder)
        refs.bind("stakeholder", s.key, stakeholder_id)
        history = s.history or [
            PositionDoc(
                assessed_date=first_date,
                influence=s.influence,
                interest=s.interest,
                attitude=s.attitude,
                recorded_by="Import",
            )
        ]
        for p in history:
            session.add(StakeholderPosition(stakeholder_id=stakeholder_id, **p.model_dump()))
        for a in s.actions:
            session.add(
                CommunicationAction(
                    project_id=project_id,
                    stakeholder_id=stakeholder_id,
                    what=a.what,
                    channel=a.channel,
                    planned_date=a.planned_date,
                    responsible_person_id=refs.id("person", a.responsible_person),
                    group_id=refs.id("body", a.group),
                    done=a.done,
                    done_date=a.done_date if a.done else None,
                )
            )
    for activity_doc in doc.external_activities:
        activity = ExternalActivity(
            project_id=project_id,
            **activity_doc.model_dump(exclude={"key", "group", "delegates"}),
            group_id=refs.id("body", activity_doc.group),
        )
        session.add(activity)
        session.flush()
        refs.bind("activity", activity_doc.key, activity.id)
        for position, person in enumerate(activity_doc.delegates):
            session.add(
                ActivityDelegate(
                    activity_id=stored_id(activity),
                    person_id=refs.id("person", person),
                    position=position,
                )
            )
    session.flush()
