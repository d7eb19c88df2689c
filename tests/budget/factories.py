"""Budget factories: the seed's grant (461.474 kr., 27.11.2012–01.07.2013) and small helpers."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.auth.models import User
from app.auth.service import Access, access_for
from app.budget import expenditures, grants
from app.budget.models import CostCategory, Fund, Grant
from app.budget.schemas import ExpenditureCreate, GrantCreate
from app.governance.models import Project

PURPOSES = [
    "Et godt samarbejde i rehabiliteringsteamet på tværs af forvaltningerne",
    "Opfølgning i sager om ressourceforløb på, om teamets anbefalede indsats gennemføres",
    "Et godt samarbejde med sundhedsvæsenet: klinisk funktion og praktiserende læger",
]
TRANSPORT_CONDITION = (
    "Kun transport i forbindelse med centrale projektaktiviteter såsom "
    "workshops, netværksmøder og seminarer."
)


def access(session: Session, user: User, project: Project) -> Access:
    return access_for(session=session, user=user, project_id=project.id)


def make_fund(session: Session, project: Project, **overrides: Any) -> Fund:
    values: dict[str, Any] = {
        "name": "Særlige puljemidler til reformen",
        "grantor": "Forebyggelsesfonden",
        "pool_ore": 3_500_000_000,
    }
    values |= overrides
    fund = Fund(project_id=project.id, **values)
    session.add(fund)
    session.commit()
    return fund


def make_grant(session: Session, by: Access, **overrides: Any) -> Grant:
    """The seed's grant through the service (so its rules are stored as the app stores them)."""
    values: dict[str, Any] = {
        "name": "Puljemidler til implementering af reformen",
        "amount": "461474.00",
        "first_date": date(2012, 11, 27),
        "last_date": date(2013, 7, 1),
        "report_due_date": date(2013, 10, 1),
        "eligible_categories": [
            {"category": "staff_buyout"},
            {"category": "consultancy"},
            {"category": "transport", "condition": TRANSPORT_CONDITION},
        ],
        "purposes": PURPOSES,
    }
    values |= overrides
    return grants.create_grant(
        session=session, by=by, data=GrantCreate.model_validate(values)
    ).grant


def expense_data(grant: Grant | None, **overrides: Any) -> ExpenditureCreate:
    values: dict[str, Any] = {
        "grant_id": grant.id if grant else None,
        "date": "2013-02-15",
        "amount": "10000.00",
        "category": CostCategory.consultancy,
        "description": "Konsulent faciliterer teamets samarbejde",
        "supplier": "Konsulenthuset ApS",
    }
    values |= overrides
    return ExpenditureCreate.model_validate(values)


def first_purpose_id(session: Session, grant: Grant) -> int:
    view = grants.get_grant(session=session, project_id=grant.project_id, grant_id=grant.id)
    return view.purposes[0].id


def record(session: Session, by: Access, grant: Grant | None, **overrides: Any):
    if grant is not None and "purpose_id" not in overrides:
        overrides["purpose_id"] = first_purpose_id(session, grant)
    return expenditures.record_expenditure(
        session=session, by=by, data=expense_data(grant, **overrides)
    )


def kr(text: str) -> Decimal:
    return Decimal(text)
