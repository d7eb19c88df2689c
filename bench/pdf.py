"""The status report PDF rendered on request (a draft: issued reports are served as stored):
the demo project's draft report, timed cold and warm.

    python -m bench.pdf               # the demo project
    python -m bench.pdf --tasks 3000  # a generated project of 3,000 tasks (issue 24: ≤ 1 s warm)

Warm = the same draft asked for again: its content is composed anew each time, and the PDF is
made again only if that content changed (app/reports/pdf.py), so warm measures the composing.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench.runner import RESULTS

DB = Path("/tmp/perf-pdf.db")


def _generated_draft(tasks: int) -> str:
    """A draft report of a generated project of `tasks` tasks (bench/generator.py)."""
    from datetime import date

    from sqlmodel import select

    from app.auth import service as auth
    from app.auth.models import User
    from app.db import Database
    from app.reports import service as reports
    from app.reports.schemas import StatusReportCreate
    from bench.generator import generate

    database = Database(os.environ["REFORMSTYR_DATABASE_URL"])
    with database.session() as session:
        out = generate(session, projects=1, tasks=tasks, seed=2013)
        project_id = out.projects[0]
        user = session.exec(select(User).where(User.username == "projektleder")).one()
        leader = auth.access_for(session=session, user=user, project_id=project_id)
        draft = reports.create_report(
            session=session,
            by=leader,
            data=StatusReportCreate(
                period_start_date=date(2025, 10, 1),
                period_end_date=date(2025, 12, 31),
                report_date=date(2025, 10, 1),
                next_period_end_date=date(2026, 3, 31),
            ),
        )
    database.dispose()
    return f"/projects/{project_id}/reports/{draft.id}.pdf"


def _demo_draft() -> str:
    from sqlmodel import select

    from app.db import Database
    from app.demo.loader import load_demo
    from app.reports.models import ReportStatus, StatusReport

    database = Database(os.environ["REFORMSTYR_DATABASE_URL"])
    with database.begin() as session:
        project = load_demo(session=session)
        draft = session.exec(
            select(StatusReport).where(
                StatusReport.project_id == project.id, StatusReport.status == ReportStatus.draft
            )
        ).first()
        assert draft is not None, "the demo has a draft report"
        return f"/projects/{project.id}/reports/{draft.id}.pdf"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, help="a generated project of this many tasks")
    args = parser.parse_args(argv)
    DB.unlink(missing_ok=True)
    os.environ["REFORMSTYR_DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["REFORMSTYR_TODAY"] = "2025-10-01" if args.tasks else "2013-05-15"
    from fastapi.testclient import TestClient

    from app.cli import migrate_database
    from app.main import create_app

    migrate_database(os.environ["REFORMSTYR_DATABASE_URL"])
    url = _generated_draft(args.tasks) if args.tasks else _demo_draft()
    client = TestClient(create_app())
    token = client.post("/api/token", data={"username": "projektleder", "password": "demo"})
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    seconds = []
    for _ in range(6):
        started = time.perf_counter()
        answer = client.get(url)
        seconds.append(time.perf_counter() - started)
        answer.raise_for_status()
    result = {
        "report": url,
        "tasks": args.tasks or "demo",
        "bytes": len(answer.content),
        "cold_s": round(seconds[0], 2),
        "warm_median_s": round(statistics.median(seconds[1:]), 2),
        "warm_max_s": round(max(seconds[1:]), 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}-pdf.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result), file=sys.stderr)


if __name__ == "__main__":
    main()
