"""The retention rule: a closed record is kept for the scheme's retention period after its exit,
then deleted with its follow-ups (the nightly purge, `reformstyr purge-participants`)."""

from datetime import date

from sqlmodel import Session, col, delete, select

from app import clock
from app.audit import service as audit
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.schemes import retention_ends


def expired(*, session: Session, today: date) -> list[Participant]:
    """Closed records whose retention period has passed (exit date + the scheme's months)."""
    rows = session.exec(
        select(Participant, RegistrationScheme)
        .join(RegistrationScheme, col(RegistrationScheme.id) == Participant.scheme_id)
        .where(col(Participant.exit_date).is_not(None), col(Participant.exit_date) < today)
    ).all()
    return [
        p for p, s in rows if p.exit_date is not None and retention_ends(s, p.exit_date) < today
    ]


def purge_expired(*, session: Session, today: date | None = None) -> dict[int, int]:
    """Delete every record past its retention period; one audit event per project with the
    count. Returns {project id: number of participants deleted}."""
    today = today or clock.today()
    doomed = expired(session=session, today=today)
    counts: dict[int, int] = {}
    for p in doomed:
        counts[p.project_id] = counts.get(p.project_id, 0) + 1
    ids = [p.id for p in doomed]
    if ids:
        session.exec(delete(FollowUp).where(col(FollowUp.participant_id).in_(ids)))
        session.exec(delete(Participant).where(col(Participant.id).in_(ids)))
    for project_id, count in sorted(counts.items()):
        audit.record(
            session=session,
            by=None,
            action="purged",
            entity="participant",
            project_id=project_id,
            after={"count": count, "today": today, "rule": "afslutning + opbevaringsperiode"},
        )
    session.commit()
    return counts
