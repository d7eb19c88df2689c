"""A realistic portfolio for benchmarks and query-count guards: projects with their organisation,
tasks, milestones, plans in every state, stakeholders, grants and expenditures, meetings,
decisions, risks and issued status reports. Deterministic (one seeded random.Random), written
with bulk inserts so the L size (200 projects x 250 tasks) builds in well under a minute.

    python -m bench.generator --size L --db /tmp/perf-L.db
"""

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlmodel import Session, SQLModel

from app.auth.models import ProjectMember, Role, User
from app.auth.security import hash_password
from app.budget.models import (
    BudgetLine,
    CostCategory,
    EconomyEntry,
    EconomyKind,
    Expenditure,
    ExpenditureStatus,
    Fund,
    Grant,
    GrantCategory,
    GrantPurpose,
)
from app.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Decision,
    DirectorArea,
    MandateItem,
    MandateStatus,
    Meeting,
    MemberRole,
    Membership,
    Person,
    Project,
)
from app.risks.models import Indicator, Measurement, RaidItem
from app.risks.rules import Direction, Frequency, RaidKind, RaidStatus
from app.stakeholders.models import (
    Attitude,
    Channel,
    CommunicationAction,
    Stakeholder,
    StakeholderKind,
    StakeholderPosition,
)
from app.workstreams.models import (
    Milestone,
    MilestoneStatus,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressEntry,
    Task,
    TaskDependency,
    TaskStatus,
)

# projects, tasks per project
SIZES = {"S": (10, 50), "M": (50, 200), "L": (200, 250)}
GROUPS = 5
START = date(2025, 1, 1)
END = date(2026, 12, 31)
# The day the benchmark runs "on" (REFORMSTYR_TODAY): in the middle of every project.
TODAY = date(2025, 10, 1)
PASSWORD = "demo"
# username, full name, admin?, role in every project
ACCOUNTS = [
    ("admin", "Administrator", True, None),
    ("projektleder", "Christina Stavnsbjerg", False, Role.project_leader),
    ("styregruppe", "Finn Boye", False, Role.steering_member),
    ("information", "Lene Kragh", False, Role.group_member),
    ("direktion", "Claus Sørensen", False, Role.directorate),
    ("sekretariat", "Anja Jørgensen", False, Role.secretariat),
]
TOWNS = ["Svendborg", "Faaborg-Midtfyn", "Nyborg", "Odense", "Kerteminde", "Assens", "Middelfart"]
GROUP_NAMES = [
    "Rehabiliteringsteamet",
    "Ressourceforløb",
    "Uddannelse af medarbejdere",
    "Information til eksterne interessenter",
    "IT og sagsgange",
]
VERBS = ["Beskriv", "Afklar", "Udarbejd", "Gennemfør", "Evaluer", "Implementér", "Planlæg"]
THINGS = [
    "sagsgangen for ressourceforløb",
    "samarbejdsaftalen med regionen",
    "uddannelsesplanen for sagsbehandlere",
    "kommunikationsplanen",
    "skabeloner til rehabiliteringsplaner",
    "mødekalenderen for teamet",
    "opfølgningen på indikatorerne",
    "IT-understøttelsen af visitationen",
]
FIRST = ["Anne", "Bo", "Charlotte", "Dorte", "Erik", "Frederik", "Gitte", "Hanne", "Jens", "Karen"]
LAST = ["Hansen", "Jensen", "Nielsen", "Pedersen", "Larsen", "Sørensen", "Rasmussen", "Kragh"]
LOREM = (
    "Arbejdet følger den godkendte tids- og handleplan. Gruppen melder status til "
    "projektledelsen hver fjortende dag, og afvigelser forelægges styregruppen. "
)


