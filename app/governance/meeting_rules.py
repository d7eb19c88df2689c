"""Meeting-frequency rules: a body (any kind) must meet a counterpart — the project management,
external partners, or at all — at least every N days. One judgement (`judge`) says when the
next meeting is due, whether the rule is breached and how many days have passed; the plans'
compliance, the organisation's pages, the front page and the API all read it from here."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import stored_id
from app.errors import Forbidden, Invalid, require_version
from app.governance.bodies import bodies, get_body
from app.governance.models import (
    MEETING_COUNTERPART_LABELS,
    Body,
    BodyKind,
    Meeting,
    MeetingCounterpart,
    MeetingRule,
    Project,
)
from app.governance.projects import get_project
from app.governance.schemas import MeetingRuleUpdate

SET_REFUSED = "Kun projektlederen må fastsætte organernes mødekadence."
# Whom a body meets, as the sentences say it: »… har ikke mødt {whom}«, »… møde {with_whom}«.
WHOM = {
    MeetingCounterpart.project_management: "projektledelsen",
    MeetingCounterpart.external_partners: "eksterne samarbejdspartnere",
}
WITH_WHOM = {
    MeetingCounterpart.project_management: "med projektledelsen",
    MeetingCounterpart.external_partners: "med eksterne samarbejdspartnere",
    MeetingCounterpart.any: "",
}


@dataclass(frozen=True)
class RuleStatus:
    """A body's rule against one counterpart, judged on a day (`interval_days` None: no rule)."""

    body: Body
    counterpart: MeetingCounterpart
    interval_days: int | None
    last_meeting_date: date | None
    next_due_date: date | None
    overdue: bool
    days_since: int | None
    version: int

    @property
    def counterpart_label(self) -> str:
        return MEETING_COUNTERPART_LABELS[self.counterpart]

    @property
    def rule_text(self) -> str:
        return f"mindst hver {self.interval_days}. dag" if self.interval_days else "ingen regel"

    @property
    def message(self) -> str:
        """The breach in a sentence that names the body and the counterpart (empty: kept)."""
        if not self.overdue:
            return ""
        rule = f"(regel: {self.rule_text})"
        if self.last_meeting_date is None:
            met = f"møde {WITH_WHOM[self.counterpart]}".rstrip()
            return f"{self.body.name} har intet {met} registreret {rule}"
        whom = WHOM.get(self.counterpart)
        did = f"mødt {whom}" if whom else "holdt møde"
        return f"{self.body.name} har ikke {did} i {self.days_since} dage {rule}"

    @property
    def problem(self) -> str:
        """The breach as one of the body's own problems (the body named by the page)."""
        if not self.overdue:
            return ""
        rule = f"(reglen: {self.rule_text})"
        with_whom = WITH_WHOM[self.counterpart]
        if self.last_meeting_date is None:
            return f"Intet møde {with_whom} registreret {rule}".replace("  ", " ")
        met = f"mødtes {with_whom}" if with_whom else "holdt møde"
        return f"Har ikke {met} siden {format_date(self.last_meeting_date)} {rule}"


def judge(
    *, interval_days: int | None, last: date | None, start: date | None, on: date
) -> tuple[date | None, bool, int | None]:
    """When the next meeting is due (from the last meeting, else the project's start), whether
    the rule is breached on `on`, and the days since the last meeting."""
    days_since = (on - last).days if last else None
    if not interval_days:
        return None, False, days_since
    since = last or start
    due = since + timedelta(days=interval_days) if since else None
    return due, due is None or due < on, days_since


def last_meetings(
    *, session: Session, project_id: int, on: date, body_ids: list[int] | None = None
) -> dict[tuple[int, MeetingCounterpart], date]:
    """For each body, the day it last met each counterpart (up to and including `on`): one
    query."""

    def latest(flag: sa.ColumnElement[bool]) -> sa.ColumnElement[date]:
        return func.max(sa.case((flag, Meeting.meeting_date), else_=None))

    query = (
        select(
            Meeting.body_id,
            latest(col(Meeting.with_project_management).is_(True)),
            latest(col(Meeting.with_external_partners).is_(True)),
            func.max(Meeting.meeting_date),
        )
        .where(Meeting.project_id == project_id, Meeting.meeting_date <= on)
        .group_by(col(Meeting.body_id))
    )
    if body_ids is not None:
        query = query.where(col(Meeting.body_id).in_(body_ids))
    found: dict[tuple[int, MeetingCounterpart], date] = {}
    for body_id, with_pm, with_ext, any_ in session.exec(query).all():
        for counterpart, day in (
            (MeetingCounterpart.project_management, with_pm),
            (MeetingCounterpart.external_partners, with_ext),
            (MeetingCounterpart.any, any_),
        ):
            if day is not None:
                found[(body_id, counterpart)] = day
    return found


