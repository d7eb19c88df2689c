"""Risk and indicator factories: rows straight into the database, and Access for a world user."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.auth.service import Access, access_for
from app.governance.models import Project
from app.risks.models import Indicator, Measurement, RaidItem
from app.risks.rules import Direction, Frequency, RaidKind
from tests.factories import ProjectWorld


def access(session: Session, world: ProjectWorld, name: str) -> Access:
    return access_for(session=session, user=world.users[name], project_id=world.project.id)


def make_item(session: Session, project: Project, **overrides: Any) -> RaidItem:
    values: dict[str, Any] = {
        "kind": RaidKind.risk,
        "title": "Loven vedtages for sent",
        "probability": 3,
        "consequence": 4,
    }
    values |= overrides
    item = RaidItem(project_id=project.id, **values)
    session.add(item)
    session.commit()
    return item


def make_indicator(session: Session, project: Project, **overrides: Any) -> Indicator:
    values: dict[str, Any] = {
        "name": "Afholdte møder i rehabiliteringsteamet",
        "unit": "møder",
        "direction": Direction.higher_is_better,
        "baseline_value": Decimal("0"),
        "baseline_date": date(2013, 1, 1),
        "target_value": Decimal("4"),
        "target_date": date(2014, 12, 31),
        "frequency": Frequency.monthly,
    }
    values |= overrides
    indicator = Indicator(project_id=project.id, **values)
    session.add(indicator)
    session.commit()
    return indicator


def make_measurement(session: Session, indicator: Indicator, **overrides: Any) -> Measurement:
    values: dict[str, Any] = {
        "measured_date": date(2013, 1, 31),
        "value": Decimal("2"),
        "recorded_by_name": "Test Bruger",
    }
    values |= overrides
    measurement = Measurement(indicator_id=indicator.id, **values)
    session.add(measurement)
    session.commit()
    return measurement
