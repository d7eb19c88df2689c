"""The register of the reform's economy: expected and realised costs and savings per director
area and year, which the steering group keeps an overview of. An entry may cover several years
("budget 2016–2019"): its amounts are shown per year, split evenly in øre (the øre left over go
to the earliest years, one each) unless the expected amount is given per year."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget.models import EconomyEntry, EconomyKind, EconomyYear
from app.budget.money import to_ore
from app.budget.schemas import EconomyCreate, EconomyUpdate, clean
from app.danish import format_kr
from app.db import project_row
from app.errors import Invalid, require_version
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


def split_evenly(total_ore: int, parts: int) -> list[int]:
    """`total_ore` in `parts` whole-øre shares that add up to it exactly; the øre left over go
    one each to the first shares (a negative total mirrors a positive one)."""
    if parts < 1:
        return []
    sign = -1 if total_ore < 0 else 1
    base, rest = divmod(abs(total_ore), parts)
    return [sign * (base + (1 if i < rest else 0)) for i in range(parts)]


def years_of(entry: EconomyEntry) -> list[int]:
    """The years an entry covers."""
    return list(range(entry.year, (entry.last_year or entry.year) + 1))


@dataclass(frozen=True)
class YearAmount:
    year: int
    expected_ore: int
    realised_ore: int | None


def per_year(entry: EconomyEntry, given: list[EconomyYear] | None = None) -> list[YearAmount]:
    """An entry's expected and realised amounts in each of its years: the expected amounts as
    given per year, else split evenly; the realised amount split evenly."""
    years = years_of(entry)
    by_year = {y.year: y.expected_ore for y in given or []}
    expected = (
        [by_year.get(y, 0) for y in years]
        if by_year
        else split_evenly(entry.expected_ore, len(years))
    )
    realised: list[int | None] = (
        [None] * len(years)
        if entry.realised_ore is None
        else list(split_evenly(entry.realised_ore, len(years)))
    )
    return [YearAmount(y, e, r) for y, e, r in zip(years, expected, realised, strict=True)]


def given_years(*, session: Session, entry_ids: list[int]) -> dict[int, list[EconomyYear]]:
    """The amounts given per year, per entry (one query)."""
    found: dict[int, list[EconomyYear]] = {i: [] for i in entry_ids}
    if entry_ids:
        for y in session.exec(
            select(EconomyYear)
            .where(col(EconomyYear.entry_id).in_(entry_ids))
            .order_by(col(EconomyYear.year))
        ):
            found[y.entry_id].append(y)
    return found


def entries_per_year(
    *, session: Session, entries: list[EconomyEntry]
) -> dict[int, list[YearAmount]]:
    """Each entry's amounts per year (by entry id)."""
    # Only an entry over several years can have amounts given per year.
    given = given_years(session=session, entry_ids=[e.id for e in entries if e.id and e.last_year])
    return {e.id or 0: per_year(e, given.get(e.id or 0)) for e in entries}


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
    entries = list_economy(session=session, project_id=project_id, areas=areas)
    amounts = entries_per_year(session=session, entries=entries)
    positions = {a.id: a.position for a in areas}
    for e in entries:
        for part in amounts[e.id or 0]:
            row = rows.setdefault(
                (part.year, e.director_area_id),
                EconomyRow(part.year, names.get(e.director_area_id, "")),
            )
            row.has_realised = row.has_realised or part.realised_ore is not None
            if e.kind == EconomyKind.cost:
                row.expected_cost_ore += part.expected_ore
                row.realised_cost_ore += part.realised_ore or 0
            else:
                row.expected_saving_ore += part.expected_ore
                row.realised_saving_ore += part.realised_ore or 0
    order = sorted(rows, key=lambda key: (key[0], positions.get(key[1], 0), key[1]))
    return [rows[key] for key in order]


def _check_area(*, session: Session, project_id: int, area_id: int) -> None:
    project_row(
        DirectorArea,
        area_id,
        session=session,
        project_id=project_id,
        missing="Direktørområdet findes ikke i dette projekt.",
        field="director_area_id",
    )


