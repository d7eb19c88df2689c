"""The budget's part of the project document: exporting, checking and loading funds, kinds of
activity, grants with their rules, purposes, posts and deviation explanations, budget lines,
expenditures and the reform economy (the sections' schemas: document_sections.py).

Amounts are decimal strings in kroner ("461474.00"); references are document keys (groups are
bodies' keys, director areas the areas' keys). A document whose expenditures break their grant's
rules is refused like an expense recorded by hand.
"""

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from app.budget import rules
from app.budget.document_sections import (
    EXPENSE_REFS,
    TAGGED,
    ActivityKindDoc,
    BudgetDoc,
    BudgetLineDoc,
    CategoryDoc,
    EconomyDoc,
    ExpenditureDoc,
    ExplanationDoc,
    FundDoc,
    GrantDoc,
    PostDoc,
    PurposeDoc,
    expense_doc,
    expense_row,
)
from app.budget.economy import given_years
from app.budget.models import (
    ActivityKindTag,
    BudgetLine,
    DeviationExplanation,
    EconomyEntry,
    EconomyYear,
    Expenditure,
    Fund,
    FundedPost,
    Grant,
    GrantCategory,
    GrantCategoryKind,
    GrantPurpose,
    ProjectActivityKind,
)
from app.budget.money import hundredths_str, ore_str, to_ore
from app.db import stored_id
from app.errors import Invalid
from app.projectdoc.refs import Refs

