"""Reading and changing stakeholders and their position history, the checks of the groups and
persons the domain's rows name, and the choices of its forms. The communication plan is in
communication.py, the external activities in activities.py. One commit per use case, at the end;
refusals raise before any write."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import project_row, stored_id
from app.errors import Forbidden, Invalid, missing, require_version
from app.governance.models import Body, BodyKind, DirectorArea, Person
from app.stakeholders import rules
from app.stakeholders.models import Stakeholder, StakeholderKind, StakeholderPosition
from app.stakeholders.schemas import StakeholderCreate, StakeholderUpdate

POSITION_FIELDS = ("influence", "interest", "attitude")
NOT_FOUND = "Interessenten findes ikke i dette projekt."
_TEXT_FIELDS = {"organisation", "contact", "needs", "override_reason"}


# ---------------------------------------------------------------- shared checks


def check_group(*, session: Session, project_id: int, group_id: int | None) -> Body | None:
    """The implementation group of this project with that id (None for no group), else Invalid."""
    if group_id is None:
        return None
    group = session.get(Body, group_id)
    if (
        group is None
        or group.project_id != project_id
        or group.kind != BodyKind.implementation_group
    ):
        raise Invalid(
            "Den ansvarlige gruppe findes ikke blandt projektets implementeringsgrupper.",
            field="group_id",
        )
    return group


def check_person(
    *, session: Session, project_id: int, person_id: int | None, field: str
) -> Person | None:
    """The person of this project with that id (None for none), else Invalid on `field`."""
    if person_id is None:
        return None
    person = project_row(
        Person,
        person_id,
        session=session,
        project_id=project_id,
        missing=f"Personen (id {person_id}) er ikke en person i projektets organisation.",
        field=field,
    )
    return person


def group_name(*, session: Session, group_id: int | None) -> str:
    """The name of a group, or "" for none."""
    group = session.get(Body, group_id) if group_id is not None else None
    return group.name if group else ""


def require_group_editor(*, session: Session, by: Access, group_id: int | None, what: str) -> None:
    """Only the project leader and the members of the responsible group may change it."""
    if by.can_edit_group(group_id):
        return
    name = group_name(session=session, group_id=group_id)
    owner = f"gruppen »{name}«" if name else "en ansvarlig gruppe"
    raise Forbidden(f"Kun projektlederen og medlemmer af {owner} må ændre {what}.")


# ---------------------------------------------------------------- stakeholders


def list_stakeholders(*, session: Session, project_id: int) -> list[Stakeholder]:
    """The project's stakeholders, by name."""
    return list(
        session.exec(
            select(Stakeholder)
            .where(Stakeholder.project_id == project_id)
            .order_by(col(Stakeholder.name), col(Stakeholder.id))
        ).all()
    )


def get_stakeholder(*, session: Session, project_id: int, stakeholder_id: int) -> Stakeholder:
    """A stakeholder of this project, or NotFound."""
    return project_row(
        Stakeholder, stakeholder_id, session=session, project_id=project_id, missing=NOT_FOUND
    )


def position_history(*, session: Session, stakeholder_id: int) -> list[StakeholderPosition]:
    """A stakeholder's placements, oldest first; the last one is the current."""
    return list(
        session.exec(
            select(StakeholderPosition)
            .where(StakeholderPosition.stakeholder_id == stakeholder_id)
            .order_by(col(StakeholderPosition.assessed_date), col(StakeholderPosition.id))
        ).all()
    )


def histories(*, session: Session, project_id: int) -> dict[int, list[StakeholderPosition]]:
    """Every stakeholder's placements, oldest first, by stakeholder id."""
    rows = session.exec(
        select(StakeholderPosition)
        .join(Stakeholder, col(Stakeholder.id) == StakeholderPosition.stakeholder_id)
        .where(Stakeholder.project_id == project_id)
        .order_by(col(StakeholderPosition.assessed_date), col(StakeholderPosition.id))
    ).all()
    result: dict[int, list[StakeholderPosition]] = {}
    for row in rows:
        result.setdefault(row.stakeholder_id, []).append(row)
    return result


