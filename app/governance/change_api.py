"""API of the organisation's dated changes: the list (newest first, paged, by body and by the
day they take effect), a change registered by hand, and deleting one (project leader)."""

from fastapi import APIRouter, Response

from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance import changes
from app.governance.models import CHANGE_KIND_LABELS, OrganisationChange
from app.governance.schemas import OrganisationChangeCreate, OrganisationChangePublic
from app.inputs import Day
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["projekter"])
CHANGES = "/projects/{project_id}/organisation-changes"


def change_public(change: OrganisationChange) -> OrganisationChangePublic:
    return OrganisationChangePublic.model_validate(
        change.model_dump() | {"kind_label": CHANGE_KIND_LABELS[change.kind]}
    )


@router.get(CHANGES, response_model=list[OrganisationChangePublic])
def list_changes(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    body_id: int | None = None,
    from_date: Day | None = None,
    to_date: Day | None = None,
) -> list[OrganisationChangePublic]:
    """The organisation's changes, newest first: of one body (body_id), taking effect from
    from_date to to_date (both included); paginated (total in the X-Total-Count header)."""
    rows, total = changes.list_changes(
        session=session,
        project_id=access.project_id,
        body_id=body_id,
        start=from_date,
        end=to_date,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [change_public(c) for c in rows]


@router.post(CHANGES, response_model=OrganisationChangePublic, status_code=201)
def create_change(
    data: OrganisationChangeCreate, access: ProjectLeader, session: SessionDep
) -> OrganisationChangePublic:
    """Register a change by hand (»Ny projektleder pr. 1.3.2013«)."""
    return change_public(changes.create_change(session=session, by=access, data=data))


@router.get(CHANGES + "/{change_id}", response_model=OrganisationChangePublic)
def get_change(
    change_id: int, access: ProjectAccess, session: SessionDep
) -> OrganisationChangePublic:
    return change_public(
        changes.get_change(session=session, project_id=access.project_id, change_id=change_id)
    )


@router.delete(CHANGES + "/{change_id}", status_code=204)
def delete_change(change_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    """Delete a change registered by hand (409 for one recorded with a membership)."""
    changes.delete_change(session=session, by=access, change_id=change_id)
    return Response(status_code=204)
