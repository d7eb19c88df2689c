"""The budget's part of the project document: funds, grants with their rules, purposes and
deviation explanations, budget lines, expenditures and the reform economy.

Amounts are decimal strings in kroner ("461474.00"); references are document keys (groups are
bodies' keys, director areas the areas' keys). A document whose expenditures break their grant's
rules is refused like an expense recorded by hand.
"""

import datetime as dt
from dataclasses import replace

from pydantic import Field
from sqlmodel import Session, col, select

from app import inputs
from app.budget import rules
from app.budget.models import (
    BudgetLine,
    CostCategory,
    DeviationExplanation,
    EconomyEntry,
    EconomyKind,
    Expenditure,
    ExpenditureStatus,
    Fund,
    Grant,
    GrantCategory,
    GrantPurpose,
)
from app.budget.money import hundredths_str, ore_str, to_ore
from app.budget.schemas import (
    Hours,
    Kroner,
    NonNegativeKroner,
    PositiveKroner,
    expense_columns,
    expense_fields,
)
from app.db import stored_id
from app.errors import Invalid
from app.projectdoc.refs import Refs


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class FundDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    grantor: str = Field(default="", max_length=200)
    pool: NonNegativeKroner
    allocation_note: str = Field(default="", max_length=2000)


class CategoryDoc(Strict):
    category: CostCategory
    condition: str = Field(default="", max_length=1000)


class PurposeDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=1000)


class ExplanationDoc(Strict):
    category: CostCategory
    text: str = Field(max_length=4000)


class GrantDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    fund: str | None = None
    name: str = Field(min_length=1, max_length=200)
    reference: str = Field(default="", max_length=100)
    amount: PositiveKroner
    first_date: dt.date
    last_date: dt.date
    report_due_date: dt.date | None = None
    eligible_categories: list[CategoryDoc] = Field(min_length=1)
    purposes: list[PurposeDoc] = []
    other_rules: str = Field(default="", max_length=5000)
    explanations: list[ExplanationDoc] = []


class BudgetLineDoc(Strict):
    grant: str | None = None
    category: CostCategory
    purpose: str | None = None
    group: str | None = None
    month: dt.date
    amount: NonNegativeKroner
    note: str = Field(default="", max_length=500)


class ExpenditureDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    grant: str | None = None
    date: dt.date
    amount: Kroner
    category: CostCategory
    purpose: str | None = None
    description: str = Field(min_length=1, max_length=500)
    supplier: str = Field(default="", max_length=200)
    hours: Hours | None = None
    hourly_rate: PositiveKroner | None = None
    group: str | None = None
    condition_note: str = Field(default="", max_length=1000)
    note: str = Field(default="", max_length=2000)
    attachment_ref: str = Field(default="", max_length=200)
    status: ExpenditureStatus = ExpenditureStatus.paid
    correction_of: str | None = None


# The references an expenditure makes, in the table (an id) and in the document (a key):
# column, kind of key, document field.
EXPENSE_REFS = (
    ("grant_id", "grant", "grant"),
    ("purpose_id", "purpose", "purpose"),
    ("group_id", "body", "group"),
    ("correction_of_id", "expenditure", "correction_of"),
)


def _expense_doc(e: Expenditure, refs: Refs) -> ExpenditureDoc:
    """An expenditure as the document holds it: its fields, with keys for its ids."""
    fields = expense_fields(e, kroner=ore_str, hours=hundredths_str)
    keys = {name: refs.key(kind, fields.pop(column)) for column, kind, name in EXPENSE_REFS}
    return ExpenditureDoc(key=refs.key("expenditure", e.id) or "", **fields, **keys)


def _expense_row(e: ExpenditureDoc, refs: Refs | None, project_id: int) -> Expenditure:
    """An expenditure of the document as a row: its fields, with ids for its keys (none before
    the keys are bound)."""
    fields = e.model_dump(exclude={"key", *(name for _, _, name in EXPENSE_REFS)})
    if refs is not None:
        fields |= {column: refs.id(kind, getattr(e, name)) for column, kind, name in EXPENSE_REFS}
    return Expenditure(project_id=project_id, **expense_columns(fields))


