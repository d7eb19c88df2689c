"""The project's expenditures: on a grant (checked against its rules, within what is left of
it) or on own financing; corrections of a recorded expense; reading them whole, a page at a
time or as plain figures. One commit per use case, at the end; a refusal raises before
anything is written."""

from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from sqlmodel import Session, col, func, or_, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget import activities, rules
from app.budget.grants import grant_in_body
from app.budget.lines import check_group
from app.budget.models import CostCategory, Expenditure, ExpenditureStatus, FundedPost, Grant
from app.budget.schemas import (
    ExpenditureCreate,
    ExpenditureUpdate,
    activity_ref,
    clean,
    expense_columns,
)
from app.danish import format_kr
from app.db import get_for_update, project_row
from app.errors import Conflict, Invalid, missing, require_version

MISSING = "Udgiften findes ikke i dette projekt."


# Expenditures are listed by date.
BY_DATE = (col(Expenditure.expense_date), col(Expenditure.id))


def _expenditures(project_id: int, grant_id: int | None, own: bool, *columns: Any) -> Any:
    """The query of the project's expenditures (of one grant, or on own financing): whole
    expenditures, or only the given columns."""
    query = select(*(columns or (Expenditure,))).where(Expenditure.project_id == project_id)
    if grant_id is not None:
        return query.where(Expenditure.grant_id == grant_id)
    if own:
        return query.where(col(Expenditure.grant_id).is_(None))
    return query


def list_expenditures(
    *, session: Session, project_id: int, grant_id: int | None = None, own: bool = False
) -> list[Expenditure]:
    """Expenditures of the project; of one grant, or on own financing (own=True); by date."""
    query = _expenditures(project_id, grant_id, own)
    return list(session.exec(query.order_by(*BY_DATE)).all())


def expenditures_between(
    *, session: Session, project_id: int, start: date, end: date
) -> list[Expenditure]:
    """The project's expenditures dated from `start` to `end` (both included), by date: the
    economy register's entries of a period (a status report's)."""
    query = _expenditures(project_id, None, False).where(
        col(Expenditure.expense_date) >= start, col(Expenditure.expense_date) <= end
    )
    return list(session.exec(query.order_by(*BY_DATE)).all())


def page_of_expenditures(
    *,
    session: Session,
    project_id: int,
    grant_id: int | None = None,
    own: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[Expenditure], int]:
    """A page of list_expenditures(), with the total."""
    query = _expenditures(project_id, grant_id, own)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(*BY_DATE).offset(offset).limit(limit)).all()
    return list(rows), total


def expenditures_with_own(
    *, session: Session, project_id: int, ids: list[int]
) -> list[Expenditure]:
    """The project's expenditures with the given ids and every one on own financing, by date
    (one query for the rows the budget page shows)."""
    query = select(Expenditure).where(
        Expenditure.project_id == project_id,
        or_(col(Expenditure.id).in_(ids), col(Expenditure.grant_id).is_(None)),
    )
    return list(session.exec(query.order_by(*BY_DATE)))


class ExpenseFigures(NamedTuple):
    """The columns of an expenditure that sums, charts and paging need (its texts left out)."""

    id: int
    grant_id: int | None
    expense_date: date
    amount_ore: int
    category: CostCategory
    status: ExpenditureStatus
    group_id: int | None
    purpose_id: int | None
    correction_of_id: int | None
    post_id: int | None


def expenditure_figures(
    *, session: Session, project_id: int, grant_id: int | None = None
) -> list[ExpenseFigures]:
    """The figures of list_expenditures(): plain rows, far cheaper to read than whole
    expenditures when only their sums are needed."""
    columns = (getattr(Expenditure, name) for name in ExpenseFigures._fields)
    rows = session.exec(_expenditures(project_id, grant_id, False, *columns).order_by(*BY_DATE))
    return [ExpenseFigures._make(row) for row in rows]


def corrected_ids(*, session: Session, ids: list[int]) -> set[int]:
    """Those of the expenditures that a correction points to (they may not be deleted)."""
    if not ids:
        return set()
    rows = session.exec(
        select(Expenditure.correction_of_id).where(col(Expenditure.correction_of_id).in_(ids))
    )
    return {i for i in rows if i is not None}


def get_expenditure(*, session: Session, project_id: int, expenditure_id: int) -> Expenditure:
    """An expenditure of this project, or NotFound."""
    return project_row(
        Expenditure, expenditure_id, session=session, project_id=project_id, missing=MISSING
    )


