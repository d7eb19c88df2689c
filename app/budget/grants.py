"""The project's grants with their rules (eligible cost categories with conditions, purposes,
fund): reading, registering, changing and deleting them, and the explanations of deviations in
their grant accounting. A change is refused when spending or a budget already recorded on the
grant would break the new terms. One commit per use case, at the end; a refusal raises before
anything is written."""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget import rules
from app.budget.activities import list_activities
from app.budget.models import (
    BudgetLine,
    CostCategory,
    DeviationExplanation,
    Expenditure,
    Fund,
    FundedPost,
    Grant,
    GrantCategory,
    GrantCategoryKind,
    GrantPurpose,
    ProjectActivityKind,
)
from app.budget.money import to_ore
from app.budget.schemas import (
    CategoryRule,
    ExplanationIn,
    GrantCreate,
    GrantUpdate,
    activity_ref,
    clean,
)
from app.danish import format_date, format_kr
from app.db import project_row, stored_id
from app.errors import Conflict, Invalid, NotFound, missing, require_version

MISSING = "Tilskuddet findes ikke i dette projekt."


@dataclass
class GrantView:
    """A grant with its fund, eligible categories and purposes."""

    grant: Grant
    fund: Fund | None
    categories: list[GrantCategory]
    purposes: list[GrantPurpose]
    # Per restricted category, the kinds of activity (id → name) it must be tied to.
    kinds: dict[CostCategory, dict[int, str]] = field(default_factory=dict)
    posts: list[FundedPost] = field(default_factory=list)

    @property
    def rules(self) -> rules.GrantRules:
        return rules.GrantRules(
            name=self.grant.name,
            amount_ore=self.grant.amount_ore,
            first_date=self.grant.first_date,
            last_date=self.grant.last_date,
            categories={c.category: c.condition for c in self.categories},
            purpose_ids=frozenset(p.id for p in self.purposes if p.id is not None),
            category_kinds=self.kinds,
            grant_id=self.grant.id,
            posts={p.id: p.title for p in self.posts if p.id is not None},
            posts_only=self.grant.posts_only,
        )

    def kind_names(self, category: CostCategory) -> list[str]:
        return list(self.kinds.get(category, {}).values())

    def purpose_text(self, purpose_id: int | None) -> str:
        return next((p.text for p in self.purposes if p.id == purpose_id), "")

    def snapshot(self) -> dict[str, Any]:
        return (audit.snapshot(self.grant) or {}) | {
            "eligible_categories": [
                {"category": c.category.value, "condition": c.condition} for c in self.categories
            ],
            "purposes": [p.text for p in self.purposes],
            "activity_kinds": {c.value: list(k) for c, k in self.kinds.items()},
        }


def list_grants(*, session: Session, project_id: int) -> list[GrantView]:
    """The project's grants with their funds, by first day and name."""
    rows = session.exec(
        select(Grant, Fund)
        .outerjoin(Fund, col(Fund.id) == Grant.fund_id)
        .where(Grant.project_id == project_id)
        .order_by(col(Grant.first_date), col(Grant.name), col(Grant.id))
    ).all()
    ids = [g.id for g, _ in rows if g.id is not None]
    if not ids:
        return []
    categories, kinds, purposes, posts = _rules_of(session=session, grant_ids=ids)
    return [
        GrantView(
            g,
            fund,
            categories[g.id or 0],
            purposes[g.id or 0],
            kinds[g.id or 0],
            posts[g.id or 0],
        )
        for g, fund in rows
    ]


def get_grant(*, session: Session, project_id: int, grant_id: int) -> GrantView:
    """A grant of this project with its rules, or NotFound."""
    grant = project_row(Grant, grant_id, session=session, project_id=project_id, missing=MISSING)
    return _view(session=session, grant=grant)


def _view(*, session: Session, grant: Grant) -> GrantView:
    grant_id = stored_id(grant)
    categories, kinds, purposes, posts = _rules_of(session=session, grant_ids=[grant_id])
    fund = session.get(Fund, grant.fund_id) if grant.fund_id else None
    return GrantView(
        grant, fund, categories[grant_id], purposes[grant_id], kinds[grant_id], posts[grant_id]
    )