@dataclass(frozen=True)
class Move:
    """A change of a stakeholder's position: from one placement to the next."""

    stakeholder: Stakeholder
    before: StakeholderPosition
    after: StakeholderPosition


def moves(*, session: Session, project_id: int, since: date | None = None) -> list[Move]:
    """Who moved on the grid (newest first), optionally only since a date."""
    return moves_of(
        stakeholders=list_stakeholders(session=session, project_id=project_id),
        histories=histories(session=session, project_id=project_id),
        since=since,
    )


def moves_of(
    *,
    stakeholders: list[Stakeholder],
    histories: dict[int, list[StakeholderPosition]],
    since: date | None = None,
) -> list[Move]:
    """The moves in stakeholders' placements already read (newest first), optionally since a
    date."""
    by_id = {s.id: s for s in stakeholders}
    found: list[Move] = []
    for stakeholder_id, rows in histories.items():
        for before, after in zip(rows, rows[1:], strict=False):
            if since is None or after.assessed_date >= since:
                found.append(Move(by_id[stakeholder_id], before, after))
    found.sort(key=lambda m: (m.after.assessed_date, m.after.id or 0), reverse=True)
    return found


def _check_stakeholder_fields(
    *, session: Session, project_id: int, kind: StakeholderKind, director_area_id: int | None
) -> None:
    if director_area_id is None:
        return
    project_row(
        DirectorArea,
        director_area_id,
        session=session,
        project_id=project_id,
        missing="Direktørområdet findes ikke i projektet.",
        field="director_area_id",
    )
    if kind == StakeholderKind.external:
        raise Invalid(
            "En ekstern interessent hører ikke til et direktørområde; angiv i stedet "
            "organisationen.",
            field="director_area_id",
        )


def _check_override(*, override: Any, reason: str, influence: int, interest: int) -> None:
    if override is not None and not reason.strip():
        derived = rules.quadrant(influence=influence, interest=interest)
        raise Invalid(rules.override_error(derived), field="override_reason")


def _position(
    *, stakeholder: Stakeholder, by: Access, assessed_date: date | None, note: str
) -> StakeholderPosition:
    return StakeholderPosition(
        stakeholder_id=stored_id(stakeholder),
        assessed_date=assessed_date or clock.today(),
        influence=stakeholder.influence,
        interest=stakeholder.interest,
        attitude=stakeholder.attitude,
        note=note,
        recorded_by=by.user.full_name or by.user.username,
        recorded_by_id=by.user.id,
    )


def _load_for_update(*, session: Session, by: Access, stakeholder_id: int) -> Stakeholder:
    """The stakeholder, locked for this transaction; Forbidden unless `by` may change it."""
    stakeholder = project_row(
        Stakeholder,
        stakeholder_id,
        session=session,
        project_id=by.project_id,
        missing=NOT_FOUND,
        lock=True,
    )
    require_group_editor(
        session=session, by=by, group_id=stakeholder.group_id, what="interessenten"
    )
    return stakeholder


def create_stakeholder(*, session: Session, by: Access, data: StakeholderCreate) -> Stakeholder:
    """Add a stakeholder and its first placement on the grid."""
    project_id = by.project_id
    _check_stakeholder_fields(
        session=session,
        project_id=project_id,
        kind=data.kind,
        director_area_id=data.director_area_id,
    )
    check_group(session=session, project_id=project_id, group_id=data.group_id)
    require_group_editor(
        session=session,
        by=by,
        group_id=data.group_id,
        what="interessenter, som gruppen er ansvarlig for",
    )
    _check_override(
        override=data.strategy_override,
        reason=data.override_reason,
        influence=data.influence,
        interest=data.interest,
    )
    stakeholder = Stakeholder(
        project_id=project_id,
        **data.model_dump(exclude={"assessed_date", "assessment_note"}),
    )
    if stakeholder.strategy_override is None:
        stakeholder.override_reason = ""
    session.add(stakeholder)
    session.flush()
    session.add(
        _position(
            stakeholder=stakeholder,
            by=by,
            assessed_date=data.assessed_date,
            note=data.assessment_note,
        )
    )
    audit.log(session=session, by=by, action="created", row=stakeholder)
    session.commit()
    return stakeholder