def _used(*, session: Session, grant_id: int, exclude_id: int | None = None) -> int:
    """What is spent and committed on the grant (every accepted expense), in øre."""
    query = select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
        Expenditure.grant_id == grant_id
    )
    if exclude_id is not None:
        query = query.where(Expenditure.id != exclude_id)
    return int(session.exec(query).one())


def _post_facts(
    *, session: Session, project_id: int, expense: Expenditure, exclude_id: int | None
) -> rules.Post | None:
    """The funded post the expense is booked to, with what the other expenses booked to it
    used (read under the lock of the post's grant, so two writers cannot both fit in its last
    krone)."""
    if expense.post_id is None:
        return None
    post = project_row(
        FundedPost,
        expense.post_id,
        session=session,
        project_id=project_id,
        missing="Stillingen findes ikke i dette projekt.",
        field="post_id",
    )
    query = select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
        Expenditure.post_id == post.id
    )
    if exclude_id is not None:
        query = query.where(Expenditure.id != exclude_id)
    return rules.Post(
        id=post.id or 0,
        title=post.title,
        grant_id=post.grant_id,
        first_date=post.first_date,
        last_date=post.last_date,
        budget_ore=post.budget_ore,
        used_ore=int(session.exec(query).one()),
    )


def _facts(
    *,
    session: Session,
    project_id: int,
    expense: Expenditure,
    exclude_id: int | None,
    unlinked_before: bool = False,
) -> rules.ExpenseFacts:
    """The facts the rules look at: the expense's own, its activity and its post."""
    activity = activities.get_activity(
        session=session, project_id=project_id, ref=activity_ref(expense)
    )
    return replace(
        rules.ExpenseFacts.of(expense),
        activity=activity.facts() if activity else None,
        post=_post_facts(
            session=session, project_id=project_id, expense=expense, exclude_id=exclude_id
        ),
        unlinked_before=unlinked_before,
    )


def _check_rules(
    *,
    session: Session,
    project_id: int,
    expense: Expenditure,
    exclude_id: int | None,
    unlinked_before: bool = False,
) -> None:
    """Every check an expense must pass, whether it is new or edited."""
    check_group(session=session, project_id=project_id, group_id=expense.group_id)
    view = None
    if expense.grant_id is not None:
        # Locked, so that two people spending the same grant at once queue (PostgreSQL).
        if get_for_update(session=session, model=Grant, item_id=expense.grant_id) is None:
            raise Invalid("Tilskuddet findes ikke i dette projekt.", field="grant_id")
        view = grant_in_body(session=session, project_id=project_id, grant_id=expense.grant_id)
    elif expense.purpose_id is not None:
        raise Invalid(
            "En udgift på egen finansiering har ikke et af tilskuddets formål.", field="purpose_id"
        )
    elif expense.post_id is not None:
        raise Invalid(
            "En udgift på egen finansiering bogføres ikke på en af tilskuddets stillinger.",
            field="post_id",
        )
    if expense.correction_of_id is not None:
        _check_correction(
            session=session, project_id=project_id, expense=expense, of=expense.correction_of_id
        )
    facts = _facts(
        session=session,
        project_id=project_id,
        expense=expense,
        exclude_id=exclude_id,
        unlinked_before=unlinked_before,
    )
    if view is None:
        rules.check_expense(None, facts)
        return
    used = _used(session=session, grant_id=view.grant.id or 0, exclude_id=exclude_id)
    rules.check_expense(view.rules, facts, used_ore=used)


def _check_correction(*, session: Session, project_id: int, expense: Expenditure, of: int) -> None:
    original = project_row(
        Expenditure,
        of,
        session=session,
        project_id=project_id,
        missing="Den udgift, der korrigeres, findes ikke i dette projekt.",
        field="correction_of_id",
    )
    if original.correction_of_id is not None:
        raise Invalid(
            "En korrektion kan ikke selv korrigeres; korrigér den oprindelige udgift.",
            field="correction_of_id",
        )
    if (original.grant_id, original.category, original.purpose_id, original.post_id) != (
        expense.grant_id,
        expense.category,
        expense.purpose_id,
        expense.post_id,
    ):
        raise Invalid(
            "En korrektion skal have samme tilskud, udgiftsart, formål og stilling som den "
            "udgift, den korrigerer.",
            field="correction_of_id",
        )
    corrected = session.exec(
        select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
            Expenditure.correction_of_id == original.id, Expenditure.id != (expense.id or 0)
        )
    ).one()
    rules.check_expense(None, rules.ExpenseFacts.of(expense))  # the sign first: a clearer message
    rules.check_correction(
        original_ore=original.amount_ore,
        corrected_ore=int(corrected),
        amount_ore=expense.amount_ore,
    )


