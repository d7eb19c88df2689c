"""API of what a grant's conditions are checked against: the project's kinds of activity, the
kind of each meeting, task and external activity, and the grant's funded posts with their
figures. Included in the budget's API router (app/budget/api.py); everyone on the project
reads, only the project leader (and an administrator) writes."""

from fastapi import APIRouter, Response

from app.budget import activities, posts
from app.budget.models import ProjectActivityKind
from app.budget.money import hundredths_str, ore_str
from app.budget.schemas import (
    ActivityKindIn,
    ActivityKindPublic,
    ActivityKindUpdate,
    ActivityPublic,
    ActivityTagIn,
    PostCreate,
    PostPublic,
    PostUpdate,
)
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["budget"])
BASE = "/projects/{project_id}"


def kind_public(kind: ProjectActivityKind) -> ActivityKindPublic:
    return ActivityKindPublic(id=kind.id or 0, name=kind.name, version=kind.version)


def activity_public(a: activities.ActivityOption) -> ActivityPublic:
    return ActivityPublic(
        activity=a.ref,
        type=a.type_label,
        title=a.title,
        first_date=a.first_date,
        last_date=a.last_date,
        kind_id=a.kind_id,
        kind=a.kind_name,
    )


def post_public(row: posts.PostRow) -> PostPublic:
    p, line = row.post, row.figures
    return PostPublic(
        id=p.id or 0,
        grant_id=p.grant_id,
        title=p.title,
        first_date=p.first_date,
        last_date=p.last_date,
        hours=hundredths_str(p.hours_hundredths),
        share=hundredths_str(p.share_hundredths),
        budget=ore_str(line.budget_ore) or "0.00",
        spent=ore_str(line.paid_ore) or "0.00",
        committed=ore_str(line.committed_ore) or "0.00",
        remaining=ore_str(line.remaining_ore) or "0.00",
        note=p.note,
        version=p.version,
    )


# Kinds of activity -------------------------------------------------------------------------


@router.get(BASE + "/activity-kinds", response_model=list[ActivityKindPublic])
def list_kinds(
    access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[ActivityKindPublic]:
    """The project's kinds of activity (workshop, netværksmøde, seminar, …)."""
    found = activities.list_kinds(session=session, project_id=access.project_id)
    return [kind_public(k) for k in page.slice(found)]


@router.post(BASE + "/activity-kinds", response_model=ActivityKindPublic, status_code=201)
def create_kind(
    data: ActivityKindIn, access: ProjectLeader, session: SessionDep
) -> ActivityKindPublic:
    """Add a kind of activity."""
    return kind_public(activities.create_kind(session=session, by=access, data=data))


@router.post(
    BASE + "/activity-kinds/defaults", response_model=list[ActivityKindPublic], status_code=201
)
def create_default_kinds(access: ProjectLeader, session: SessionDep) -> list[ActivityKindPublic]:
    """Add the default kinds (workshop, netværksmøde, seminar, …) the project lacks; all kinds."""
    return [kind_public(k) for k in activities.create_default_kinds(session=session, by=access)]


@router.patch(BASE + "/activity-kinds/{kind_id}", response_model=ActivityKindPublic)
def update_kind(
    kind_id: int, data: ActivityKindUpdate, access: ProjectLeader, session: SessionDep
) -> ActivityKindPublic:
    """Rename a kind of activity (`version` required)."""
    return kind_public(
        activities.update_kind(session=session, by=access, kind_id=kind_id, data=data)
    )


@router.delete(BASE + "/activity-kinds/{kind_id}", status_code=204)
def delete_kind(
    kind_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Remove a kind no condition and no activity uses."""
    activities.delete_kind(session=session, by=access, kind_id=kind_id, version=expected)
    return Response(status_code=204)


# Activities --------------------------------------------------------------------------------


@router.get(BASE + "/activity-kinds/assignments", response_model=list[ActivityPublic])
def list_activities(
    access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[ActivityPublic]:
    """The project's meetings, tasks and external activities with their kinds; an expense is
    tied to one by its `activity` ("meeting:12")."""
    return [
        activity_public(a)
        for a in page.slice(
            activities.list_activities(session=session, project_id=access.project_id)
        )
    ]


@router.put(BASE + "/activity-kinds/assignments", response_model=ActivityPublic)
def set_activity_kind(
    data: ActivityTagIn, access: ProjectLeader, session: SessionDep
) -> ActivityPublic:
    """Give an activity a kind (`kind_id` null: none)."""
    return activity_public(activities.set_activity_kind(session=session, by=access, data=data))


# Funded posts ------------------------------------------------------------------------------


@router.get(BASE + "/grants/{grant_id}/posts", response_model=list[PostPublic])
def list_posts(
    grant_id: int, access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[PostPublic]:
    """The grant's funded posts with budget, spent, committed and remaining."""
    return [
        post_public(row)
        for row in page.slice(
            posts.list_posts(session=session, project_id=access.project_id, grant_id=grant_id)
        )
    ]


@router.post(BASE + "/posts", response_model=PostPublic, status_code=201)
def create_post(data: PostCreate, access: ProjectLeader, session: SessionDep) -> PostPublic:
    """Add a funded post to a grant."""
    return post_public(posts.create_post(session=session, by=access, data=data))


@router.get(BASE + "/posts/{post_id}", response_model=PostPublic)
def get_post(post_id: int, access: ProjectAccess, session: SessionDep) -> PostPublic:
    """One funded post with its figures."""
    return post_public(
        posts.get_post(session=session, project_id=access.project_id, post_id=post_id)
    )


@router.patch(BASE + "/posts/{post_id}", response_model=PostPublic)
def update_post(
    post_id: int, data: PostUpdate, access: ProjectLeader, session: SessionDep
) -> PostPublic:
    """Change a funded post (its period and budget must hold what is booked to it)."""
    return post_public(posts.update_post(session=session, by=access, post_id=post_id, data=data))


@router.delete(BASE + "/posts/{post_id}", status_code=204)
def delete_post(
    post_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Remove a post nothing is booked to."""
    posts.delete_post(session=session, by=access, post_id=post_id, version=expected)
    return Response(status_code=204)