def _rules_of(
    *, session: Session, grant_ids: list[int]
) -> tuple[
    dict[int, list[GrantCategory]],
    dict[int, dict[CostCategory, dict[int, str]]],
    dict[int, list[GrantPurpose]],
    dict[int, list[FundedPost]],
]:
    """Per grant: its categories, the kinds of activity (id → name) each names, its purposes
    and its funded posts, in their order (three queries for any number of grants)."""
    categories: dict[int, list[GrantCategory]] = {i: [] for i in grant_ids}
    kinds: dict[int, dict[CostCategory, dict[int, str]]] = {i: {} for i in grant_ids}
    seen: set[int] = set()
    rows = session.exec(
        select(GrantCategory, GrantCategoryKind.kind_id, ProjectActivityKind.name)
        .outerjoin(
            GrantCategoryKind,
            and_(
                col(GrantCategoryKind.grant_id) == GrantCategory.grant_id,
                col(GrantCategoryKind.category) == GrantCategory.category,
            ),
        )
        .outerjoin(ProjectActivityKind, col(ProjectActivityKind.id) == GrantCategoryKind.kind_id)
        .where(col(GrantCategory.grant_id).in_(grant_ids))
        .order_by(
            col(GrantCategory.position),
            col(GrantCategory.id),
            col(ProjectActivityKind.position),
            col(ProjectActivityKind.id),
        )
    )
    for c, kind_id, name in rows:
        if c.id not in seen:
            seen.add(c.id or 0)
            categories[c.grant_id].append(c)
        if kind_id is not None:
            kinds[c.grant_id].setdefault(c.category, {})[kind_id] = name or ""
    purposes: dict[int, list[GrantPurpose]] = {i: [] for i in grant_ids}
    for p in session.exec(
        select(GrantPurpose)
        .where(col(GrantPurpose.grant_id).in_(grant_ids))
        .order_by(col(GrantPurpose.position), col(GrantPurpose.id))
    ):
        purposes[p.grant_id].append(p)
    posts: dict[int, list[FundedPost]] = {i: [] for i in grant_ids}
    for post in session.exec(
        select(FundedPost)
        .where(col(FundedPost.grant_id).in_(grant_ids))
        .order_by(col(FundedPost.title), col(FundedPost.id))
    ):
        posts[post.grant_id].append(post)
    return categories, kinds, purposes, posts


def _check_grant_values(
    *,
    session: Session,
    project_id: int,
    grant_id: int | None,
    fund_id: int | None,
    amount_ore: int,
    first_date: date,
    last_date: date,
    report_due_date: date | None,
    categories: list[Any],
) -> None:
    if fund_id is not None:
        fund = project_row(
            Fund,
            fund_id,
            session=session,
            project_id=project_id,
            missing="Puljen findes ikke i dette projekt.",
            field="fund_id",
        )
        others = session.exec(
            select(func.coalesce(func.sum(Grant.amount_ore), 0)).where(
                Grant.fund_id == fund_id, Grant.id != (grant_id or 0)
            )
        ).one()
        if fund.pool_ore and others + amount_ore > fund.pool_ore:
            raise Invalid(
                f"Tilskuddet ({format_kr(amount_ore)}) er større end det, der er tilbage i "
                f"puljen »{fund.name}«: {format_kr(fund.pool_ore - others)} (puljen er "
                f"{format_kr(fund.pool_ore)}).",
                field="amount",
            )
    if last_date < first_date:
        raise Invalid(
            f"Tilskudsperiodens sidste dag ({format_date(last_date)}) ligger før dens første dag "
            f"({format_date(first_date)}).",
            field="last_date",
        )
    if report_due_date is not None and report_due_date < last_date:
        raise Invalid(
            f"Fristen for tilskudsregnskabet ({format_date(report_due_date)}) ligger før "
            f"tilskudsperiodens sidste dag ({format_date(last_date)}).",
            field="report_due_date",
        )
    kind_ids = {i for rule in categories for i in getattr(rule, "activity_kind_ids", [])}
    if kind_ids:
        own = set(
            session.exec(
                select(ProjectActivityKind.id).where(
                    ProjectActivityKind.project_id == project_id,
                    col(ProjectActivityKind.id).in_(kind_ids),
                )
            )
        )
        if kind_ids - own:
            raise Invalid(
                "En aktivitetstype i betingelsen findes ikke i dette projekt.",
                field="eligible_categories",
            )
    seen: set[CostCategory] = set()
    for rule in categories:
        if rule.category in seen:
            raise Invalid(
                f"Udgiftsarten {rules.label(rule.category)} er nævnt to gange.",
                field="eligible_categories",
            )
        seen.add(rule.category)


