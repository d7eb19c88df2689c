"""API of the budget: funds, grants with their rules, budget lines, expenditures, the grant's
summary and burn chart, the grant accounting as xlsx and pdf, and the reform economy.
Everyone on the project reads; only the project leader (and an administrator) writes."""

from typing import Any

from fastapi import APIRouter, Response

from app import clock
from app.budget import (
    charts,
    economy,
    expenditures,
    funds,
    grants,
    lines,
    overview,
    statements,
)
from app.budget.models import CATEGORY_LABELS, CostCategory, EconomyEntry, Fund
from app.budget.models import BudgetLine as BudgetLineRow
from app.budget.money import ore_str
from app.budget.schemas import (
    BudgetLineCreate,
    BudgetLinePublic,
    BudgetLineUpdate,
    CategoryPublic,
    EconomyCreate,
    EconomyPublic,
    EconomyUpdate,
    EconomyYearPublic,
    ExpenditureCreate,
    ExpenditurePublic,
    ExpenditureUpdate,
    ExplanationIn,
    ExplanationPublic,
    ForecastPublic,
    FundCreate,
    FundPublic,
    FundUpdate,
    GrantCreate,
    GrantPublic,
    GrantSummaryPublic,
    GrantUpdate,
    LineSummary,
    PurposePublic,
)
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.inputs import AsOf
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["budget"])
BASE = "/projects/{project_id}"


# Converters --------------------------------------------------------------------------------


def fund_public(fund: Fund) -> FundPublic:
    return FundPublic(
        id=fund.id or 0,
        name=fund.name,
        grantor=fund.grantor,
        pool=ore_str(fund.pool_ore) or "0.00",
        allocation_note=fund.allocation_note,
        version=fund.version,
    )


def grant_public(view: grants.GrantView) -> GrantPublic:
    g = view.grant
    return GrantPublic(
        id=g.id or 0,
        fund_id=g.fund_id,
        fund_name=view.fund.name if view.fund else None,
        name=g.name,
        reference=g.reference,
        amount=ore_str(g.amount_ore) or "0.00",
        first_date=g.first_date,
        last_date=g.last_date,
        report_due_date=g.report_due_date,
        eligible_categories=[
            CategoryPublic(
                category=c.category,
                label=CATEGORY_LABELS[c.category],
                condition=c.condition,
                activity_kind_ids=list(view.kinds.get(c.category, {})),
                activity_kinds=view.kind_names(c.category),
            )
            for c in view.categories
        ],
        purposes=[PurposePublic(id=p.id or 0, text=p.text) for p in view.purposes],
        other_rules=g.other_rules,
        posts_only=g.posts_only,
        version=g.version,
    )


def line_public(line: BudgetLineRow) -> BudgetLinePublic:
    return BudgetLinePublic(
        id=line.id or 0,
        grant_id=line.grant_id,
        category=line.category,
        purpose_id=line.purpose_id,
        group_id=line.group_id,
        month=line.month_date,
        amount=ore_str(line.amount_ore) or "0.00",
        note=line.note,
        version=line.version,
    )


def economy_public(e: EconomyEntry, years: list[economy.YearAmount]) -> EconomyPublic:
    return EconomyPublic(
        id=e.id or 0,
        director_area_id=e.director_area_id,
        year=e.year,
        last_year=e.last_year or e.year,
        years=[
            EconomyYearPublic(
                year=y.year,
                expected=ore_str(y.expected_ore) or "0.00",
                realised=ore_str(y.realised_ore),
            )
            for y in years
        ],
        kind=e.kind,
        description=e.description,
        expected=ore_str(e.expected_ore) or "0.00",
        realised=ore_str(e.realised_ore),
        note=e.note,
        version=e.version,
    )


def _line_summary(line: overview.Line) -> LineSummary:
    return LineSummary(
        key=line.key,
        label=line.label,
        granted=ore_str(line.budget_ore) or "",
        spent=ore_str(line.paid_ore) or "",
        committed=ore_str(line.committed_ore) or "",
        remaining=ore_str(line.remaining_ore) or "",
    )