class EconomyDoc(Strict):
    director_area: str
    year: int = Field(ge=2000, le=2100)
    kind: EconomyKind
    description: str = Field(min_length=1, max_length=500)
    expected: NonNegativeKroner
    realised: NonNegativeKroner | None = None
    note: str = Field(default="", max_length=2000)


class BudgetDoc(Strict):
    """The sections of the document that the budget owns."""

    funds: list[FundDoc] = []
    grants: list[GrantDoc] = []
    budget_lines: list[BudgetLineDoc] = []
    expenditures: list[ExpenditureDoc] = []
    reform_economy: list[EconomyDoc] = []


def _money(ore: int) -> str:
    return ore_str(ore) or "0.00"


def export_budget(*, session: Session, project_id: int, refs: Refs) -> dict:
    """The project's budget as document sections (after the organisation, whose keys it uses)."""
    funds = session.exec(
        select(Fund).where(Fund.project_id == project_id).order_by(col(Fund.id))
    ).all()
    grants = session.exec(
        select(Grant).where(Grant.project_id == project_id).order_by(col(Grant.id))
    ).all()
    grant_ids = [g.id for g in grants]
    categories = session.exec(
        select(GrantCategory)
        .where(col(GrantCategory.grant_id).in_(grant_ids))
        .order_by(col(GrantCategory.position), col(GrantCategory.id))
    ).all()
    purposes = session.exec(
        select(GrantPurpose)
        .where(col(GrantPurpose.grant_id).in_(grant_ids))
        .order_by(col(GrantPurpose.position), col(GrantPurpose.id))
    ).all()
    explanations = session.exec(
        select(DeviationExplanation)
        .where(col(DeviationExplanation.grant_id).in_(grant_ids))
        .order_by(col(DeviationExplanation.id))
    ).all()
    lines = session.exec(
        select(BudgetLine).where(BudgetLine.project_id == project_id).order_by(col(BudgetLine.id))
    ).all()
    expenses = session.exec(
        select(Expenditure)
        .where(Expenditure.project_id == project_id)
        .order_by(col(Expenditure.id))
    ).all()
    entries = session.exec(
        select(EconomyEntry)
        .where(EconomyEntry.project_id == project_id)
        .order_by(col(EconomyEntry.id))
    ).all()
    for i, f in enumerate(funds, 1):
        refs.name("fund", f.id, f"fund-{i}")
    for i, g in enumerate(grants, 1):
        refs.name("grant", g.id, f"grant-{i}")
    for i, p in enumerate(purposes, 1):
        refs.name("purpose", p.id, f"purpose-{i}")
    for i, e in enumerate(expenses, 1):
        refs.name("expenditure", e.id, f"expense-{i}")
    doc = BudgetDoc(
        funds=[
            FundDoc(
                key=refs.key("fund", f.id) or "",
                name=f.name,
                grantor=f.grantor,
                pool=_money(f.pool_ore),
                allocation_note=f.allocation_note,
            )
            for f in funds
        ],
        grants=[
            GrantDoc(
                key=refs.key("grant", g.id) or "",
                fund=refs.key("fund", g.fund_id),
                name=g.name,
                reference=g.reference,
                amount=_money(g.amount_ore),
                first_date=g.first_date,
                last_date=g.last_date,
                report_due_date=g.report_due_date,
                eligible_categories=[
                    CategoryDoc(category=c.category, condition=c.condition)
                    for c in categories
                    if c.grant_id == g.id
                ],
                purposes=[
                    PurposeDoc(key=refs.key("purpose", p.id) or "", text=p.text)
                    for p in purposes
                    if p.grant_id == g.id
                ],
                other_rules=g.other_rules,
                explanations=[
                    ExplanationDoc(category=x.category, text=x.text)
                    for x in explanations
                    if x.grant_id == g.id
                ],
            )
            for g in grants
        ],
        budget_lines=[
            BudgetLineDoc(
                grant=refs.key("grant", b.grant_id),
                category=b.category,
                purpose=refs.key("purpose", b.purpose_id),
                group=refs.key("body", b.group_id),
                month=b.month_date,
                amount=_money(b.amount_ore),
                note=b.note,
            )
            for b in lines
        ],
        expenditures=[_expense_doc(e, refs) for e in expenses],
        reform_economy=[
            EconomyDoc(
                director_area=refs.key("area", x.director_area_id) or "",
                year=x.year,
                kind=x.kind,
                description=x.description,
                expected=_money(x.expected_ore),
                realised=ore_str(x.realised_ore),
                note=x.note,
            )
            for x in entries
        ],
    )
    return doc.model_dump(mode="json")