def _years(
    entry: EconomyEntry, amounts: list[Decimal] | None, *, expected_sent: bool
) -> list[int] | None:
    """Check an entry's years and the amounts given per year (None: split evenly); with
    amounts per year, the expected amount is their sum."""
    if entry.last_year is not None and entry.last_year < entry.year:
        raise Invalid(
            f"Sidste år ({entry.last_year}) ligger før første år ({entry.year}).",
            field="last_year",
        )
    if entry.last_year == entry.year:
        entry.last_year = None
    if not amounts:
        return None
    years = years_of(entry)
    if len(amounts) != len(years):
        raise Invalid(
            f"Angiv ét beløb for hvert af årene {years[0]}–{years[-1]} ({len(years)} beløb, "
            f"ikke {len(amounts)}).",
            field="per_year",
        )
    ore = [to_ore(a) for a in amounts]
    if expected_sent and entry.expected_ore not in (0, sum(ore)):
        raise Invalid(
            f"Beløbene pr. år giver {format_kr(sum(ore))}, ikke det forventede beløb "
            f"{format_kr(entry.expected_ore)}.",
            field="per_year",
        )
    entry.expected_ore = sum(ore)
    return ore


def _store_years(*, session: Session, entry: EconomyEntry, ore: list[int] | None) -> None:
    for old in session.exec(select(EconomyYear).where(EconomyYear.entry_id == entry.id)):
        session.delete(old)
    session.flush()
    for year, amount in zip(years_of(entry), ore or [], strict=False):
        session.add(EconomyYear(entry_id=entry.id or 0, year=year, expected_ore=amount))


def _snapshot(*, session: Session, entry: EconomyEntry) -> dict[str, Any]:
    """The entry and its amounts per year, for the audit: money moved between years with the
    same total shows there."""
    given = session.exec(select(EconomyYear).where(EconomyYear.entry_id == entry.id)).all()
    return audit.snapshot(entry) | {
        "per_year": [
            {"year": p.year, "expected_ore": p.expected_ore, "realised_ore": p.realised_ore}
            for p in per_year(entry, list(given))
        ]
    }


def _log(
    *,
    session: Session,
    by: Access,
    action: str,
    entry: EconomyEntry,
    before: dict[str, Any] | None,
) -> None:
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action=action,
        entity=str(EconomyEntry.__tablename__),
        entity_id=entry.id,
        project_id=by.project_id,
        before=before,
        after=None if action == "deleted" else _snapshot(session=session, entry=entry),
    )


def create_economy_entry(*, session: Session, by: Access, data: EconomyCreate) -> EconomyEntry:
    """Register an expected cost or saving of the reform, for a year or several."""
    _check_area(session=session, project_id=by.project_id, area_id=data.director_area_id)
    entry = EconomyEntry(
        project_id=by.project_id,
        director_area_id=data.director_area_id,
        year=data.year,
        last_year=data.last_year,
        kind=data.kind,
        description=data.description.strip(),
        expected_ore=to_ore(data.expected),
        realised_ore=None if data.realised is None else to_ore(data.realised),
        note=data.note.strip(),
    )
    ore = _years(entry, data.per_year, expected_sent="expected" in data.model_fields_set)
    session.add(entry)
    session.flush()
    _store_years(session=session, entry=entry, ore=ore)
    _log(session=session, by=by, action="created", entry=entry, before=None)
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
    require_version(entry, data.version)
    before = _snapshot(session=session, entry=entry)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if values.get("director_area_id") is not None:
        _check_area(session=session, project_id=by.project_id, area_id=values["director_area_id"])
    if "expected" in values:
        entry.expected_ore = to_ore(values.pop("expected") or Decimal(0))
    if "realised" in values:
        realised = values.pop("realised")
        entry.realised_ore = None if realised is None else to_ore(realised)
    amounts = values.pop("per_year", None)
    old_years = years_of(entry)
    for key, value in values.items():
        if value is None and key in ("director_area_id", "year", "kind", "description"):
            continue
        setattr(entry, key, clean(value))
    ore = _years(entry, amounts, expected_sent="expected" in data.model_fields_set)
    if ore is not None or years_of(entry) != old_years or "expected" in data.model_fields_set:
        # New years or a new total: the amounts given per year no longer hold (split evenly).
        _store_years(session=session, entry=entry, ore=ore)
    entry.version += 1
    _log(session=session, by=by, action="updated", entry=entry, before=before)
    session.commit()
    return entry


def delete_economy_entry(
    *, session: Session, by: Access, entry_id: int, version: int | None
) -> None:
    """Remove an economy entry."""
    entry = project_row(
        EconomyEntry,
        entry_id,
        session=session,
        project_id=by.project_id,
        missing=MISSING,
        lock=True,
    )
    require_version(entry, version)
    before = _snapshot(session=session, entry=entry)
    _store_years(session=session, entry=entry, ore=None)
    session.delete(entry)
    _log(session=session, by=by, action="deleted", entry=entry, before=before)
    session.commit()
