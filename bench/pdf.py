"""The status report PDF rendered on request (a draft: issued reports are served as stored):
the demo project's draft report, timed cold and warm.

    python -m bench.pdf
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench.runner import RESULTS

DB = Path("/tmp/perf-pdf.db")


def main() -> None:
    DB.unlink(missing_ok=True)
    os.environ["REFORMSTYR_DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["REFORMSTYR_TODAY"] = "2013-05-15"
    from fastapi.testclient import TestClient
    from sqlmodel import select

    from app.cli import migrate_database
    from app.db import Database
    from app.demo.loader import load_demo
    from app.main import create_app
    from app.reports.models import ReportStatus, StatusReport

    migrate_database(os.environ["REFORMSTYR_DATABASE_URL"])
    database = Database(os.environ["REFORMSTYR_DATABASE_URL"])
    with database.begin() as session:
        project = load_demo(session=session)
        draft = session.exec(
            select(StatusReport).where(
                StatusReport.project_id == project.id, StatusReport.status == ReportStatus.draft
            )
        ).first()
        assert draft is not None, "the demo has a draft report"
        url = f"/projects/{project.id}/reports/{draft.id}.pdf"
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