@dataclass
class Portfolio:
    """What was generated: ids the runner and the guards point their requests at."""

    projects: list[int] = field(default_factory=list)
    groups: dict[int, list[int]] = field(default_factory=dict)
    tasks: dict[int, list[int]] = field(default_factory=dict)
    reports: dict[int, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


class _Ids:
    """Explicit primary keys, so related rows can be inserted in bulk without a round trip."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.next: dict[type, int] = {}

    def take(self, model: type[SQLModel]) -> int:
        if model not in self.next:
            table = model.__table__  # type: ignore[attr-defined]
            top = self.session.execute(select(func.max(table.c.id))).scalar()
            self.next[model] = (top or 0) + 1
        value = self.next[model]
        self.next[model] += 1
        return value


def _day(rng: random.Random, start: date = START, end: date = END) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def generate(
    session: Session,
    *,
    projects: int,
    tasks: int,
    seed: int = 2013,
    reports: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> Portfolio:
    """Fill the (migrated) database with `projects` projects of `tasks` tasks each."""
    rng = random.Random(seed)
    ids = _ids = _Ids(session)
    rows: dict[type, list[dict[str, Any]]] = {}
    out = Portfolio()

    def add(model: type[SQLModel], **values: Any) -> int:
        values.setdefault("id", ids.take(model))
        rows.setdefault(model, []).append(values)
        return values["id"]

    users = _accounts(session, _ids)
    now = _at(TODAY)
    started = time.monotonic()
    for n in range(projects):
        town = TOWNS[n % len(TOWNS)]
        pid = add(
            Project,
            name=f"Reformprojekt {n + 1:03d} – {town}",
            municipality=f"{town} Kommune",
            reform="Reform af førtidspension og fleksjob",
            purpose=LOREM * 3,
            start_date=START,
            end_date=END,
            created_at=now,
        )
        out.projects.append(pid)
        areas = [
            add(DirectorArea, project_id=pid, name=name, position=i)
            for i, name in enumerate(["Social og Sundhed", "Arbejdsmarked", "Børn og Unge"])
        ]
        people = [
            add(
                Person,
                project_id=pid,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                title="Konsulent",
                email=f"p{pid}-{k}@example.dk",
                director_area_id=rng.choice(areas),
            )
            for k in range(10 + tasks // 10)
        ]
        directorate = add(
            Body,
            project_id=pid,
            kind=BodyKind.directorate,
            name="Direktionen",
            description="",
            reports_to_id=None,
            position=0,
        )
        steering = add(
            Body,
            project_id=pid,
            kind=BodyKind.steering_group,
            name="Styregruppen",
            description="",
            reports_to_id=directorate,
            position=1,
        )
        management = add(
            Body,
            project_id=pid,
            kind=BodyKind.project_management,
            name="Projektledelsen",
            description="",
            reports_to_id=steering,
            position=2,
        )
        groups = [
            add(
                Body,
                project_id=pid,
                kind=BodyKind.implementation_group,
                name=name,
                description=LOREM,
                reports_to_id=management,
                position=3 + g,
            )
            for g, name in enumerate(GROUP_NAMES[:GROUPS])
        ]
        out.groups[pid] = groups
        for user_id, role in users:
            if role is not None:
                group = groups[3] if role == Role.group_member else None
                add(ProjectMember, project_id=pid, user_id=user_id, role=role, group_id=group)
        for b, body in enumerate([steering, management, *groups]):
            for k, person in enumerate(rng.sample(people, 4)):
                role = MemberRole.chair if k == 0 and b == 0 else MemberRole.member
                add(Membership, body_id=body, person_id=person, role=role, condition="")
            for k in range(3):
                add(
                    MandateItem,
                    body_id=body,
                    position=k,
                    text=f"Mandatpunkt {k + 1}",
                    status=rng.choice(list(MandateStatus)),
                    note="",
                    status_date=None,
                )
        # Tasks, their log and dependencies; milestones; one plan per group in every state.
        out.tasks[pid] = []
        for t in range(tasks):
            group = groups[t % GROUPS]
            start = _day(rng, START, date(2026, 9, 1))
            due = start + timedelta(days=rng.randint(14, 120))
            status = rng.choice(list(TaskStatus))
            tid = add(
                Task,
                project_id=pid,
                group_id=group,
                title=f"{rng.choice(VERBS)} {rng.choice(THINGS)} ({t + 1})",
                description=LOREM,
                owner_person_id=rng.choice(people),
                start_date=start,
                due_date=due,
                status=status,
                progress={"done": 100, "not_started": 0}.get(status, rng.randint(5, 95)),
                blocked_since_date=start if status == TaskStatus.blocked else None,
                completed_date=due if status == TaskStatus.done else None,
                created_at=now,
                updated_at=now,
            )
            out.tasks[pid].append(tid)
            add(
                ProgressEntry,
                task_id=tid,
                at=_at(start),
                user_id=users[1][0],
                username="projektleder",
                author_name="Christina Stavnsbjerg",
                text="Opgaven er sat i gang.",
                new_status=TaskStatus.in_progress,
                new_progress=10,
            )
            if t >= GROUPS and (t // GROUPS == 1 or rng.random() < 0.2):
                add(TaskDependency, task_id=tid, depends_on_id=out.tasks[pid][t - GROUPS])
        milestone_rows = []
        for m in range(max(GROUPS + 2, tasks // 10)):
            planned = _day(rng)
            status = MilestoneStatus.reached if planned < TODAY else MilestoneStatus.planned
            add(
                Milestone,
                project_id=pid,
                group_id=groups[m % GROUPS] if m < GROUPS or m % 4 else None,
                name=f"Milepæl {m + 1}: {rng.choice(THINGS)}",
                description="",
                planned_date=planned,
                forecast_date=planned + timedelta(days=rng.choice([0, 0, 7, 21])),
                actual_date=planned if status == MilestoneStatus.reached else None,
                status=status,
                created_at=now,
                updated_at=now,
            )
            milestone_rows.append(rows[Milestone][-1])
        for g, group in enumerate(groups):
            status = list(PlanStatus)[g % len(PlanStatus)]
            plan = add(
                Plan,
                project_id=pid,
                group_id=group,
                title=f"Plan for {GROUP_NAMES[g]}",
                description=LOREM,
                status=status,
                created_at=now,
            )
            group_tasks = [r for r in rows[Task][-tasks:] if r["group_id"] == group]
            snapshot = {
                "title": f"Plan for {GROUP_NAMES[g]}",
                "description": LOREM,
                "tasks": [
                    {
                        "id": r["id"],
                        "title": r["title"],
                        "owner": "",
                        "start_date": r["start_date"].isoformat(),
                        "due_date": r["due_date"].isoformat(),
                    }
                    for r in group_tasks
                ],
                "milestones": [
                    {
                        "id": r["id"],
                        "name": r["name"],
                        "planned_date": r["planned_date"].isoformat(),
                    }
                    for r in milestone_rows
                    if r["group_id"] == group
                ],
            }
            versions = [PlanStatus.approved, status] if status != PlanStatus.draft else [status]
            for number, vstatus in enumerate(versions, start=1):
                add(
                    PlanVersion,
                    plan_id=plan,
                    number=number,
                    status=vstatus,
                    snapshot=None if vstatus == PlanStatus.draft else snapshot,
                    note="",
                    comment="",
                    created_at=now,
                    submitted_at=None if vstatus == PlanStatus.draft else now,
                    submitted_by_name="",
                    decided_at=None,
                    decided_by_name="",
                    decision_id=None,
                )
        # Stakeholders with their placement and the communication plan.
        for s in range(5 + tasks // 10):
            influence, interest = rng.randint(1, 5), rng.randint(1, 5)
            attitude = rng.choice(list(Attitude))
            sid = add(
                Stakeholder,
                project_id=pid,
                name=f"Interessent {s + 1}",
                kind=rng.choice(list(StakeholderKind)),
                director_area_id=None,
                organisation="",
                contact="",
                influence=influence,
                interest=interest,
                attitude=attitude,
                needs="",
                strategy_override=None,
                override_reason="",
                group_id=rng.choice(groups),
                created_at=now,
            )
            add(
                StakeholderPosition,
                stakeholder_id=sid,
                assessed_date=START,
                influence=influence,
                interest=interest,
                attitude=attitude,
                note="",
                recorded_by="",
                recorded_by_id=None,
                recorded_at=now,
            )
            for _ in range(2):
                planned = _day(rng)
                add(
                    CommunicationAction,
                    project_id=pid,
                    stakeholder_id=sid,
                    what="Orientering om status",
                    channel=rng.choice(list(Channel)),
                    planned_date=planned,
                    responsible_person_id=rng.choice(people),
                    group_id=None,
                    done=planned < TODAY,
                    done_date=planned if planned < TODAY else None,
                )
        # Money: a fund, two grants with categories and purposes, budget lines, expenditures.
        fund = add(
            Fund,
            project_id=pid,
            name="Forebyggelsesfonden",
            grantor="Staten",
            pool_ore=3_500_000_000,
            allocation_note="",
        )
        grants = []
        for k in range(2):
            grant = add(
                Grant,
                project_id=pid,
                fund_id=fund,
                name=f"Puljebevilling {k + 1}",
                reference=f"J.nr. {pid}-{k}",
                amount_ore=rng.randint(2, 9) * 10_000_000,
                first_date=START,
                last_date=END,
                report_due_date=date(2027, 3, 1),
                other_rules="",
            )
            grants.append(grant)
            for c, category in enumerate(
                [CostCategory.staff_buyout, CostCategory.consultancy, CostCategory.training]
            ):
                add(GrantCategory, grant_id=grant, category=category, condition="", position=c)
            purpose = add(GrantPurpose, grant_id=grant, text="Kompetenceudvikling", position=0)
            for month in range(24):
                add(
                    BudgetLine,
                    project_id=pid,
                    grant_id=grant,
                    category=CostCategory.staff_buyout,
                    purpose_id=purpose,
                    group_id=None,
                    month_date=date(2025 + month // 12, month % 12 + 1, 1),
                    amount_ore=rng.randint(10, 90) * 10_000,
                    note="",
                )
        for _ in range(5 + tasks // 2):
            add(
                Expenditure,
                project_id=pid,
                grant_id=rng.choice(grants),
                expense_date=_day(rng, START, TODAY),
                amount_ore=rng.randint(1, 400) * 10_000,
                category=rng.choice([CostCategory.staff_buyout, CostCategory.consultancy]),
                purpose_id=None,
                description="Frikøb af sagsbehandler",
                supplier="",
                hours_hundredths=None,
                hourly_rate_ore=None,
                group_id=rng.choice(groups),
                condition_note="",
                note="",
                attachment_ref="",
                status=rng.choice(list(ExpenditureStatus)),
                correction_of_id=None,
                recorded_by_id=None,
                recorded_at=now,
            )
        for year in (2025, 2026):
            add(
                EconomyEntry,
                project_id=pid,
                director_area_id=areas[0],
                year=year,
                kind=EconomyKind.cost,
                description="Ekstra sagsbehandlere",
                expected_ore=50_000_000,
                realised_ore=None,
                note="",
            )
        # Meetings of the steering group and the groups, with agendas, attendance, decisions.
        number = 0
        for k in range(12 + tasks // 25):
            body = steering if k % 2 == 0 else rng.choice(groups)
            day = START + timedelta(days=30 * k + rng.randint(0, 5))
            meeting = add(
                Meeting,
                project_id=pid,
                body_id=body,
                meeting_date=day,
                start_time="13:00",
                place="Rådhuset",
                with_project_management=False,
                minutes=LOREM if day < TODAY else "",
                created_at=now,
            )
            for a in range(3):
                add(
                    AgendaItem,
                    meeting_id=meeting,
                    position=a,
                    title=f"Punkt {a + 1}",
                    description="",
                )
            for person in rng.sample(people, 3):
                add(
                    Attendance,
                    meeting_id=meeting,
                    person_id=person,
                    status=AttendanceStatus.present,
                    reason="",
                )
            if day < TODAY:
                for _ in range(2):
                    number += 1
                    title = f"Beslutning {number}: {rng.choice(THINGS)}"
                    add(
                        Decision,
                        project_id=pid,
                        number=number,
                        body_id=body,
                        meeting_id=meeting,
                        decision_date=day,
                        title=title,
                        text=LOREM,
                        kind="decision",
                        search_text=(title + " " + LOREM).lower(),
                        superseded_by_id=None,
                        recorded_by_id=None,
                        recorded_at=now,
                    )
        # The RAID register and success measures.
        for r in range(5 + tasks // 25):
            kind = list(RaidKind)[r % len(RaidKind)]
            risk = kind == RaidKind.risk
            add(
                RaidItem,
                project_id=pid,
                kind=kind,
                title=f"RAID-punkt {r + 1}",
                description=LOREM,
                probability=rng.randint(1, 5) if risk else None,
                consequence=rng.randint(1, 5) if risk else None,
                owner_id=rng.choice(people),
                group_id=rng.choice(groups),
                response="",
                status=rng.choice(list(RaidStatus)),
                review_date=_day(rng),
                created_at=now,
                updated_at=now,
            )
        for i in range(3):
            indicator = add(
                Indicator,
                project_id=pid,
                name=f"Indikator {i + 1}",
                definition="",
                unit="antal",
                direction=Direction.higher_is_better,
                baseline_value=10,
                baseline_date=START,
                target_value=50,
                target_date=END,
                frequency=list(Frequency)[0],
                group_id=None,
                owner_id=None,
                position=i,
                created_at=now,
            )
            for q in range(4):
                add(
                    Measurement,
                    indicator_id=indicator,
                    measured_date=date(2025, 1 + 3 * q, 1),
                    value=10 + q * 5,
                    note="",
                    recorded_by_id=None,
                    recorded_by_name="",
                    recorded_at=now,
                )
        if (n + 1) % max(1, projects // 20) == 0 or n + 1 == projects:
            progress(f"{n + 1}/{projects} projekter forberedt ({time.monotonic() - started:.1f} s)")
    # Insert in dependency order (the models' tables sorted by foreign keys).
    order = {t: i for i, t in enumerate(SQLModel.metadata.sorted_tables)}
    for model in sorted(rows, key=lambda m: order[m.__table__]):  # type: ignore[attr-defined]
        batch = rows[model]
        session.execute(insert(model), batch)
        out.counts[model.__tablename__] = len(batch)  # type: ignore[attr-defined]
        progress(f"{len(batch):>7} × {model.__tablename__}")
    _reset_sequences(session, list(rows))
    session.commit()
    if reports and out.projects:
        out.reports = _issue_reports(session, out, progress)
        out.counts["status_report"] = len(out.reports)
    progress(f"Færdig på {time.monotonic() - started:.1f} s")
    return out


def _reset_sequences(session: Session, models: list[type]) -> None:
    """PostgreSQL: move each id sequence past the explicit ids inserted (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in {*models, User}:
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
        )


def _accounts(session: Session, ids: _Ids) -> list[tuple[int, Role | None]]:
    """The demo accounts (password "demo"), created once; reused when they exist."""
    hashed = hash_password(PASSWORD)
    result = []
    for username, full_name, is_admin, role in ACCOUNTS:
        existing = session.execute(select(User.id).where(User.username == username)).scalar()
        if existing is None:
            existing = ids.take(User)
            session.execute(
                insert(User),
                [
                    {
                        "id": existing,
                        "username": username,
                        "full_name": full_name,
                        "password_hash": hashed,
                        "is_admin": is_admin,
                        "is_demo": True,
                    }
                ],
            )
        result.append((existing, role))
    return result


def _issue_reports(
    session: Session, out: Portfolio, progress: Callable[[str], None]
) -> dict[int, int]:
    """Issue status report no. 1 of the first project with the real use cases (composed snapshot
    and WeasyPrint PDF), then give every other project a copy of it, so each has an issued
    report to show without rendering hundreds of PDFs."""
    from app.auth import service as auth
    from app.reports import service as reports
    from app.reports.models import StatusReport, StatusReportFile
    from app.reports.schemas import ApproveIn, StatusReportCreate

    def access(username: str, project_id: int) -> auth.Access:
        user = session.execute(select(User).where(User.username == username)).scalar_one()
        return auth.access_for(session=session, user=user, project_id=project_id)

    first = out.projects[0]
    leader, steering = access("projektleder", first), access("styregruppe", first)
    report = reports.create_report(
        session=session,
        by=leader,
        data=StatusReportCreate(
            period_start_date=date(2025, 7, 1),
            period_end_date=date(2025, 9, 30),
            report_date=date(2025, 9, 30),
            next_period_end_date=date(2025, 12, 31),
        ),
    )
    report = reports.submit_report(
        session=session, by=leader, report_id=report.id or 0, version=report.version
    )
    report = reports.approve_report(
        session=session,
        by=steering,
        report_id=report.id or 0,
        data=ApproveIn(version=report.version, comment="Godkendt."),
        on=date(2025, 10, 1),
    )
    started = time.monotonic()
    report = reports.issue_report(
        session=session, by=leader, report_id=report.id or 0, version=report.version, on=TODAY
    )
    progress(f"Statusrapport udsendt med PDF ({time.monotonic() - started:.1f} s)")
    done = {first: report.id or 0}
    file = session.execute(
        select(StatusReportFile).where(StatusReportFile.report_id == report.id)
    ).scalar_one()
    columns = {
        c.name: getattr(report, c.name)
        for c in StatusReport.__table__.columns  # type: ignore[attr-defined]
        if c.name not in ("id", "project_id", "decision_id")
    }
    ids = _Ids(session)
    report_rows, file_rows = [], []
    for pid in out.projects[1:]:
        rid = ids.take(StatusReport)
        report_rows.append({**columns, "id": rid, "project_id": pid, "decision_id": None})
        file_rows.append(
            {
                "report_id": rid,
                "pdf": file.pdf,
                "sha256": file.sha256,
                "size": file.size,
                "created_at": file.created_at,
            }
        )
        done[pid] = rid
    if report_rows:
        session.execute(insert(StatusReport), report_rows)
        session.execute(insert(StatusReportFile), file_rows)
    session.commit()
    return done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--db", required=True, help="SQLite file (made afresh)")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--projects", type=int, help="instead of the size's number of projects")
    parser.add_argument("--tasks", type=int, help="instead of the size's tasks per project")
    args = parser.parse_args(argv)
    from pathlib import Path

    from app.cli import migrate_database
    from app.db import Database

    path = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path.resolve()}"
    started = time.monotonic()
    migrate_database(url)
    print(f"· Skema migreret ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    projects, tasks = SIZES[args.size]
    projects, tasks = args.projects or projects, args.tasks or tasks
    database = Database(url)
    with database.session() as session:
        generate(
            session,
            projects=projects,
            tasks=tasks,
            seed=args.seed,
            progress=lambda m: print(f"· {m}", file=sys.stderr, flush=True),
        )
    database.dispose()
    print(
        f"· {args.size} klar i {path} ({time.monotonic() - started:.1f} s i alt)", file=sys.stderr
    )


if __name__ == "__main__":
    main()