def create_grant(*, session: Session, by: Access, data: GrantCreate) -> GrantView:
    """Register a grant with its amount, eligibility period, categories and purposes."""
    amount = to_ore(data.amount)
    _check_grant_values(
        session=session,
        project_id=by.project_id,
        grant_id=None,
        fund_id=data.fund_id,
        amount_ore=amount,
        first_date=data.first_date,
        last_date=data.last_date,
        report_due_date=data.report_due_date,
        categories=data.eligible_categories,
    )
    grant = Grant(
        project_id=by.project_id,
        fund_id=data.fund_id,
        name=data.name.strip(),
        reference=data.reference.strip(),
        amount_ore=amount,
        first_date=data.first_date,
        last_date=data.last_date,
        report_due_date=data.report_due_date,
        other_rules=data.other_rules.strip(),
        posts_only=data.posts_only,
    )
    session.add(grant)
    session.flush()
    grant_id = stored_id(grant)
    _add_categories(session=session, grant_id=grant_id, categories=data.eligible_categories)
    for i, text in enumerate(t.strip() for t in data.purposes):
        if not text:
            raise Invalid("Et formål må ikke være tomt.", field="purposes")
        session.add(GrantPurpose(grant_id=grant_id, text=text, position=i))
    session.flush()
    view = _view(session=session, grant=grant)
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="grant",
        entity_id=grant.id,
        project_id=by.project_id,
        after=view.snapshot(),
    )
    session.commit()
    return view


def _add_categories(*, session: Session, grant_id: int, categories: list[CategoryRule]) -> None:
    """The grant's eligible categories with their conditions and the kinds they name."""
    for i, rule in enumerate(categories):
        session.add(
            GrantCategory(
                grant_id=grant_id,
                category=rule.category,
                condition=rule.condition.strip(),
                position=i,
            )
        )
        for kind_id in dict.fromkeys(rule.activity_kind_ids):
            session.add(
                GrantCategoryKind(grant_id=grant_id, category=rule.category, kind_id=kind_id)
            )


_GRANT_FIELD = {
    "activity": "eligible_categories",
    "date": "first_date",
    "category": "eligible_categories",
    "condition_note": "eligible_categories",
    "purpose_id": "purposes",
    "amount": "amount",
}


