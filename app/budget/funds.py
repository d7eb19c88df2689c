"""The funds (pools) that the project's grants are made from: reading, registering, changing
and deleting them. One commit per use case, at the end; a refusal raises before anything is
written."""

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget.models import Fund, Grant
from app.budget.money import to_ore
from app.budget.schemas import FundCreate, FundUpdate, clean
from app.danish import format_kr
from app.db import project_row
from app.errors import Conflict, Invalid, require_version

MISSING = "Puljen findes ikke i dette projekt."


def list_funds(*, session: Session, project_id: int) -> list[Fund]:
    """The project's funds, by name."""
    return list(
        session.exec(
            select(Fund).where(Fund.project_id == project_id).order_by(col(Fund.name), col(Fund.id))
        ).all()
    )


def get_fund(*, session: Session, project_id: int, fund_id: int) -> Fund:
    """A fund of this project, or NotFound."""
    return project_row(Fund, fund_id, session=session, project_id=project_id, missing=MISSING)


def create_fund(*, session: Session, by: Access, data: FundCreate) -> Fund:
    """Register a fund (pool) that grants are made from."""
    fund = Fund(
        project_id=by.project_id,
        name=data.name.strip(),
        grantor=data.grantor.strip(),
        pool_ore=to_ore(data.pool),
        allocation_note=data.allocation_note.strip(),
    )
    session.add(fund)
    session.flush()
    audit.log(session=session, by=by, action="created", row=fund)
    session.commit()
    return fund


def update_fund(*, session: Session, by: Access, fund_id: int, data: FundUpdate) -> Fund:
    """Change a fund; its pool may not fall below what the project's grants take from it."""
    fund = project_row(
        Fund, fund_id, session=session, project_id=by.project_id, missing=MISSING, lock=True
    )
    require_version(fund, data.version)
    before = audit.snapshot(fund)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "pool" in values:
        pool = to_ore(values.pop("pool"))
        granted = session.exec(
            select(func.coalesce(func.sum(Grant.amount_ore), 0)).where(Grant.fund_id == fund.id)
        ).one()
        if pool < granted:
            raise Invalid(
                f"Puljen ({format_kr(pool)}) kan ikke være mindre end de tilskud, projektet har "
                f"fra den ({format_kr(granted)}).",
                field="pool",
            )
        fund.pool_ore = pool
    for key, value in values.items():
        setattr(fund, key, clean(value))
    fund.version += 1
    audit.log(session=session, by=by, action="updated", row=fund, before=before)
    session.commit()
    return fund


def delete_fund(*, session: Session, by: Access, fund_id: int, version: int | None) -> None:
    """Delete a fund that no grant comes from."""
    fund = project_row(
        Fund, fund_id, session=session, project_id=by.project_id, missing=MISSING, lock=True
    )
    require_version(fund, version)
    if session.exec(select(Grant.id).where(Grant.fund_id == fund_id)).first() is not None:
        raise Conflict("Puljen har tilskud og kan ikke slettes. Slet eller flyt tilskuddene først.")
    before = audit.snapshot(fund)
    session.delete(fund)
    audit.log(session=session, by=by, action="deleted", row=fund, before=before)
    session.commit()