def _facts(e: ExpenditureDoc, purpose_number: dict[str, int]) -> rules.ExpenseFacts:
    """The facts the rules look at, of an expenditure not yet stored (its purpose numbered as
    the document's purposes are)."""
    facts = rules.ExpenseFacts.of(_expense_row(e, refs=None, project_id=0))
    purpose_id = purpose_number.get(e.purpose) if e.purpose else None
    return replace(facts, purpose_id=purpose_id, is_correction=e.correction_of is not None)


def check_budget(doc: BudgetDoc, refs: Refs) -> None:
    """Declare the budget's keys, check its references and hold its expenditures to their
    grants' rules (errors go to refs)."""
    refs.declare_all("fund", "$.funds", [f.key for f in doc.funds])
    refs.declare_all("grant", "$.grants", [g.key for g in doc.grants])
    refs.declare_all(
        "purpose", "$.grants[*].purposes", [p.key for g in doc.grants for p in g.purposes]
    )
    refs.declare_all("expenditure", "$.expenditures", [e.key for e in doc.expenditures])
    purpose_grant = {p.key: g.key for g in doc.grants for p in g.purposes}
    purpose_number = {key: i for i, key in enumerate(purpose_grant, 1)}
    grant_rules: dict[str, rules.GrantRules] = {}
    for i, g in enumerate(doc.grants):
        refs.check("fund", g.fund, f"$.grants[{i}].fund")
        if g.last_date < g.first_date:
            refs.error(
                f"$.grants[{i}].last_date",
                "Tilskudsperiodens sidste dag ligger før dens første dag.",
            )
        grant_rules[g.key] = rules.GrantRules(
            name=g.name,
            amount_ore=to_ore(g.amount),
            first_date=g.first_date,
            last_date=g.last_date,
            categories={c.category: c.condition.strip() for c in g.eligible_categories},
            purpose_ids=frozenset(purpose_number[p.key] for p in g.purposes),
        )
    budgeted: dict[str, int] = {}
    for i, b in enumerate(doc.budget_lines):
        path = f"$.budget_lines[{i}]"
        refs.check("grant", b.grant, f"{path}.grant")
        refs.check("purpose", b.purpose, f"{path}.purpose")
        refs.check("body", b.group, f"{path}.group")
        if b.purpose is not None and purpose_grant.get(b.purpose) != b.grant:
            refs.error(f"{path}.purpose", "Formålet hører ikke til budgetlinjens tilskud.")
        if b.grant in grant_rules:
            budgeted[b.grant] = budgeted.get(b.grant, 0) + to_ore(b.amount)
    for key, total in budgeted.items():
        if total > grant_rules[key].amount_ore:
            refs.error(
                "$.budget_lines", f"Budgettet for tilskuddet »{key}« er større end tilskuddet."
            )
    used: dict[str, int] = {}
    amounts: dict[str, int] = {}
    seen: set[str] = set()
    for i, e in enumerate(doc.expenditures):
        path = f"$.expenditures[{i}]"
        refs.check("grant", e.grant, f"{path}.grant")
        refs.check("purpose", e.purpose, f"{path}.purpose")
        refs.check("body", e.group, f"{path}.group")
        if e.correction_of is not None:
            if e.correction_of not in seen:
                refs.error(
                    f"{path}.correction_of",
                    "En korrektion skal stå efter den udgift, den korrigerer.",
                )
            else:
                amounts[e.correction_of] += to_ore(e.amount)
                if amounts[e.correction_of] < 0:
                    refs.error(f"{path}.amount", "Korrektionen er større end udgiften.")
        seen.add(e.key)
        amounts[e.key] = to_ore(e.amount) if e.correction_of is None else 0
        if e.purpose is not None and purpose_grant.get(e.purpose) != e.grant:
            refs.error(f"{path}.purpose", "Formålet hører ikke til udgiftens tilskud.")
            continue
        grant = grant_rules.get(e.grant or "")
        try:
            rules.check_expense(
                grant, _facts(e, purpose_number), used_ore=used.get(e.grant or "", 0)
            )
        except Invalid as exc:
            refs.error(f"{path}.{exc.field or 'amount'}", exc.message)
            continue
        if e.grant is not None:
            used[e.grant] = used.get(e.grant, 0) + to_ore(e.amount)
    for i, x in enumerate(doc.reform_economy):
        refs.check("area", x.director_area, f"$.reform_economy[{i}].director_area")


