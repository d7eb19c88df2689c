"""Registration schemes and registrars: what a project registers about its participants, and who
may see and edit the row-level records (the project leader and the users the leader appoints).

One commit per use case, at the end; a refusal raises before anything is written.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role, User
from app.auth.service import Access
from app.db import project_row
from app.errors import Conflict, Forbidden, Invalid, NotFound, require_version
from app.participants.models import FollowUp, Participant, Registrar, RegistrationScheme
from app.participants.schemas import SchemeUpdate
from app.participants.schemes import (
    FieldDef,
    SchemeDefinition,
    Stage,
    apply_definition,
    definition_of,
    hours_options,
    outcome_label,
    stage_fields,
    validated,
)
from app.participants.values import clean_values

NOT_REGISTRAR = (
    "Kun projektlederen og de registranter, projektlederen har udpeget, må se og ændre "
    "deltagerregistreringer. Alle andre i projektet ser kun samlede tal."
)


# Registrars -------------------------------------------------------------------------------


def is_registrar(*, session: Session, access: Access) -> bool:
    """True for the project leader (and administrators) and for appointed registrars."""
    if access.leads:
        return True
    found = session.exec(
        select(Registrar.id).where(
            Registrar.project_id == access.project_id, Registrar.user_id == access.user.id
        )
    ).first()
    return found is not None


def require_registrar(*, session: Session, access: Access) -> None:
    """Refuse (403) anyone who may not see row-level participant records."""
    if not is_registrar(session=session, access=access):
        raise Forbidden(NOT_REGISTRAR)


def leader_only(by: Access, message: str) -> None:
    """Refuse (403) anyone but the project leader."""
    if not by.leads:
        raise Forbidden(message)


@dataclass(frozen=True)
class RegistrarView:
    user: User
    is_project_leader: bool


def list_registrars(*, session: Session, project_id: int) -> list[RegistrarView]:
    """The project leaders (registrars by their role) and the appointed registrars."""
    leaders = session.exec(
        select(User)
        .join(ProjectMember, col(ProjectMember.user_id) == User.id)
        .where(ProjectMember.project_id == project_id, ProjectMember.role == Role.project_leader)
        .order_by(User.username)
    ).all()
    appointed = session.exec(
        select(User)
        .join(Registrar, col(Registrar.user_id) == User.id)
        .where(Registrar.project_id == project_id)
        .order_by(User.username)
    ).all()
    leader_ids = {u.id for u in leaders}
    return [RegistrarView(u, True) for u in leaders] + [
        RegistrarView(u, False) for u in appointed if u.id not in leader_ids
    ]


def appointable_users(*, session: Session, project_id: int) -> list[User]:
    """Project members who may be appointed: those working in the project (not only steering
    group or directorate, who see aggregates only) and not yet registrars."""
    roles: dict[int, set[Role]] = {}
    for user_id, role in session.exec(
        select(ProjectMember.user_id, col(ProjectMember.role)).where(
            ProjectMember.project_id == project_id
        )
    ).all():
        roles.setdefault(user_id, set()).add(role)
    taken = {v.user.id for v in list_registrars(session=session, project_id=project_id)}
    ids = [
        uid
        for uid, rs in roles.items()
        if rs & {Role.group_member, Role.secretariat} and uid not in taken
    ]
    if not ids:
        return []
    return list(
        session.exec(
            select(User).where(col(User.id).in_(ids), User.is_active).order_by(User.username)
        ).all()
    )


def appoint_registrar(*, session: Session, by: Access, user_id: int) -> Registrar:
    """Appoint a project member as registrar (project leader only)."""
    leader_only(by, "Kun projektlederen må udpege registranter.")
    user = session.get(User, user_id)
    if user is None:
        raise Invalid("Brugeren findes ikke.", field="user_id")
    roles = set(
        session.exec(
            select(ProjectMember.role).where(
                ProjectMember.project_id == by.project_id, ProjectMember.user_id == user_id
            )
        ).all()
    )
    if Role.project_leader in roles:
        raise Conflict("Projektlederen er altid registrant.", field="user_id")
    if not roles & {Role.group_member, Role.secretariat}:
        raise Invalid(
            "Kun projektets medarbejdere (implementeringsgruppemedlemmer og sekretariatet) kan "
            "udpeges som registranter. Alle andre i projektet ser kun samlede tal.",
            field="user_id",
        )
    exists = session.exec(
        select(Registrar).where(Registrar.project_id == by.project_id, Registrar.user_id == user_id)
    ).first()
    if exists is not None:
        raise Conflict(
            f"{user.full_name or user.username} er allerede registrant.", field="user_id"
        )
    registrar = Registrar(project_id=by.project_id, user_id=user_id)
    session.add(registrar)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="appointed",
        entity="participant_registrar",
        entity_id=user_id,
        project_id=by.project_id,
        after={"user_id": user_id, "username": user.username},
    )
    session.commit()
    return registrar


def remove_registrar(*, session: Session, by: Access, user_id: int) -> None:
    """Take the registrar role away from a user (project leader only)."""
    leader_only(by, "Kun projektlederen må fjerne registranter.")
    registrar = session.exec(
        select(Registrar).where(Registrar.project_id == by.project_id, Registrar.user_id == user_id)
    ).first()
    if registrar is None:
        raise NotFound("Brugeren er ikke registrant i projektet.")
    session.delete(registrar)
    audit.record(
        session=session,
        by=by.user,
        action="removed",
        entity="participant_registrar",
        entity_id=user_id,
        project_id=by.project_id,
        before={"user_id": user_id},
    )
    session.commit()


# Schemes ----------------------------------------------------------------------------------


def list_schemes(*, session: Session, project_id: int) -> list[RegistrationScheme]:
    """The project's registration schemes, oldest first."""
    return list(
        session.exec(
            select(RegistrationScheme)
            .where(RegistrationScheme.project_id == project_id)
            .order_by(col(RegistrationScheme.id))
        ).all()
    )


