"""The demo's status reports: number 1 (November 2012 – February 2013), approved by the steering
group and issued, and number 2 as a draft. Issued reports are history, not part of the project
document, so the demo makes them with the real use cases after the document is loaded."""

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select

from app.auth import service as auth
from app.auth.models import User
from app.governance.models import Project
from app.reports import service
from app.reports.models import StatusReport
from app.reports.rag import Level
from app.reports.schemas import (
    ApproveIn,
    AskedOf,
    DecisionRequest,
    OverrideIn,
    StatusReportCreate,
    StatusReportUpdate,
)

FIRST_TEXTS = {
    "summary": (
        "Implementeringen er godt i gang. Reformen trådte i kraft 1. januar 2013, og "
        "rehabiliteringsteamet holdt sit første møde 6. februar, fem dage senere end planlagt. "
        "Informationsgruppens og rehabiliteringsteamgruppens planer er godkendt; "
        "uddannelsesgruppens plan ligger til godkendelse, og gruppen for ressourceforløb "
        "arbejder stadig på sin."
    ),
    "time": (
        "Samarbejdsaftalen med Region Syddanmark om den kliniske funktion er forsinket, fordi "
        "Regionen først har udpeget sine repræsentanter i februar. Ny forventet dato er "
        "12.04.2013."
    ),
    "economy": (
        "Puljemidlerne fra Forebyggelsesfonden (461.474 kr.) bruges til frikøb og "
        "konsulentbistand efter planen. Udgifter tæller kun til og med 01.07.2013."
    ),
    "stakeholders": (
        "KL's implementeringsnetværk og Beskæftigelsesregion Syddanmarks møder er holdt. "
        "De praktiserende læger orienteres via Regionens praksiskonsulenter i marts."
    ),
    "next_period": (
        "Første borgere i ressourceforløb, uddannelse af jobcentrets medarbejdere og "
        "temamødet med KL for de politiske udvalg og LBR."
    ),
}
SECOND_TEXTS = {
    "summary": "Kladde: teksten skrives færdig, når periodens tal er opgjort.",
}


def _access(*, session: Session, username: str, project: Project) -> auth.Access | None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        return None
    return auth.access_for(session=session, user=user, project_id=project.id or 0)


def load_demo_reports(
    *, session: Session, project: Project, progress: Callable[[str], None] = lambda _: None
) -> None:
    """Make the demo's two status reports unless the project has reports already."""
    if session.exec(select(StatusReport).where(StatusReport.project_id == project.id)).first():
        return
    leader = _access(session=session, username="projektleder", project=project)
    steering = _access(session=session, username="styregruppe", project=project)
    if leader is None or steering is None or not leader.leads:
        return
    progress("Opretter statusrapport nr. 1 (udsendt) og nr. 2 (kladde)")
    first = service.create_report(
        session=session,
        by=leader,
        data=StatusReportCreate(
            period_start_date=date(2012, 11, 1),
            period_end_date=date(2013, 2, 28),
            report_date=date(2013, 2, 28),
            next_period_end_date=date(2013, 5, 31),
        ),
    )
    first = service.update_report(
        session=session,
        by=leader,
        report_id=first.id or 0,
        data=StatusReportUpdate(
            texts=FIRST_TEXTS,
            overrides={
                "stakeholders": OverrideIn(
                    level=Level.amber,
                    justification=(
                        "De praktiserende læger er endnu ikke informeret om "
                        "rehabiliteringsteamet; det skal ske, før de første sager "
                        "behandles."
                    ),
                )
            },
            decisions_requested=[
                DecisionRequest(
                    asked_of=AskedOf.steering_group,
                    text="Godkendelse af uddannelsesgruppens tids- og handleplan",
                    due_date=date(2013, 3, 19),
                ),
                DecisionRequest(
                    asked_of=AskedOf.directorate,
                    text="Dato for temamødet med KL for de politiske udvalg og LBR",
                ),
            ],
            version=first.version,
        ),
    )
    first = service.submit_report(
        session=session, by=leader, report_id=first.id or 0, version=first.version
    )
    first = service.approve_report(
        session=session,
        by=steering,
        report_id=first.id or 0,
        data=ApproveIn(version=first.version, comment="Godkendt til direktionen."),
        on=date(2013, 3, 5),
    )
    service.issue_report(
        session=session,
        by=leader,
        report_id=first.id or 0,
        version=first.version,
        on=date(2013, 3, 6),
    )
    second = service.create_report(
        session=session,
        by=leader,
        data=StatusReportCreate(
            period_start_date=date(2013, 3, 1),
            period_end_date=date(2013, 5, 31),
            report_date=date(2013, 5, 31),
            next_period_end_date=date(2013, 8, 31),
        ),
    )
    service.update_report(
        session=session,
        by=leader,
        report_id=second.id or 0,
        data=StatusReportUpdate(texts=SECOND_TEXTS, version=second.version),
    )
