"""Events that come from dates rather than from someone's action, built once a day
(`reformstyr send-digests`): a milestone that starts to slip, a success measure's measurement
that falls due, participants' follow-ups that fall due. Each event has a key, so a second run
the same day (or the next) tells no one twice. Participant data never leaves here: the
registrars get a count and a link to the list they may open."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.danish import format_date
from app.notifications.models import Notification, NotificationKind
from app.notifications.recipients import groups_users, persons_users, project_leaders
from app.notifications.service import notify
from app.participants.models import Participant, Registrar
from app.participants.records import records_of
from app.risks.measures import status_of
from app.risks.models import Indicator, Measurement
from app.risks.rules import DueState
from app.workstreams.milestones import describe_milestones
from app.workstreams.models import Milestone, MilestoneStatus

FOLLOW_UP_WINDOW_DAYS = 7


def _told(session: Session, keys: Iterable[str]) -> set[tuple[int, str]]:
    """Who has already been told of which of these events."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    rows = session.exec(
        select(Notification.user_id, Notification.event_key).where(
            col(Notification.event_key).in_(wanted)
        )
    ).all()
    return {(user_id, key) for user_id, key in rows if key is not None}


def _tell_once(
    session: Session,
    told: set[tuple[int, str]],
    *,
    key: str,
    recipients: Iterable[int],
    **message: object,
) -> int:
    fresh = [uid for uid in set(recipients) if (uid, key) not in told]
    made = notify(session, recipients=fresh, event_key=key, **message)  # type: ignore[arg-type]
    told.update((uid, key) for uid in fresh)
    return len(made)


def slipping_milestones(*, session: Session, on: date) -> int:
    """Tell the group and the project's leaders of each open milestone that has started to slip
    (measured by describe_milestone, the one computation of slippage), once per baseline."""
    open_ones = list(
        session.exec(select(Milestone).where(Milestone.status == MilestoneStatus.planned)).all()
    )
    by_project: dict[int, list[Milestone]] = defaultdict(list)
    for m in open_ones:
        by_project[m.project_id].append(m)
    leaders = project_leaders(session=session, project_ids=by_project)
    views = [
        view
        for project_id, milestones in by_project.items()
        for view in describe_milestones(
            session=session, milestones=milestones, project_id=project_id, on=on
        )
        if view.health in ("slipping", "overdue")
    ]
    keys = {f"milestone:{v.milestone.id}:{v.baseline_date.isoformat()}": v for v in views}
    told = _told(session, keys)
    groups = groups_users(
        session=session, groups={(v.milestone.project_id, v.milestone.group_id) for v in views}
    )
    count = 0
    for key, view in keys.items():
        m = view.milestone
        group = view.group_name or "projektet"
        recipients = leaders.get(m.project_id, []) + groups.get((m.project_id, m.group_id or 0), [])
        count += _tell_once(
            session,
            told,
            key=key,
            recipients=recipients,
            kind=NotificationKind.milestone_slipping,
            project_id=m.project_id,
            subject=f"Milepælen »{m.name}« skrider",
            text=f"Milepælen i {group} skulle nås {format_date(view.baseline_date)}; den er nu "
            f"{view.slippage_days} dage forsinket.",
            link=f"/projects/{m.project_id}/milestones#milestone-{m.id}",
        )
    return count


def measurements_due(*, session: Session, on: date) -> int:
    """Tell the measure's owner (else its group, else the project's leaders) when its next
    measurement is coming up or missing, once per due date."""
    indicators = list(session.exec(select(Indicator)).all())
    measured: dict[int, list[Measurement]] = defaultdict(list)
    for row in session.exec(
        select(Measurement).where(col(Measurement.indicator_id).in_([i.id for i in indicators]))
    ).all():
        measured[row.indicator_id].append(row)
    leaders = project_leaders(session=session, project_ids={i.project_id for i in indicators})
    due = []
    for indicator in indicators:
        status = status_of(indicator, measured[indicator.id or 0], today=on)
        if status.due.state in (DueState.due_soon, DueState.missing) and status.due.next_due_date:
            due.append((f"measure:{indicator.id}:{status.due.next_due_date}", indicator, status))
    told = _told(session, (key for key, _, _ in due))
    owners = persons_users(session=session, persons={(i.project_id, i.owner_id) for _, i, _ in due})
    groups = groups_users(session=session, groups={(i.project_id, i.group_id) for _, i, _ in due})
    count = 0
    for key, indicator, status in due:
        pid = indicator.project_id
        recipients = owners.get((pid, indicator.owner_id or 0), [])
        recipients = recipients or groups.get((pid, indicator.group_id or 0), [])
        when = format_date(status.due.next_due_date)
        missing = status.due.state == DueState.missing
        count += _tell_once(
            session,
            told,
            key=key,
            recipients=recipients or leaders.get(pid, []),
            kind=NotificationKind.measurement_due,
            project_id=pid,
            subject=f"Succesmålet »{indicator.name}« skal måles"
            + (f" (manglede {when})" if missing else f" senest {when}"),
            text="Registrér den nye måling i Reformstyr.",
            link=f"/projects/{pid}/indicators/{indicator.id}",
        )
    return count


def follow_ups_due(*, session: Session, on: date) -> int:
    """Tell each project's registrars how many participants' follow-ups fall due within a
    week or are overdue — a count and a link only, once a week."""
    participants = list(
        session.exec(select(Participant).where(col(Participant.exit_date).is_(None))).all()
    )
    horizon = on + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    counts: dict[int, int] = defaultdict(int)
    for record in records_of(session=session, participants=participants):
        if record.next_follow_up_date and record.next_follow_up_date <= horizon:
            counts[record.participant.project_id] += 1
    if not counts:
        return 0
    registrars: dict[int, list[int]] = defaultdict(list)
    for project_id, user_id in session.exec(
        select(Registrar.project_id, Registrar.user_id).where(
            col(Registrar.project_id).in_(list(counts))
        )
    ).all():
        registrars[project_id].append(user_id)
    year, week, _ = on.isocalendar()
    keyed = {f"follow-ups:{pid}:{year}-W{week:02d}": pid for pid in counts}
    told = _told(session, keyed)
    made = 0
    for key, pid in keyed.items():
        n = counts[pid]
        made += _tell_once(
            session,
            told,
            key=key,
            recipients=registrars[pid],
            kind=NotificationKind.follow_up_due,
            project_id=pid,
            subject=f"{n} opfølgning{'er' if n != 1 else ''} på deltagere forfalder",
            text=f"{n} opfølgning{'er' if n != 1 else ''} forfalder senest "
            f"{format_date(horizon)} eller er forfaldne. Se listen i Reformstyr.",
            link=f"/projects/{pid}/participants/due",
        )
    return made