def summary_public(s: overview.GrantSummary) -> GrantSummaryPublic:
    g = s.view.grant
    return GrantSummaryPublic(
        grant_id=g.id or 0,
        name=g.name,
        as_of=s.as_of,
        first_date=g.first_date,
        last_date=g.last_date,
        granted=ore_str(s.granted_ore) or "",
        budgeted=ore_str(s.budgeted_ore) or "",
        spent=ore_str(s.paid_ore) or "",
        committed=ore_str(s.committed_ore) or "",
        remaining=ore_str(s.remaining_ore) or "",
        categories=[_line_summary(line) for line in s.categories],
        groups=[_line_summary(line) for line in s.groups],
        purposes=[_line_summary(line) for line in s.purposes],
        posts=[_line_summary(line) for line in s.posts],
        forecast=ForecastPublic(
            projected=ore_str(s.forecast.projected_ore) or "",
            unused=ore_str(s.forecast.unused_ore) or "",
            runs_out_date=s.forecast.runs_out_date,
        )
        if s.forecast
        else None,
        warnings=[w.text for w in s.warnings],
    )


# Funds -------------------------------------------------------------------------------------


@router.get(BASE + "/funds", response_model=list[FundPublic])
def list_funds(access: ProjectAccess, session: SessionDep, page: PageOf) -> list[FundPublic]:
    """The funds (pools) the project's grants come from."""
    found = funds.list_funds(session=session, project_id=access.project_id)
    return [fund_public(f) for f in page.slice(found)]


@router.post(BASE + "/funds", response_model=FundPublic, status_code=201)
def create_fund(data: FundCreate, access: ProjectLeader, session: SessionDep) -> FundPublic:
    """Register a fund."""
    return fund_public(funds.create_fund(session=session, by=access, data=data))


@router.patch(BASE + "/funds/{fund_id}", response_model=FundPublic)
def update_fund(
    fund_id: int, data: FundUpdate, access: ProjectLeader, session: SessionDep
) -> FundPublic:
    """Change a fund."""
    return fund_public(funds.update_fund(session=session, by=access, fund_id=fund_id, data=data))