def pick_scheme(
    *, session: Session, project_id: int, scheme_id: int | None
) -> tuple[list[RegistrationScheme], RegistrationScheme | None]:
    """The project's schemes and the one asked for (the first when it is not among them)."""
    schemes = list_schemes(session=session, project_id=project_id)
    chosen = next((s for s in schemes if s.id == scheme_id), schemes[0] if schemes else None)
    return schemes, chosen


@dataclass(frozen=True)
class SetupPage:
    """The schemes page: the schemes and the one shown, the fields its hours field may be, and
    for the project leader the registrars and the members who may be appointed."""

    schemes: list[RegistrationScheme]
    scheme: RegistrationScheme | None
    hours_options: list[FieldDef]
    registrars: list[RegistrarView]
    appointable: list[User]


def setup_page(*, session: Session, access: Access, scheme_id: int | None) -> SetupPage:
    """What the schemes page shows to the caller."""
    schemes, chosen = pick_scheme(
        session=session, project_id=access.project_id, scheme_id=scheme_id
    )
    registrars: list[RegistrarView] = []
    appointable: list[User] = []
    if access.leads:
        registrars = list_registrars(session=session, project_id=access.project_id)
        appointable = appointable_users(session=session, project_id=access.project_id)
    options = hours_options(chosen) if chosen is not None else []
    return SetupPage(schemes, chosen, options, registrars, appointable)


def get_scheme(
    *, session: Session, project_id: int, scheme_id: int, lock: bool = False
) -> RegistrationScheme:
    """A scheme of this project (held for the transaction with `lock`), or NotFound."""
    return project_row(
        RegistrationScheme,
        scheme_id,
        session=session,
        project_id=project_id,
        missing="Registreringsskemaet findes ikke i dette projekt.",
        lock=lock,
    )


def create_scheme(*, session: Session, by: Access, data: SchemeDefinition) -> RegistrationScheme:
    """Add a registration scheme to the project (project leader only)."""
    leader_only(by, "Kun projektlederen må oprette registreringsskemaer.")
    definition = validated(SchemeDefinition, data.model_dump())
    _refuse_duplicate_name(session=session, project_id=by.project_id, name=definition.name)
    scheme = RegistrationScheme(project_id=by.project_id, name=definition.name)
    apply_definition(scheme, definition)
    session.add(scheme)
    session.flush()
    audit.log(session=session, by=by, action="created", row=scheme)
    session.commit()
    return scheme


def _refuse_duplicate_name(
    *, session: Session, project_id: int, name: str, scheme_id: int | None = None
) -> None:
    clash = session.exec(
        select(RegistrationScheme.id).where(
            RegistrationScheme.project_id == project_id,
            RegistrationScheme.name == name,
            RegistrationScheme.id != scheme_id,
        )
    ).first()
    if clash is not None:
        raise Conflict(
            f"Projektet har allerede et registreringsskema med navnet »{name}«.", field="name"
        )


