"""The register of the reform's economy: expected and realised costs and savings per director
area and year, which the steering group keeps an overview of."""

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget.models import EconomyEntry, EconomyKind
from app.budget.money import to_ore
from app.budget.schemas import EconomyCreate, EconomyUpdate, clean
from app.db import project_row
from app.errors import check_version
from app.governance.models import DirectorArea

MISSING = "Posten findes ikke i reformøkonomien."


def list_economy(
    *, session: Session, project_id: int, areas: list[DirectorArea] | None = None
) -> list[EconomyEntry]:
    """The register of the reform's economy, by year, director area and kind (the project's
    director areas may be given when already loaded)."""
    if areas is None:
        areas = list(
            session.exec(select(DirectorArea).where(DirectorArea.project_id == project_id))
        )
    positions = {a.id: a.position for a in areas}
    rows = session.exec(select(EconomyEntry).where(EconomyEntry.project_id == project_id)).all()
    return sorted(rows, key=lambda e: (e.year, positions.get(e.director_area_id, 0), e.kind, e.id))


def director_areas(*, session: Session, project_id: int) -> list[DirectorArea]:
    """The project's director areas, in their set order."""
    return list(
        session.exec(
            select(DirectorArea)
            .where(DirectorArea.project_id == project_id)
            .order_by(col(DirectorArea.position), col(DirectorArea.id))
        ).all()
    )


@dataclass
class EconomyRow:
    year: int
    area: str
    expected_cost_ore: int = 0
    expected_saving_ore: int = 0
    realised_cost_ore: int = 0
    realised_saving_ore: int = 0
    has_realised: bool = False

    @property
    def expected_net_ore(self) -> int:
        return self.expected_saving_ore - self.expected_cost_ore

    @property
    def realised_net_ore(self) -> int:
        return self.realised_saving_ore - self.realised_cost_ore


def economy_overview(*, session: Session, project_id: int) -> list[EconomyRow]:
    """Expected and realised costs and savings per year and director area."""
    areas = director_areas(session=session, project_id=project_id)
    names = {a.id: a.name for a in areas}
    rows: dict[tuple[int, int], EconomyRow] = {}
    for e in list_economy(session=session, project_id=project_id, areas=areas):
        row = rows.setdefault(
            (e.year, e.director_area_id), EconomyRow(e.year, names.get(e.director_area_id, ""))
        )
        row.has_realised = row.has_realised or e.realised_ore is not None
        if e.kind == EconomyKind.cost:
            row.expected_cost_ore += e.expected_ore
            row.realised_cost_ore += e.realised_ore or 0
        else:
            row.expected_saving_ore += e.expected_ore
            row.realised_saving_ore += e.realised_ore or 0
    return list(rows.values())


def _check_area(*, session: Session, project_id: int, area_id: int) -> None:
    project_row(
        DirectorArea,
        area_id,
        session=session,
        project_id=project_id,
        missing="Direktørområdet findes ikke i dette projekt.",
        field="director_area_id",
    )


def create_economy_entry(*, session: Session, by: Access, data: EconomyCreate) -> EconomyEntry:
    """Register an expected cost or saving of the reform."""
    _check_area(session=session, project_id=by.project_id, area_id=data.director_area_id)
    entry = EconomyEntry(
        project_id=by.project_id,
        director_area_id=data.director_area_id,
        year=data.year,
        kind=data.kind,
        description=data.description.strip(),
        expected_ore=to_ore(data.expected),
        realised_ore=None if data.realised is None else to_ore(data.realised),
        note=data.note.strip(),
    )
    session.add(entry)
    session.flush()
    audit.log(session=session, by=by, action="created", row=entry)
    session.commit()
    return entry


def update_economy_entry(
    *, session: Session, by: Access, entry_id: int, data: EconomyUpdate
) -> EconomyEntry:
    """Change an economy entry, e.g. record what was realised."""
    entry = project_row(
        EconomyEntry,
        entry_id,
        session=session,
        project_id=by.project_id,
        missing=MISSING,
        lock=True,
    )
    check_version(entry, data.version)
    before = audit.snapshot(entry)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if values.get("director_area_id") is not None:
        _check_area(session=session, project_id=by.project_id, area_id=values["director_area_id"])
    if "expected" in values:
        entry.expected_ore = to_ore(values.pop("expected") or Decimal(0))
    if "realised" in values:
        realised = values.pop("realised")
        entry.realised_ore = None if realised is None else to_ore(realised)
    for key, value in values.items():
        if value is None and key in ("director_area_id", "year", "kind", "description"):
            continue
        setattr(entry, key, clean(value))
    entry.version += 1
    audit.log(session=session, by=by, action="updated", row=entry, before=before)
    session.commit()
    return entry


def delete_economy_entry(*, session: Session, by: Access, entry_id: int) -> None:
    """Remove an economy entry."""
    entry = project_row(
        EconomyEntry, entry_id, session=session, project_id=by.project_id, missing=MISSING
    )
    before = audit.snapshot(entry)
    session.delete(entry)
    audit.log(session=session, by=by, action="deleted", row=entry, before=before)
    session.commit()