def update_grant(*, session: Session, by: Access, grant_id: int, data: GrantUpdate) -> GrantView:
    """Change a grant's terms; refused when a recorded expense would break the new rules."""
    grant = project_row(
        Grant, grant_id, session=session, project_id=by.project_id, missing=MISSING, lock=True
    )
    require_version(grant, data.version)
    old = _view(session=session, grant=grant)
    before = old.snapshot()
    values = data.model_dump(
        exclude_unset=True, exclude={"version", "eligible_categories", "purposes", "amount"}
    )
    for key in ("name", "reference", "first_date", "last_date", "other_rules"):
        if key in values and values[key] is None:
            raise missing(key)
    if values.get("posts_only", False) is None:
        del values["posts_only"]
    amount = to_ore(data.amount) if data.amount is not None else grant.amount_ore
    categories = (
        data.eligible_categories
        if data.eligible_categories is not None
        else [c for c in old.categories]
    )
    fund_id = values.get("fund_id", grant.fund_id)
    first = values.get("first_date") or grant.first_date
    last = values.get("last_date") or grant.last_date
    due = values.get("report_due_date", grant.report_due_date)
    _check_grant_values(
        session=session,
        project_id=by.project_id,
        grant_id=grant.id,
        fund_id=fund_id,
        amount_ore=amount,
        first_date=first,
        last_date=last,
        report_due_date=due,
        categories=categories,
    )
    # The purposes after the change: kept (by id), renamed, added; the rest are removed.
    keep: dict[int, str] = {}
    added: list[str] = []
    if data.purposes is not None:
        own_ids = {p.id for p in old.purposes}
        for p in data.purposes:
            if p.id is None:
                added.append(p.text.strip())
            elif p.id not in own_ids:
                raise Invalid(
                    f"Formålet med id {p.id} hører ikke til tilskuddet.", field="purposes"
                )
            else:
                keep[p.id] = p.text.strip()
        removed = own_ids - set(keep)
        if removed and (
            session.exec(
                select(Expenditure.id).where(col(Expenditure.purpose_id).in_(removed))
            ).first()
            or session.exec(
                select(BudgetLine.id).where(col(BudgetLine.purpose_id).in_(removed))
            ).first()
        ):
            raise Invalid(
                "Et formål, som udgifter eller budgetlinjer er knyttet til, kan ikke fjernes.",
                field="purposes",
            )
    else:
        keep = {p.id: p.text for p in old.purposes if p.id is not None}
    new_rules = rules.GrantRules(
        name=values.get("name", grant.name),
        amount_ore=amount,
        first_date=first,
        last_date=last,
        categories={c.category: c.condition.strip() for c in categories},
        purpose_ids=frozenset(keep) | ({-1} if added else frozenset()),
        category_kinds=(
            _named_kinds(session=session, project_id=by.project_id, categories=categories)
            if data.eligible_categories is not None
            else old.kinds
        ),
    )
    _check_existing_spending(
        session=session, project_id=by.project_id, grant_id=grant_id, new_rules=new_rules
    )
    for key, value in values.items():
        setattr(grant, key, clean(value))
    grant.amount_ore = amount
    if data.eligible_categories is not None:
        for row in [
            *old.categories,
            *session.exec(select(GrantCategoryKind).where(GrantCategoryKind.grant_id == grant_id)),
        ]:
            session.delete(row)
        session.flush()
        _add_categories(session=session, grant_id=grant_id, categories=data.eligible_categories)
    if data.purposes is not None:
        position = 0
        for purpose in old.purposes:
            if purpose.id in keep:
                purpose.text, purpose.position = keep[purpose.id], position
                position += 1
            else:
                session.delete(purpose)
        for text in added:
            session.add(GrantPurpose(grant_id=grant_id, text=text, position=position))
            position += 1
    grant.version += 1
    session.flush()
    view = _view(session=session, grant=grant)
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="grant",
        entity_id=grant.id,
        project_id=by.project_id,
        before=before,
        after=view.snapshot(),
    )
    session.commit()
    return view


def _named_kinds(
    *, session: Session, project_id: int, categories: list[Any]
) -> dict[CostCategory, dict[int, str]]:
    """The kinds (id → name) each of the categories names."""
    names = dict(
        session.exec(
            select(ProjectActivityKind.id, ProjectActivityKind.name).where(
                ProjectActivityKind.project_id == project_id
            )
        ).all()
    )
    return {
        c.category: {i: names.get(i, "") for i in c.activity_kind_ids}
        for c in categories
        if c.activity_kind_ids
    }