def update_scheme(
    *, session: Session, by: Access, scheme_id: int, data: SchemeUpdate
) -> RegistrationScheme:
    """Change a scheme. Values of fields taken out of the scheme are deleted from the records
    (data minimisation); a change the stored records do not fit is refused."""
    leader_only(by, "Kun projektlederen må ændre registreringsskemaer.")
    scheme = get_scheme(session=session, project_id=by.project_id, scheme_id=scheme_id, lock=True)
    require_version(scheme, data.version)
    changes = data.changes(scheme)
    merged = definition_of(scheme).model_dump() | changes
    definition = validated(SchemeDefinition, merged)
    if definition.name != scheme.name:
        _refuse_duplicate_name(
            session=session, project_id=by.project_id, name=definition.name, scheme_id=scheme_id
        )
    dropped = _fit_records(session=session, scheme=scheme, definition=definition)
    before = audit.snapshot(scheme)
    apply_definition(scheme, definition)
    scheme.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="registration_scheme",
        entity_id=scheme.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(scheme) | {"dropped_values": dropped},
    )
    session.commit()
    return scheme


def _fit_records(
    *, session: Session, scheme: RegistrationScheme, definition: SchemeDefinition
) -> int:
    """Check the stored records against a changed scheme and drop values of removed fields;
    returns how many values were dropped. Raises Invalid when a stored value no longer fits."""
    new_fields = stage_fields(definition)
    for stage in new_fields:
        new_fields[stage] = [f.model_copy(update={"required": False}) for f in new_fields[stage]]
    outcome_keys = {o.key for o in definition.exit_outcomes}
    participants = session.exec(select(Participant).where(Participant.scheme_id == scheme.id)).all()
    follow_ups = session.exec(
        select(FollowUp)
        .join(Participant, col(Participant.id) == FollowUp.participant_id)
        .where(Participant.scheme_id == scheme.id)
    ).all()
    in_use_groups = {p.target_group for p in participants if p.target_group}
    missing = sorted(in_use_groups - set(definition.target_groups))
    if missing:
        raise Invalid(
            f"Målgruppen »{missing[0]}« bruges af registrerede deltagere og kan ikke fjernes.",
            field="target_groups",
        )
    used = {p.exit_outcome for p in participants if p.exit_outcome}
    if used - outcome_keys:
        key = sorted(used - outcome_keys)[0]
        raise Invalid(
            f"Afslutningsstatussen »{outcome_label(scheme, key)}« bruges af "
            "afsluttede deltagere og kan ikke fjernes.",
            field="exit_outcomes",
        )
    dropped = 0
    updates: list[tuple[Any, str, dict[str, Any]]] = []
    items = (
        [(p, "start_values", Stage.start) for p in participants]
        + [(p, "exit_values", Stage.exit) for p in participants]
        + [(f, "values", Stage.follow_up) for f in follow_ups]
    )
    for obj, attr, stage in items:
        values = getattr(obj, attr)
        keys = {f.key for f in new_fields[stage]}
        kept = {k: v for k, v in values.items() if k in keys}
        dropped += len(values) - len(kept)
        try:
            cleaned = clean_values(new_fields[stage], kept, stage=stage, field_prefix=stage.value)
        except Invalid as exc:
            raise Invalid(
                f"Ændringen passer ikke til de gemte registreringer: {exc.message}", field=exc.field
            ) from None
        if cleaned != values:
            updates.append((obj, attr, cleaned))
    for obj, attr, cleaned in updates:
        setattr(obj, attr, cleaned)
    return dropped


def delete_scheme(*, session: Session, by: Access, scheme_id: int, version: int | None) -> None:
    """Delete a scheme that has no participants (project leader only)."""
    leader_only(by, "Kun projektlederen må slette registreringsskemaer.")
    scheme = get_scheme(session=session, project_id=by.project_id, scheme_id=scheme_id, lock=True)
    require_version(scheme, version)
    count = session.exec(
        select(func.count()).select_from(Participant).where(Participant.scheme_id == scheme_id)
    ).one()
    if count:
        raise Conflict(
            f"Registreringsskemaet har {count} deltagere og kan ikke slettes. "
            "Deltagerne slettes, når deres opbevaringsperiode udløber."
        )
    before = audit.snapshot(scheme)
    session.delete(scheme)
    audit.log(session=session, by=by, action="deleted", row=scheme, before=before)
    session.commit()