def counterparts_of(body: Body) -> list[MeetingCounterpart]:
    """The counterparts a body's rule may name (the project management does not meet itself)."""
    return [
        c
        for c in MeetingCounterpart
        if not (
            body.kind == BodyKind.project_management and c == MeetingCounterpart.project_management
        )
    ]


def statuses(
    *,
    session: Session,
    project_id: int,
    on: date,
    body_id: int | None = None,
    every_counterpart: bool = False,
    project: Project | None = None,
    among: list[Body] | None = None,
) -> list[RuleStatus]:
    """The project's meeting rules (or one body's), judged on `on`, in the bodies' order; with
    `every_counterpart`, also the counterparts without a rule (for the form). Three queries;
    two when the project's bodies (`among`, as bodies.bodies lists them) are already loaded."""
    project = project or get_project(session=session, project_id=project_id)
    found = list(among) if among is not None else bodies(session=session, project_id=project_id)
    if body_id is not None:
        found = [b for b in found if b.id == body_id]
    ids = [stored_id(b) for b in found]
    rules = {
        (r.body_id, r.counterpart): r
        for r in session.exec(
            select(MeetingRule).where(
                MeetingRule.project_id == project_id, col(MeetingRule.body_id).in_(ids)
            )
        ).all()
    }
    last = last_meetings(session=session, project_id=project_id, on=on, body_ids=ids)
    result = []
    for body in found:
        for counterpart in counterparts_of(body):
            key = (stored_id(body), counterpart)
            rule = rules.get(key)
            interval = rule.meeting_interval_days if rule else None
            if not interval and not every_counterpart:
                continue
            due, overdue, days_since = judge(
                interval_days=interval, last=last.get(key), start=project.start_date, on=on
            )
            result.append(
                RuleStatus(
                    body=body,
                    counterpart=counterpart,
                    interval_days=interval,
                    last_meeting_date=last.get(key),
                    next_due_date=due,
                    overdue=overdue,
                    days_since=days_since,
                    version=rule.version if rule else 0,
                )
            )
    return result


def breaches(*, session: Session, project_id: int, on: date) -> list[RuleStatus]:
    """The rules not kept on `on`, in the bodies' order."""
    return [s for s in statuses(session=session, project_id=project_id, on=on) if s.overdue]


def get_rule(
    *, session: Session, body_id: int, counterpart: MeetingCounterpart, lock: bool = False
) -> MeetingRule | None:
    """A body's rule against a counterpart, if one was ever set (`lock`: for this transaction)."""
    query = select(MeetingRule).where(
        MeetingRule.body_id == body_id, MeetingRule.counterpart == counterpart
    )
    return session.exec(query.with_for_update() if lock else query).first()


def set_meeting_rule(
    *,
    session: Session,
    by: Access,
    body_id: int,
    counterpart: MeetingCounterpart,
    data: MeetingRuleUpdate,
) -> MeetingRule:
    """Set how often a body must at least meet its counterpart (empty interval: no rule)."""
    if not by.leads:
        raise Forbidden(SET_REFUSED)
    body = get_body(session=session, project_id=by.project_id, body_id=body_id)
    if counterpart not in counterparts_of(body):
        raise Invalid(
            "Projektledelsen kan ikke have en regel for møder med sig selv.", field="counterpart"
        )
    rule = get_rule(session=session, body_id=body_id, counterpart=counterpart, lock=True)
    if rule is None:
        # A body without a rule is at version 0: a rule set by someone else meanwhile is a 409.
        rule = MeetingRule(
            project_id=by.project_id, body_id=body_id, counterpart=counterpart, version=0
        )
        require_version(rule, data.version)
        session.add(rule)
        before = None
    else:
        require_version(rule, data.version)
        before = audit.snapshot(rule)
    rule.meeting_interval_days = data.meeting_interval_days
    rule.version += 1
    session.flush()
    audit.log(session=session, by=by, action="meeting_rule_set", row=rule, before=before)
    session.commit()
    return rule
