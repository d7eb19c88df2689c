"""A grant's funded posts (e.g. the job brokers, hired or bought free): their period, hours a
week or share of full time and budget; reading them with their figures (overview.post_lines),
creating, changing and removing them. The posts' budgets fit in the grant, and a post keeps the
expenses booked to it. The grant's row is locked while a post is written, as when an expense is
recorded, so a post's budget and its spending are checked against one state. One commit per use
case, at the end; a refusal raises before anything is written."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget.expenditures import expenditure_figures
from app.budget.grants import GrantView, get_grant, grant_in_body
from app.budget.models import Expenditure, FundedPost, Grant
from app.budget.money import to_ore
from app.budget.overview import Line, post_lines
from app.budget.schemas import PostCreate, PostUpdate, clean
from app.danish import format_date, format_kr
from app.db import get_for_update, project_row
from app.errors import Conflict, Invalid, NotFound, require_version

MISSING = "Stillingen findes ikke i dette projekt."


@dataclass
class PostRow:
    """A funded post with its figures (budget, paid, committed, left)."""

    post: FundedPost
    figures: Line


def list_posts(*, session: Session, project_id: int, grant_id: int) -> list[PostRow]:
    """The grant's posts by title, each with its budget, spent, committed and left (all the
    grant's expenses, whatever their date)."""
    view = get_grant(session=session, project_id=project_id, grant_id=grant_id)
    lines = {
        line.key: line
        for line in post_lines(
            view, expenditure_figures(session=session, project_id=project_id, grant_id=grant_id)
        )
    }
    return [PostRow(p, lines[str(p.id)]) for p in view.posts]


def get_post(*, session: Session, project_id: int, post_id: int) -> PostRow:
    """One post of this project with its figures, or NotFound."""
    post = project_row(FundedPost, post_id, session=session, project_id=project_id, missing=MISSING)
    return next(
        row
        for row in list_posts(session=session, project_id=project_id, grant_id=post.grant_id)
        if row.post.id == post_id
    )


def _check(*, session: Session, view: GrantView, post: FundedPost, exclude_id: int | None) -> None:
    """The post's period inside the grant's, hours or a share given, and the posts' budgets
    within the grant; a changed post still holds the expenses booked to it."""
    grant = view.grant
    if post.last_date < post.first_date:
        raise Invalid(
            f"Stillingens sidste dag ({format_date(post.last_date)}) ligger før dens første dag "
            f"({format_date(post.first_date)}).",
            field="last_date",
        )
    if post.first_date < grant.first_date or post.last_date > grant.last_date:
        raise Invalid(
            f"Stillingens periode skal ligge inden for tilskudsperioden "
            f"{format_date(grant.first_date)}–{format_date(grant.last_date)}.",
            field="first_date" if post.first_date < grant.first_date else "last_date",
        )
    if post.hours_hundredths is None and post.share_hundredths is None:
        raise Invalid("Angiv timer om ugen eller andel af fuld tid.", field="hours")
    others = sum(p.budget_ore for p in view.posts if p.id != exclude_id)
    if others + post.budget_ore > grant.amount_ore:
        raise Invalid(
            f"Stillingernes budgetter bliver {format_kr(others + post.budget_ore)}, mere end "
            f"tilskuddet »{grant.name}« på {format_kr(grant.amount_ore)}.",
            field="budget",
        )
    if exclude_id is None:
        return
    used = session.exec(
        select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
            Expenditure.post_id == exclude_id
        )
    ).one()
    # Corrections may be dated after the period (credit notes arrive late).
    first, last = session.exec(
        select(func.min(Expenditure.expense_date), func.max(Expenditure.expense_date)).where(
            Expenditure.post_id == exclude_id, col(Expenditure.correction_of_id).is_(None)
        )
    ).one()
    if post.budget_ore < int(used):
        raise Invalid(
            f"Stillingens budget kan ikke sættes til {format_kr(post.budget_ore)}, fordi der "
            f"allerede er bogført {format_kr(int(used))} på den.",
            field="budget",
        )
    if first is not None and (first < post.first_date or last > post.last_date):
        raise Invalid(
            f"Der er bogført udgifter på stillingen fra {format_date(first)} til "
            f"{format_date(last)}; perioden skal omfatte dem.",
            field="first_date" if first < post.first_date else "last_date",
        )