def update_stakeholder(
    *, session: Session, by: Access, stakeholder_id: int, data: StakeholderUpdate
) -> Stakeholder:
    """Change a stakeholder; a changed influence, interest or attitude adds a placement."""
    project_id = by.project_id
    stakeholder = _load_for_update(session=session, by=by, stakeholder_id=stakeholder_id)
    require_version(stakeholder, data.version)
    changes = data.model_dump(
        exclude_unset=True, exclude={"version", "assessed_date", "assessment_note"}
    )
    for required in ("name", "kind", "influence", "interest", "attitude"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes:
        check_group(session=session, project_id=project_id, group_id=changes["group_id"])
        require_group_editor(
            session=session,
            by=by,
            group_id=changes["group_id"],
            what="interessenter, som gruppen er ansvarlig for",
        )
    # Check the stakeholder as it would be after the change, before changing anything.
    merged = {key: getattr(stakeholder, key) for key in Stakeholder.model_fields} | {
        key: ("" if value is None and key in _TEXT_FIELDS else value)
        for key, value in changes.items()
    }
    if merged["strategy_override"] is None:
        merged["override_reason"] = ""
    _check_stakeholder_fields(
        session=session,
        project_id=project_id,
        kind=merged["kind"],
        director_area_id=merged["director_area_id"],
    )
    _check_override(
        override=merged["strategy_override"],
        reason=merged["override_reason"],
        influence=merged["influence"],
        interest=merged["interest"],
    )
    moved = any(merged[f] != getattr(stakeholder, f) for f in POSITION_FIELDS)
    assessed = data.assessed_date or clock.today()
    last = position_history(session=session, stakeholder_id=stakeholder_id)
    if moved and last and assessed < last[-1].assessed_date:
        raise Invalid(
            f"Vurderingsdatoen ({format_date(assessed)}) ligger før den forrige vurdering "
            f"({format_date(last[-1].assessed_date)}).",
            field="assessed_date",
        )
    before = audit.snapshot(stakeholder)
    for key in changes.keys() | {"override_reason"}:
        setattr(stakeholder, key, merged[key])
    if moved:
        session.add(
            _position(
                stakeholder=stakeholder,
                by=by,
                assessed_date=assessed,
                note=data.assessment_note or "",
            )
        )
    stakeholder.version += 1
    action = "moved" if moved else "updated"
    audit.log(session=session, by=by, action=action, row=stakeholder, before=before)
    session.commit()
    return stakeholder


def delete_stakeholder(
    *, session: Session, by: Access, stakeholder_id: int, version: int | None
) -> None:
    """Remove a stakeholder with its history and communication actions."""
    stakeholder = _load_for_update(session=session, by=by, stakeholder_id=stakeholder_id)
    require_version(stakeholder, version)
    before = audit.snapshot(stakeholder)
    session.delete(stakeholder)
    audit.log(session=session, by=by, action="deleted", row=stakeholder, before=before)
    session.commit()


# ---------------------------------------------------------------- choices for forms


def director_areas(*, session: Session, project_id: int) -> list[DirectorArea]:
    return list(
        session.exec(
            select(DirectorArea)
            .where(DirectorArea.project_id == project_id)
            .order_by(col(DirectorArea.position), col(DirectorArea.id))
        ).all()
    )


def people(*, session: Session, project_id: int) -> list[Person]:
    return list(
        session.exec(
            select(Person)
            .where(Person.project_id == project_id)
            .order_by(col(Person.name), col(Person.id))
        ).all()
    )