def load_budget(*, session: Session, doc: BudgetDoc, refs: Refs, project_id: int) -> None:
    """Create the budget from checked document sections (no commit)."""
    for f in doc.funds:
        fund = Fund(
            project_id=project_id,
            name=f.name,
            grantor=f.grantor,
            pool_ore=to_ore(f.pool),
            allocation_note=f.allocation_note,
        )
        session.add(fund)
        session.flush()
        refs.bind("fund", f.key, fund.id)
    for g in doc.grants:
        grant = Grant(
            project_id=project_id,
            fund_id=refs.id("fund", g.fund),
            name=g.name,
            reference=g.reference,
            amount_ore=to_ore(g.amount),
            first_date=g.first_date,
            last_date=g.last_date,
            report_due_date=g.report_due_date,
            other_rules=g.other_rules,
        )
        session.add(grant)
        session.flush()
        grant_id = stored_id(grant)
        refs.bind("grant", g.key, grant_id)
        for i, c in enumerate(g.eligible_categories):
            session.add(
                GrantCategory(
                    grant_id=grant_id, category=c.category, condition=c.condition, position=i
                )
            )
        for i, p in enumerate(g.purposes):
            purpose = GrantPurpose(grant_id=grant_id, text=p.text, position=i)
            session.add(purpose)
            session.flush()
            refs.bind("purpose", p.key, purpose.id)
        for x in g.explanations:
            session.add(DeviationExplanation(grant_id=grant_id, category=x.category, text=x.text))
    for b in doc.budget_lines:
        session.add(
            BudgetLine(
                project_id=project_id,
                grant_id=refs.id("grant", b.grant),
                category=b.category,
                purpose_id=refs.id("purpose", b.purpose),
                group_id=refs.id("body", b.group),
                month_date=b.month.replace(day=1),
                amount_ore=to_ore(b.amount),
                note=b.note,
            )
        )
    for e in doc.expenditures:
        expense = _expense_row(e, refs, project_id)
        session.add(expense)
        session.flush()
        refs.bind("expenditure", e.key, expense.id)
    for entry in doc.reform_economy:
        session.add(
            EconomyEntry(
                project_id=project_id,
                director_area_id=refs.id("area", entry.director_area),
                year=entry.year,
                kind=entry.kind,
                description=entry.description,
                expected_ore=to_ore(entry.expected),
                realised_ore=None if entry.realised is None else to_ore(entry.realised),
                note=entry.note,
            )
        )
    session.flush()