def _lock_grant(*, session: Session, project_id: int, grant_id: int) -> GrantView:
    # Locked, as when an expense is recorded: a post and the expenses on it change one by one.
    if get_for_update(session=session, model=Grant, item_id=grant_id) is None:
        raise Invalid("Tilskuddet findes ikke i dette projekt.", field="grant_id")
    return grant_in_body(session=session, project_id=project_id, grant_id=grant_id)


def create_post(*, session: Session, by: Access, data: PostCreate) -> PostRow:
    """Add a funded post to a grant."""
    view = _lock_grant(session=session, project_id=by.project_id, grant_id=data.grant_id)
    post = FundedPost(
        project_id=by.project_id,
        grant_id=data.grant_id,
        title=data.title.strip(),
        first_date=data.first_date,
        last_date=data.last_date,
        hours_hundredths=None if data.hours is None else to_ore(data.hours),
        share_hundredths=None if data.share is None else to_ore(data.share),
        budget_ore=to_ore(data.budget),
        note=data.note.strip(),
    )
    _check(session=session, view=view, post=post, exclude_id=None)
    session.add(post)
    session.flush()
    audit.log(session=session, by=by, action="created", row=post)
    session.commit()
    return get_post(session=session, project_id=by.project_id, post_id=post.id or 0)


def _locked(*, session: Session, by: Access, post_id: int) -> tuple[FundedPost, GrantView]:
    """The post and its grant, the grant locked first (as when an expense is recorded), then the
    post read again under the lock: an edit made while this one waited shows in its version."""
    post = project_row(
        FundedPost, post_id, session=session, project_id=by.project_id, missing=MISSING
    )
    view = _lock_grant(session=session, project_id=by.project_id, grant_id=post.grant_id)
    locked = session.get(FundedPost, post_id, with_for_update=True, populate_existing=True)
    if locked is None or locked.grant_id != post.grant_id:
        raise NotFound(MISSING)
    return locked, view


def update_post(*, session: Session, by: Access, post_id: int, data: PostUpdate) -> PostRow:
    """Change a post; its period and budget must still hold what is booked to it."""
    post, view = _locked(session=session, by=by, post_id=post_id)
    require_version(post, data.version)
    before = audit.snapshot(post)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    candidate = FundedPost.model_validate(post.model_dump())
    for key in ("title", "first_date", "last_date", "budget"):
        if key in values and values[key] is None:
            del values[key]
    for key, value in values.items():
        if key == "budget":
            candidate.budget_ore = to_ore(value)
        elif key in ("hours", "share"):
            setattr(candidate, f"{key}_hundredths", None if value is None else to_ore(value))
        else:
            setattr(candidate, key, clean(value))
    _check(session=session, view=view, post=candidate, exclude_id=post.id)
    post.sqlmodel_update(candidate.model_dump(exclude={"id", "version"}))
    post.version += 1
    audit.log(session=session, by=by, action="updated", row=post, before=before)
    session.commit()
    return get_post(session=session, project_id=by.project_id, post_id=post_id)


def delete_post(*, session: Session, by: Access, post_id: int, version: int | None) -> None:
    """Remove a post nothing is booked to."""
    post, _ = _locked(session=session, by=by, post_id=post_id)
    require_version(post, version)
    if session.exec(select(Expenditure.id).where(Expenditure.post_id == post_id)).first():
        raise Conflict(
            f"Der er bogført udgifter på stillingen »{post.title}«, så den kan ikke slettes."
        )
    before = audit.snapshot(post)
    session.delete(post)
    audit.log(session=session, by=by, action="deleted", row=post, before=before)
    session.commit()