def record_expenditure(*, session: Session, by: Access, data: ExpenditureCreate) -> Expenditure:
    """Record an expense on a grant (checked against its rules) or on own financing."""
    expense = Expenditure(
        project_id=by.project_id, recorded_by_id=by.user.id, **_columns(data.model_dump())
    )
    _check_rules(session=session, project_id=by.project_id, expense=expense, exclude_id=None)
    session.add(expense)
    session.flush()
    audit.log(session=session, by=by, action="recorded", row=expense)
    session.commit()
    return expense


def update_expenditure(
    *, session: Session, by: Access, expenditure_id: int, data: ExpenditureUpdate
) -> Expenditure:
    """Edit an expense; the edited expense must pass the same rules as a new one."""
    expense = project_row(
        Expenditure,
        expenditure_id,
        session=session,
        project_id=by.project_id,
        missing=MISSING,
        lock=True,
    )
    require_version(expense, data.version)
    before = audit.snapshot(expense)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    for key in ("date", "amount", "category", "description", "status"):
        if key in values and values[key] is None:
            raise missing(key)
    columns = _columns(values)
    candidate = Expenditure.model_validate(expense.model_dump())
    for attr, value in columns.items():
        setattr(candidate, attr, value)
    corrections = session.exec(
        select(Expenditure).where(Expenditure.correction_of_id == expense.id)
    ).all()
    if corrections:
        if (candidate.grant_id, candidate.category, candidate.purpose_id, candidate.post_id) != (
            expense.grant_id,
            expense.category,
            expense.purpose_id,
            expense.post_id,
        ):
            raise Invalid(
                "Udgiften er korrigeret; tilskud, udgiftsart, formål og stilling kan ikke ændres, "
                "så længe korrektionerne findes.",
                field="category",
            )
        rules.check_correction(
            original_ore=candidate.amount_ore,
            corrected_ore=0,
            amount_ore=sum(c.amount_ore for c in corrections),
        )
    # An expense accepted under its condition's note before the category named kinds of
    # activity may be edited without a link, as long as its grant and category stay.
    unlinked_before = (
        activity_ref(expense) is None
        and activity_ref(candidate) is None
        and (candidate.grant_id, candidate.category) == (expense.grant_id, expense.category)
        and bool(expense.condition_note.strip())
    )
    _check_rules(
        session=session,
        project_id=by.project_id,
        expense=candidate,
        exclude_id=expense.id,
        unlinked_before=unlinked_before,
    )
    for attr, value in columns.items():
        setattr(expense, attr, value)
    expense.version += 1
    audit.log(session=session, by=by, action="updated", row=expense, before=before)
    session.commit()
    return expense


def delete_expenditure(
    *, session: Session, by: Access, expenditure_id: int, version: int | None
) -> None:
    """Delete an expense recorded in error (a paid expense is better corrected)."""
    expense = project_row(
        Expenditure,
        expenditure_id,
        session=session,
        project_id=by.project_id,
        missing=MISSING,
        lock=True,
    )
    require_version(expense, version)
    if corrected_ids(session=session, ids=[expenditure_id]):
        raise Conflict("Udgiften er korrigeret og kan ikke slettes. Slet korrektionerne først.")
    if expense.grant_id is not None and expense.amount_ore < 0:
        grant = session.get(Grant, expense.grant_id)
        used = _used(session=session, grant_id=expense.grant_id, exclude_id=expense.id)
        if grant is not None and used > grant.amount_ore:
            raise Conflict(
                f"Korrektionen kan ikke slettes: så ville der være brugt {format_kr(used)} af "
                f"tilskuddet på {format_kr(grant.amount_ore)}"
            )
    before = audit.snapshot(expense)
    session.delete(expense)
    audit.log(session=session, by=by, action="deleted", row=expense, before=before)
    session.commit()


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """An expenditure's fields as sent (all, or those of an edit) as its columns, text trimmed."""
    return {column: clean(value) for column, value in expense_columns(values).items()}