__all__ = ["BudgetDoc", "check_budget", "export_budget", "load_budget"]


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
    kinds = session.exec(
        select(ProjectActivityKind)
        .where(ProjectActivityKind.project_id == project_id)
        .order_by(col(ProjectActivityKind.position), col(ProjectActivityKind.id))
    ).all()
    tags = session.exec(
        select(ActivityKindTag)
        .where(ActivityKindTag.project_id == project_id)
        .order_by(col(ActivityKindTag.id))
    ).all()
    category_kinds = session.exec(
        select(GrantCategoryKind)
        .where(col(GrantCategoryKind.grant_id).in_(grant_ids))
        .order_by(col(GrantCategoryKind.id))
    ).all()
    posts = session.exec(
        select(FundedPost).where(FundedPost.project_id == project_id).order_by(col(FundedPost.id))
    ).all()
    for i, k in enumerate(kinds, 1):
        refs.name("activity_kind", k.id, f"activity-kind-{i}")
    given = given_years(session=session, entry_ids=[x.id for x in entries if x.id is not None])
    for i, post in enumerate(posts, 1):
        refs.name("post", post.id, f"post-{i}")
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
        activity_kinds=[
            ActivityKindDoc(
                key=refs.key("activity_kind", k.id) or "",
                name=k.name,
                **{
                    field: [
                        refs.key(kind, getattr(t, column)) or ""
                        for t in tags
                        if t.kind_id == k.id and getattr(t, column) is not None
                    ]
                    for column, kind, field in TAGGED
                },
            )
            for k in kinds
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
                    CategoryDoc(
                        category=c.category,
                        condition=c.condition,
                        activity_kinds=[
                            refs.key("activity_kind", k.kind_id) or ""
                            for k in category_kinds
                            if k.grant_id == g.id and k.category == c.category
                        ],
                    )
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
                posts_only=g.posts_only,
                posts=[
                    PostDoc(
                        key=refs.key("post", p.id) or "",
                        title=p.title,
                        first_date=p.first_date,
                        last_date=p.last_date,
                        hours=hundredths_str(p.hours_hundredths),
                        share=hundredths_str(p.share_hundredths),
                        budget=_money(p.budget_ore),
                        note=p.note,
                    )
                    for p in posts
                    if p.grant_id == g.id
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
        expenditures=[expense_doc(e, refs) for e in expenses],
        reform_economy=[
            EconomyDoc(
                director_area=refs.key("area", x.director_area_id) or "",
                year=x.year,
                last_year=x.last_year,
                per_year=[_money(y.expected_ore) for y in given[x.id or 0]] or None,
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


@dataclass
class _Numbers:
    """The document's purposes, kinds of activity, tagged activities and posts numbered, so
    that the rules can compare them as they compare ids."""

    purposes: dict[str, int]
    kinds: dict[str, int]
    kind_names: dict[int, str]
    tagged: dict[tuple[str, str], int]
    posts: dict[str, rules.Post]


def _facts(e: ExpenditureDoc, numbers: _Numbers, post_used: dict[str, int]) -> rules.ExpenseFacts:
    """The facts the rules look at, of an expenditure not yet stored (its purpose numbered as
    the document's purposes are). An activity's days are not checked on import; an expense
    with a note and no activity under a condition naming kinds is kept as "ikke knyttet til en
    aktivitet", as it was exported."""
    facts = rules.ExpenseFacts.of(expense_row(e, refs=None, project_id=0))
    purpose_id = numbers.purposes.get(e.purpose) if e.purpose else None
    activity = None
    for _, kind, name in EXPENSE_REFS[-3:]:
        key = getattr(e, name)
        if key is not None:
            kind_id = numbers.tagged.get((kind, key))
            activity = rules.Activity(
                label=key, kind_id=kind_id, kind_name=numbers.kind_names.get(kind_id or 0, "")
            )
    post = numbers.posts.get(e.post or "")
    return replace(
        facts,
        purpose_id=purpose_id,
        is_correction=e.correction_of is not None,
        activity=activity,
        post=replace(post, used_ore=post_used.get(e.post or "", 0)) if post else None,
        unlinked_before=activity is None and bool(e.condition_note.strip()),
    )


def _doc_field(e: ExpenditureDoc, field: str | None) -> str:
    """The document's field of an expense that a rule's refusal names."""
    if field == "activity":
        linked = [n for n in ("meeting", "task", "external_activity") if getattr(e, n)]
        return linked[0] if linked else "meeting"
    return {"post_id": "post", None: "amount"}.get(field, field or "amount")


def check_budget(doc: BudgetDoc, refs: Refs) -> None:
    """Declare the budget's keys, check its references and hold its expenditures to their
    grants' rules (errors go to refs)."""
    refs.declare_all("fund", "$.funds", [f.key for f in doc.funds])
    refs.declare_all("grant", "$.grants", [g.key for g in doc.grants])
    refs.declare_all(
        "purpose", "$.grants[*].purposes", [p.key for g in doc.grants for p in g.purposes]
    )
    refs.declare_all("expenditure", "$.expenditures", [e.key for e in doc.expenditures])
    refs.declare_all("activity_kind", "$.activity_kinds", [k.key for k in doc.activity_kinds])
    refs.declare_all("post", "$.grants[*].posts", [p.key for g in doc.grants for p in g.posts])
    purpose_grant = {p.key: g.key for g in doc.grants for p in g.purposes}
    numbers = _Numbers(
        purposes={key: i for i, key in enumerate(purpose_grant, 1)},
        kinds={k.key: i for i, k in enumerate(doc.activity_kinds, 1)},
        kind_names={i: k.name for i, k in enumerate(doc.activity_kinds, 1)},
        tagged={},
        posts={},
    )
    for i, k in enumerate(doc.activity_kinds):
        for _, kind, field in TAGGED:
            for j, key in enumerate(getattr(k, field)):
                path = f"$.activity_kinds[{i}].{field}[{j}]"
                refs.check(kind, key, path)
                if (kind, key) in numbers.tagged:
                    refs.error(path, "En aktivitet kan kun have én aktivitetstype.")
                numbers.tagged[kind, key] = numbers.kinds[k.key]
    grant_rules: dict[str, rules.GrantRules] = {}
    for i, g in enumerate(doc.grants, 1):
        path = f"$.grants[{i - 1}]"
        refs.check("fund", g.fund, f"{path}.fund")
        if g.last_date < g.first_date:
            refs.error(
                f"{path}.last_date",
                "Tilskudsperiodens sidste dag ligger før dens første dag.",
            )
        for j, c in enumerate(g.eligible_categories):
            for n, key in enumerate(c.activity_kinds):
                refs.check(
                    "activity_kind", key, f"{path}.eligible_categories[{j}].activity_kinds[{n}]"
                )
        for j, p in enumerate(g.posts):
            if not g.first_date <= p.first_date <= p.last_date <= g.last_date:
                refs.error(
                    f"{path}.posts[{j}].first_date",
                    "Stillingens periode skal ligge inden for tilskudsperioden.",
                )
            numbers.posts[p.key] = rules.Post(
                len(numbers.posts) + 1, p.title, i, p.first_date, p.last_date, to_ore(p.budget)
            )
        if sum(to_ore(p.budget) for p in g.posts) > to_ore(g.amount):
            refs.error(f"{path}.posts", "Stillingernes budgetter er større end tilskuddet.")
        grant_rules[g.key] = rules.GrantRules(
            name=g.name,
            amount_ore=to_ore(g.amount),
            first_date=g.first_date,
            last_date=g.last_date,
            categories={c.category: c.condition.strip() for c in g.eligible_categories},
            purpose_ids=frozenset(numbers.purposes[p.key] for p in g.purposes),
            category_kinds={
                c.category: {
                    numbers.kinds[k]: numbers.kind_names[numbers.kinds[k]]
                    for k in c.activity_kinds
                    if k in numbers.kinds
                }
                for c in g.eligible_categories
                if c.activity_kinds
            },
            grant_id=i,
            posts={numbers.posts[p.key].id: p.title for p in g.posts},
            posts_only=g.posts_only,
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
    post_used: dict[str, int] = {}
    amounts: dict[str, int] = {}
    seen: set[str] = set()
    for i, e in enumerate(doc.expenditures):
        path = f"$.expenditures[{i}]"
        for _, kind, name in EXPENSE_REFS:
            if name not in ("grant", "correction_of"):
                refs.check(kind, getattr(e, name), f"{path}.{name}")
        refs.check("grant", e.grant, f"{path}.grant")
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
            if grant is None and e.post is not None:
                raise Invalid("En udgift på egen finansiering har ingen stilling.", field="post")
            rules.check_expense(
                grant, _facts(e, numbers, post_used), used_ore=used.get(e.grant or "", 0)
            )
        except Invalid as exc:
            refs.error(f"{path}.{_doc_field(e, exc.field)}", exc.message)
            continue
        if e.grant is not None:
            used[e.grant] = used.get(e.grant, 0) + to_ore(e.amount)
        if e.post is not None:
            post_used[e.post] = post_used.get(e.post, 0) + to_ore(e.amount)
    for i, x in enumerate(doc.reform_economy):
        path = f"$.reform_economy[{i}]"
        refs.check("area", x.director_area, f"{path}.director_area")
        last = x.last_year or x.year
        if last < x.year:
            refs.error(f"{path}.last_year", "Sidste år ligger før første år.")
        elif x.per_year is not None and (
            len(x.per_year) != last - x.year + 1
            or sum(to_ore(a) for a in x.per_year) != to_ore(x.expected)
        ):
            refs.error(
                f"{path}.per_year",
                "Angiv ét beløb for hvert år; tilsammen skal de give det forventede beløb.",
            )


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
    for i, k in enumerate(doc.activity_kinds):
        kind = ProjectActivityKind(project_id=project_id, name=k.name, position=i)
        session.add(kind)
        session.flush()
        refs.bind("activity_kind", k.key, kind.id)
        for column, ref_kind, field in TAGGED:
            for key in getattr(k, field):
                tag = ActivityKindTag(project_id=project_id, kind_id=stored_id(kind))
                setattr(tag, column, refs.id(ref_kind, key))
                session.add(tag)
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
            posts_only=g.posts_only,
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
            for key in c.activity_kinds:
                session.add(
                    GrantCategoryKind(
                        grant_id=grant_id,
                        category=c.category,
                        kind_id=refs.id("activity_kind", key),
                    )
                )
        for d in g.posts:
            post = FundedPost(
                project_id=project_id,
                grant_id=grant_id,
                title=d.title,
                first_date=d.first_date,
                last_date=d.last_date,
                hours_hundredths=None if d.hours is None else to_ore(d.hours),
                share_hundredths=None if d.share is None else to_ore(d.share),
                budget_ore=to_ore(d.budget),
                note=d.note,
            )
            session.add(post)
            session.flush()
            refs.bind("post", d.key, post.id)
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
        expense = expense_row(e, refs, project_id)
        session.add(expense)
        session.flush()
        refs.bind("expenditure", e.key, expense.id)
    for entry in doc.reform_economy:
        row = EconomyEntry(
            project_id=project_id,
            director_area_id=refs.id("area", entry.director_area),
            year=entry.year,
            last_year=entry.last_year,
            kind=entry.kind,
            description=entry.description,
            expected_ore=to_ore(entry.expected),
            realised_ore=None if entry.realised is None else to_ore(entry.realised),
            note=entry.note,
        )
        session.add(row)
        session.flush()
        for year, amount in enumerate(entry.per_year or [], entry.year):
            session.add(
                EconomyYear(entry_id=stored_id(row), year=year, expected_ore=to_ore(amount))
            )
    session.flush()
