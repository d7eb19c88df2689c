"""What the stakeholder pages show, each read in one call: the analysis (every stakeholder with
its strategy, quadrant, responsible group and where it belongs; the grid's placements; who
moved) and one stakeholder with its history and communication actions."""

from dataclasses import dataclass

from sqlmodel import Session

from app.auth.service import Access
from app.governance.bodies import implementation_groups
from app.stakeholders import communication, rules, service
from app.stakeholders.models import Stakeholder, StakeholderPosition, Strategy


@dataclass(frozen=True)
class StakeholderLine:
    """A stakeholder with what is derived from it: its strategy (overridden or its quadrant's),
    its quadrant, its responsible group's name and where it belongs (its director area, else its
    organisation)."""

    stakeholder: Stakeholder
    strategy: Strategy
    quadrant: Strategy
    group: str
    belongs_to: str


def _line(
    stakeholder: Stakeholder, *, groups: dict[int, str], areas: dict[int, str]
) -> StakeholderLine:
    return StakeholderLine(
        stakeholder=stakeholder,
        strategy=rules.strategy_of(stakeholder),
        quadrant=rules.quadrant(influence=stakeholder.influence, interest=stakeholder.interest),
        group=groups.get(stakeholder.group_id or 0, ""),
        belongs_to=areas.get(stakeholder.director_area_id or 0, "") or stakeholder.organisation,
    )


def _names(*, session: Session, project_id: int) -> tuple[dict[int, str], dict[int, str]]:
    """The names of the project's implementation groups and of its director areas, by id."""
    groups = {
        g.id: g.name
        for g in implementation_groups(session=session, project_id=project_id)
        if g.id is not None
    }
    areas = {
        a.id: a.name
        for a in service.director_areas(session=session, project_id=project_id)
        if a.id is not None
    }
    return groups, areas


@dataclass(frozen=True)
class Analysis:
    """The stakeholder analysis: the stakeholders by name, their placements and who moved."""

    lines: list[StakeholderLine]
    histories: dict[int, list[StakeholderPosition]]
    moves: list[service.Move]

    @property
    def stakeholders(self) -> list[Stakeholder]:
        return [line.stakeholder for line in self.lines]


def analysis(*, session: Session, project_id: int) -> Analysis:
    """The project's stakeholder analysis."""
    stakeholders = service.list_stakeholders(session=session, project_id=project_id)
    histories = service.histories(session=session, project_id=project_id)
    groups, areas = _names(session=session, project_id=project_id)
    return Analysis(
        lines=[_line(s, groups=groups, areas=areas) for s in stakeholders],
        histories=histories,
        moves=service.moves_of(stakeholders=stakeholders, histories=histories),
    )


@dataclass(frozen=True)
class StakeholderPage:
    """One stakeholder with its placements (oldest first), its communication actions and the
    ids of those actions `by` may change."""

    line: StakeholderLine
    history: list[StakeholderPosition]
    actions: list[communication.ActionView]
    editable_actions: set[int | None]


def stakeholder_page(*, session: Session, by: Access, stakeholder_id: int) -> StakeholderPage:
    """A stakeholder of `by`'s project as its page shows it, or NotFound."""
    project_id = by.project_id
    stakeholder = service.get_stakeholder(
        session=session, project_id=project_id, stakeholder_id=stakeholder_id
    )
    groups, areas = _names(session=session, project_id=project_id)
    actions = communication.communication_actions(
        session=session, project_id=project_id, stakeholder_id=stakeholder_id
    )
    return StakeholderPage(
        line=_line(stakeholder, groups=groups, areas=areas),
        history=service.position_history(session=session, stakeholder_id=stakeholder_id),
        actions=actions,
        editable_actions={
            v.action.id
            for v in actions
            if communication.may_edit_action(
                by=by, stakeholder=stakeholder, group_id=v.action.group_id
            )
        },
    )
