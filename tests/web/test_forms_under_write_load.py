"""A refused page form while API clients write (issue 16, finding 1), against a real server.

The handler of a refused form reads the page to show again; run on the event loop, that read
waited for SQLite's write lock while the writer holding it waited for the loop: the form and the
queued writes answered 500 "database is locked" after 30 s, and /healthz did not answer. Here the
server (uvicorn, one worker) runs on the test's own database: a SQLite file, or PostgreSQL when
REFORMSTYR_TEST_DATABASE_URL is set (which has no such lock; the test then shows that nothing
else broke).
"""

import threading

import httpx

from app.governance.models import MandateItem
from tests.factories import bearer, csrf_of, login
from tests.reliability.workload import running

WRITERS = 6
FORMS = 5
# Generous, but below SQLite's 30 s busy timeout, so a request stuck behind the lock fails here.
TIMEOUT = 20


def _write_risks(
    base_url: str, headers: dict[str, str], path: str, *, number: int, started, stop, answers
) -> None:
    """One API client creating risks until told to stop; every answer (or error) is kept."""
    sequence = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=TIMEOUT) as client:
        while True:
            sequence += 1
            body = {"title": f"Risiko {number}-{sequence}", "probability": 2, "consequence": 2}
            try:
                answers.append(client.post(path, json=body).status_code)
            except httpx.HTTPError as exc:
                answers.append(type(exc).__name__)
            if sequence == 1:
                started.wait(timeout=TIMEOUT)
            if stop.is_set():
                return


def test_a_refused_form_answers_at_once_while_the_api_writes(database_url, world, session):
    project_id, body_id = world.project.id, world.steering.id
    item = MandateItem(body_id=body_id, text="Godkende implementeringsplanerne")
    session.add(item)
    session.commit()
    form_path = f"/projects/{project_id}/organisation/bodies/{body_id}/mandate/{item.id}"
    with (
        running(database_url) as server,
        httpx.Client(base_url=server.base_url, timeout=TIMEOUT) as browser,
        httpx.Client(base_url=server.base_url, timeout=TIMEOUT) as scripts,
    ):
        login(browser, "leader")
        csrf = csrf_of(browser, f"/projects/{project_id}/organisation/mandates")
        started = threading.Barrier(WRITERS + 1)
        stop = threading.Event()
        risk_answers: list[int | str] = []
        writers = [
            threading.Thread(
                target=_write_risks,
                args=(
                    server.base_url,
                    bearer(scripts, "leader"),
                    f"/api/projects/{project_id}/risks",
                ),
                kwargs={
                    "number": n,
                    "started": started,
                    "stop": stop,
                    "answers": risk_answers,
                },
            )
            for n in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        form_answers, health_answers = [], []
        try:
            started.wait(timeout=TIMEOUT)  # every writer has written once: the load is on
            for _ in range(FORMS):
                answer = browser.post(
                    form_path,
                    data={"text": "", "version": "999", "csrf_token": csrf},
                    headers={"HX-Request": "true"},
                )
                form_answers.append(answer.status_code)
                health_answers.append(scripts.get("/healthz").status_code)
        finally:
            stop.set()
            for writer in writers:
                writer.join(timeout=2 * TIMEOUT)
    assert form_answers == [409] * FORMS
    assert health_answers == [200] * FORMS
    assert len(risk_answers) > WRITERS
    assert set(risk_answers) == {201}, risk_answers