def _check_existing_spending(
    *, session: Session, project_id: int, grant_id: int, new_rules: rules.GrantRules
) -> None:
    expenses = session.exec(
        select(Expenditure)
        .where(Expenditure.grant_id == grant_id)
        .order_by(col(Expenditure.expense_date), col(Expenditure.id))
    ).all()
    # Purposes are not required here: purposes added to a grant cannot be on old expenses yet.
    lenient = replace(new_rules, purpose_ids=frozenset())
    # An expense accepted before its category named kinds of activity is flagged "ikke knyttet
    # til en aktivitet", not refused; one tied to an activity is held to the kinds.
    activities = (
        {a.ref: a for a in list_activities(session=session, project_id=project_id)}
        if new_rules.category_kinds
        else {}
    )
    for e in expenses:
        ref = activity_ref(e)
        facts = replace(
            rules.ExpenseFacts.of(e),
            purpose_id=None,
            activity=activities[ref].facts() if ref in activities else None,
            unlinked_before=ref is None,
        )
        try:
            rules.check_eligibility(lenient, facts)
        except Invalid as exc:
            raise Invalid(
                f"Ændringen kan ikke gemmes, fordi udgiften »{e.description}« "
                f"({format_date(e.expense_date)}, {format_kr(e.amount_ore)}) så ikke længere "
                f"overholder tilskuddets regler: {exc.message}",
                field=_GRANT_FIELD.get(exc.field or "", "eligible_categories"),
            ) from None
    used = sum(e.amount_ore for e in expenses)
    if used > new_rules.amount_ore:
        raise Invalid(
            f"Tilskuddet kan ikke sættes til {format_kr(new_rules.amount_ore)}, fordi der allerede "
            f"er brugt og disponeret {format_kr(used)}",
            field="amount",
        )
    lines_total = session.exec(
        select(func.coalesce(func.sum(BudgetLine.amount_ore), 0)).where(
            BudgetLine.grant_id == grant_id
        )
    ).one()
    if lines_total > new_rules.amount_ore:
        raise Invalid(
            f"Tilskuddet kan ikke sættes til {format_kr(new_rules.amount_ore)}, fordi budgettet "
            f"for det allerede er {format_kr(lines_total)}. Ret budgettet først.",
            field="amount",
        )


def delete_grant(*, session: Session, by: Access, grant_id: int, version: int | None) -> None:
    """Delete a grant on which nothing has been spent (its budget lines go with it)."""
    grant = project_row(
        Grant, grant_id, session=session, project_id=by.project_id, missing=MISSING, lock=True
    )
    require_version(grant, version)
    view = _view(session=session, grant=grant)
    if session.exec(select(Expenditure.id).where(Expenditure.grant_id == grant_id)).first():
        raise Conflict("Der er registreret udgifter på tilskuddet, så det kan ikke slettes.")
    before = view.snapshot()
    for row in [
        *session.exec(select(BudgetLine).where(BudgetLine.grant_id == grant_id)),
        *session.exec(
            select(DeviationExplanation).where(DeviationExplanation.grant_id == grant_id)
        ),
        *session.exec(select(GrantCategoryKind).where(GrantCategoryKind.grant_id == grant_id)),
        *view.posts,
        *view.categories,
        *view.purposes,
    ]:
        session.delete(row)
    session.flush()
    session.delete(view.grant)
    audit.log(
        session=session, by=by, action="deleted", row=view.grant, before=before, entity="grant"
    )
    session.commit()


# The grant accounting: explanations of deviations -----------------------------------------


def set_explanation(
    *, session: Session, by: Access, grant_id: int, category: CostCategory, data: ExplanationIn
) -> DeviationExplanation:
    """Write (or change) the explanation of a category's deviation from the approved budget."""
    category = CostCategory(category)
    view = get_grant(session=session, project_id=by.project_id, grant_id=grant_id)
    if (
        category not in {c.category for c in view.categories}
        and not session.exec(
            select(Expenditure.id).where(
                Expenditure.grant_id == grant_id, Expenditure.category == category
            )
        ).first()
    ):
        raise Invalid(
            f"{rules.label(category)} indgår ikke i tilskudsregnskabet.", field="category"
        )
    note = session.exec(
        select(DeviationExplanation)
        .where(DeviationExplanation.grant_id == grant_id, DeviationExplanation.category == category)
        .with_for_update()
    ).first()
    before = audit.snapshot(note)
    if note is None:
        # A category without an explanation is at version 0: one written meanwhile is a 409.
        note = DeviationExplanation(grant_id=grant_id, category=category, version=0)
        require_version(note, data.version)
        session.add(note)
    else:
        require_version(note, data.version)
    note.text = data.text.strip()
    note.version += 1
    session.flush()
    audit.log(session=session, by=by, action="explained", row=note, before=before)
    session.commit()
    return note


def grant_in_body(*, session: Session, project_id: int, grant_id: int) -> GrantView:
    """The grant a budget line or an expense names, or Invalid on its grant_id field."""
    try:
        return get_grant(session=session, project_id=project_id, grant_id=grant_id)
    except NotFound as exc:
        raise Invalid(exc.message, field="grant_id") from None