@router.delete(BASE + "/funds/{fund_id}", status_code=204)
def delete_fund(
    fund_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a fund no grant comes from."""
    funds.delete_fund(session=session, by=access, fund_id=fund_id, version=expected)
    return Response(status_code=204)


# Grants ------------------------------------------------------------------------------------


@router.get(BASE + "/grants", response_model=list[GrantPublic])
def list_grants(access: ProjectAccess, session: SessionDep, page: PageOf) -> list[GrantPublic]:
    """The project's grants, each with its eligible categories and purposes."""
    found = grants.list_grants(session=session, project_id=access.project_id)
    return [grant_public(v) for v in page.slice(found)]


@router.post(BASE + "/grants", response_model=GrantPublic, status_code=201)
def create_grant(data: GrantCreate, access: ProjectLeader, session: SessionDep) -> GrantPublic:
    """Register a grant with its rules."""
    return grant_public(grants.create_grant(session=session, by=access, data=data))


@router.get(BASE + "/grants/{grant_id}", response_model=GrantPublic)
def get_grant(grant_id: int, access: ProjectAccess, session: SessionDep) -> GrantPublic:
    """One grant with its rules."""
    return grant_public(
        grants.get_grant(session=session, project_id=access.project_id, grant_id=grant_id)
    )


@router.patch(BASE + "/grants/{grant_id}", response_model=GrantPublic)
def update_grant(
    grant_id: int, data: GrantUpdate, access: ProjectLeader, session: SessionDep
) -> GrantPublic:
    """Change a grant's terms (refused when recorded spending would break them)."""
    return grant_public(
        grants.update_grant(session=session, by=access, grant_id=grant_id, data=data)
    )


@router.delete(BASE + "/grants/{grant_id}", status_code=204)
def delete_grant(
    grant_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a grant on which nothing is spent."""
    grants.delete_grant(session=session, by=access, grant_id=grant_id, version=expected)
    return Response(status_code=204)


@router.get(BASE + "/grants/{grant_id}/summary", response_model=GrantSummaryPublic)
def grant_summary(
    grant_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> GrantSummaryPublic:
    """Granted, spent, committed and remaining (in total and per category, group, purpose and
    funded post), the forecast and the warnings, on a date (today by default)."""
    return summary_public(
        overview.grant_summary(
            session=session,
            project_id=access.project_id,
            grant_id=grant_id,
            as_of=as_of or clock.today(),
        )
    )


@router.get(BASE + "/grants/{grant_id}/burn-chart")
def burn_chart(
    grant_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> dict[str, Any]:
    """The burn chart as a Plotly figure."""
    summary = overview.grant_summary(
        session=session,
        project_id=access.project_id,
        grant_id=grant_id,
        as_of=as_of or clock.today(),
    )
    return charts.burn_chart(summary.burn)


def _statement(session: SessionDep, access: ProjectAccess, grant_id: int) -> overview.Statement:
    return overview.statement(
        session=session, project_id=access.project_id, grant_id=grant_id, made_date=clock.today()
    )


@router.get(BASE + "/grants/{grant_id}/statement.xlsx")
def statement_xlsx(grant_id: int, access: ProjectAccess, session: SessionDep) -> Response:
    """The grant accounting as an Excel workbook."""
    st = _statement(session, access, grant_id)
    return Response(
        statements.statement_xlsx(st),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{statements.filename(st, "xlsx")}"'
        },
    )


@router.get(BASE + "/grants/{grant_id}/statement.pdf")
def statement_pdf(grant_id: int, access: ProjectAccess, session: SessionDep) -> Response:
    """The grant accounting as a PDF."""
    st = _statement(session, access, grant_id)
    return Response(
        statements.statement_pdf(st),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{statements.filename(st, "pdf")}"'},
    )


@router.put(BASE + "/grants/{grant_id}/explanations/{category}", response_model=ExplanationPublic)
def set_explanation(
    grant_id: int,
    category: CostCategory,
    data: ExplanationIn,
    access: ProjectLeader,
    session: SessionDep,
) -> ExplanationPublic:
    """Write the explanation of a category's deviation from the approved budget."""
    note = grants.set_explanation(
        session=session, by=access, grant_id=grant_id, category=category, data=data
    )
    return ExplanationPublic(
        grant_id=note.grant_id, category=note.category, text=note.text, version=note.version
    )


# Budget lines ------------------------------------------------------------------------------


@router.get(BASE + "/budget-lines", response_model=list[BudgetLinePublic])
def list_budget_lines(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    grant_id: int | None = None,
    own: bool = False,
) -> list[BudgetLinePublic]:
    """Budget lines: all, of one grant (grant_id), or of own financing (own=true)."""
    return [
        line_public(line)
        for line in page.slice(
            lines.list_budget_lines(
                session=session, project_id=access.project_id, grant_id=grant_id, own=own
            )
        )
    ]


@router.post(BASE + "/budget-lines", response_model=BudgetLinePublic, status_code=201)
def create_budget_line(
    data: BudgetLineCreate, access: ProjectLeader, session: SessionDep
) -> BudgetLinePublic:
    """Plan an amount for a category in a month."""
    return line_public(lines.create_budget_line(session=session, by=access, data=data))


@router.patch(BASE + "/budget-lines/{line_id}", response_model=BudgetLinePublic)
def update_budget_line(
    line_id: int, data: BudgetLineUpdate, access: ProjectLeader, session: SessionDep
) -> BudgetLinePublic:
    """Change a budget line."""
    return line_public(
        lines.update_budget_line(session=session, by=access, line_id=line_id, data=data)
    )


@router.delete(BASE + "/budget-lines/{line_id}", status_code=204)
def delete_budget_line(
    line_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Remove a budget line."""
    lines.delete_budget_line(session=session, by=access, line_id=line_id, version=expected)
    return Response(status_code=204)


# Expenditures ------------------------------------------------------------------------------


@router.get(BASE + "/expenditures", response_model=list[ExpenditurePublic])
def list_expenditures(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    grant_id: int | None = None,
    own: bool = False,
) -> list[ExpenditurePublic]:
    """Expenditures by date: all, of one grant (grant_id), or on own financing (own=true);
    paginated (total in the X-Total-Count header)."""
    rows, total = expenditures.page_of_expenditures(
        session=session,
        project_id=access.project_id,
        grant_id=grant_id,
        own=own,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [ExpenditurePublic.of(e) for e in rows]


@router.post(BASE + "/expenditures", response_model=ExpenditurePublic, status_code=201)
def record_expenditure(
    data: ExpenditureCreate, access: ProjectLeader, session: SessionDep
) -> ExpenditurePublic:
    """Record an expense; 422 with the Danish message of the grant rule it breaks."""
    return ExpenditurePublic.of(
        expenditures.record_expenditure(session=session, by=access, data=data)
    )


@router.get(BASE + "/expenditures/{expenditure_id}", response_model=ExpenditurePublic)
def get_expenditure(
    expenditure_id: int, access: ProjectAccess, session: SessionDep
) -> ExpenditurePublic:
    """One expense."""
    return ExpenditurePublic.of(
        expenditures.get_expenditure(
            session=session, project_id=access.project_id, expenditure_id=expenditure_id
        )
    )


@router.patch(BASE + "/expenditures/{expenditure_id}", response_model=ExpenditurePublic)
def update_expenditure(
    expenditure_id: int, data: ExpenditureUpdate, access: ProjectLeader, session: SessionDep
) -> ExpenditurePublic:
    """Edit an expense; checked against the grant's rules like a new one."""
    return ExpenditurePublic.of(
        expenditures.update_expenditure(
            session=session, by=access, expenditure_id=expenditure_id, data=data
        )
    )


@router.delete(BASE + "/expenditures/{expenditure_id}", status_code=204)
def delete_expenditure(
    expenditure_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete an expense recorded in error."""
    expenditures.delete_expenditure(
        session=session, by=access, expenditure_id=expenditure_id, version=expected
    )
    return Response(status_code=204)


# Reform economy ----------------------------------------------------------------------------


@router.get(BASE + "/economy", response_model=list[EconomyPublic])
def list_economy(access: ProjectAccess, session: SessionDep, page: PageOf) -> list[EconomyPublic]:
    """The register of the reform's expected and realised costs and savings."""
    entries = page.slice(economy.list_economy(session=session, project_id=access.project_id))
    years = economy.entries_per_year(session=session, entries=entries)
    return [economy_public(e, years[e.id or 0]) for e in entries]


def _economy_public(session: SessionDep, entry: EconomyEntry) -> EconomyPublic:
    years = economy.entries_per_year(session=session, entries=[entry])
    return economy_public(entry, years[entry.id or 0])


@router.post(BASE + "/economy", response_model=EconomyPublic, status_code=201)
def create_economy_entry(
    data: EconomyCreate, access: ProjectLeader, session: SessionDep
) -> EconomyPublic:
    """Register an expected cost or saving, for a year or for the years `year` to `last_year`
    (split evenly unless `per_year` gives the expected amount of each)."""
    return _economy_public(
        session, economy.create_economy_entry(session=session, by=access, data=data)
    )


@router.patch(BASE + "/economy/{entry_id}", response_model=EconomyPublic)
def update_economy_entry(
    entry_id: int, data: EconomyUpdate, access: ProjectLeader, session: SessionDep
) -> EconomyPublic:
    """Change an entry, e.g. record what was realised."""
    return _economy_public(
        session,
        economy.update_economy_entry(session=session, by=access, entry_id=entry_id, data=data),
    )


@router.delete(BASE + "/economy/{entry_id}", status_code=204)
def delete_economy_entry(
    entry_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Remove an entry."""
    economy.delete_economy_entry(session=session, by=access, entry_id=entry_id, version=expected)
    return Response(status_code=204)
