"""API of the participants' setup: registration schemes (readable by every role, changed by the
project leader) and the registrars the project leader appoints."""

from fastapi import APIRouter, Response

from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.participants import setup
from app.participants.schemas import (
    RegistrarCreate,
    RegistrarPublic,
    SchemeCreate,
    SchemePublic,
    SchemeUpdate,
)
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["deltagere"])


# Schemes ----------------------------------------------------------------------------------


@router.get("/projects/{project_id}/participant-schemes", response_model=list[SchemePublic])
def list_schemes(access: ProjectAccess, session: SessionDep, page: PageOf) -> list[SchemePublic]:
    """The project's registration schemes (definitions only; readable by every role)."""
    return [
        SchemePublic.of(s)
        for s in page.slice(setup.list_schemes(session=session, project_id=access.project_id))
    ]


@router.post(
    "/projects/{project_id}/participant-schemes", response_model=SchemePublic, status_code=201
)
def create_scheme(data: SchemeCreate, access: ProjectLeader, session: SessionDep) -> SchemePublic:
    """Add a registration scheme (project leader)."""
    return SchemePublic.of(setup.create_scheme(session=session, by=access, data=data))


@router.get("/projects/{project_id}/participant-schemes/{scheme_id}", response_model=SchemePublic)
def get_scheme(scheme_id: int, access: ProjectAccess, session: SessionDep) -> SchemePublic:
    """One registration scheme."""
    return SchemePublic.of(
        setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)
    )


@router.patch("/projects/{project_id}/participant-schemes/{scheme_id}", response_model=SchemePublic)
def update_scheme(
    scheme_id: int, data: SchemeUpdate, access: ProjectLeader, session: SessionDep
) -> SchemePublic:
    """Change a scheme (project leader); values of removed fields are deleted."""
    return SchemePublic.of(
        setup.update_scheme(session=session, by=access, scheme_id=scheme_id, data=data)
    )


@router.delete("/projects/{project_id}/participant-schemes/{scheme_id}", status_code=204)
def delete_scheme(
    scheme_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a scheme without participants (project leader)."""
    setup.delete_scheme(session=session, by=access, scheme_id=scheme_id, version=expected)
    return Response(status_code=204)


# Registrars -------------------------------------------------------------------------------


@router.get("/projects/{project_id}/participant-registrars", response_model=list[RegistrarPublic])
def list_registrars(
    access: ProjectLeader, session: SessionDep, page: PageOf
) -> list[RegistrarPublic]:
    """Who may see and edit participant records: project leaders and appointed registrars."""
    return [
        RegistrarPublic.of(v)
        for v in page.slice(setup.list_registrars(session=session, project_id=access.project_id))
    ]


@router.post(
    "/projects/{project_id}/participant-registrars", response_model=RegistrarPublic, status_code=201
)
def appoint_registrar(
    data: RegistrarCreate, access: ProjectLeader, session: SessionDep
) -> RegistrarPublic:
    """Appoint a project member as registrar (project leader)."""
    setup.appoint_registrar(session=session, by=access, user_id=data.user_id)
    view = next(
        v
        for v in setup.list_registrars(session=session, project_id=access.project_id)
        if v.user.id == data.user_id
    )
    return RegistrarPublic.of(view)


@router.delete("/projects/{project_id}/participant-registrars/{user_id}", status_code=204)
def remove_registrar(user_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    """Take the registrar role away (project leader)."""
    setup.remove_registrar(session=session, by=access, user_id=user_id)
    return Response(status_code=204)
