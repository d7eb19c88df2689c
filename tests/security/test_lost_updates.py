"""No lost updates: two people edit the same task, milestone or expenditure from the same copy.
Exactly one succeeds; the other gets 409 and a page that shows what the first one saved, and
nothing is silently overwritten - one after the other, and at the same moment."""

import threading

import pytest
from fastapi.testclient import TestClient

from tests.security.calls import form_for
from tests.security.inventory import application_endpoints
from tests.security.stage import Stage

# (filler, API path, page form path, field to change, first value, second value)
EDITS = [
    (
        "task",
        "/api/projects/{p}/tasks/{i}",
        "/projects/{p}/tasks/{i}",
        "title",
        "Kortlægning (Christina)",
        "Kortlægning (administrator)",
    ),
    (
        "milestone",
        "/api/projects/{p}/milestones/{i}",
        "/projects/{p}/milestones/{i}",
        "name",
        "Milepæl (Christina)",
        "Milepæl (administrator)",
    ),
    (
        "expenditure",
        "/api/projects/{p}/expenditures/{i}",
        "/projects/{p}/budget/expenditures/{i}",
        "description",
        "Frikøb (Christina)",
        "Frikøb (administrator)",
    ),
]
IDS = [e[0] for e in EDITS]


def _url(stage: Stage, template: str, filler: str) -> str:
    return template.format(p=stage.fillers["project"], i=stage.fillers[filler])


@pytest.mark.parametrize(("filler", "api", "page", "field", "first", "second"), EDITS, ids=IDS)
def test_the_second_edit_from_an_old_copy_is_refused(
    stage: Stage, filler, api, page, field, first, second
):
    url = _url(stage, api, filler)
    copy = stage.api.get(url, headers=stage.bearer["leader"]).json()
    one = stage.api.patch(
        url, json={field: first, "version": copy["version"]}, headers=stage.bearer["leader"]
    )
    assert one.status_code == 200, one.text
    other = stage.api.patch(
        url, json={field: second, "version": copy["version"]}, headers=stage.bearer["admin"]
    )
    assert other.status_code == 409, other.text
    now = stage.api.get(url, headers=stage.bearer["admin"]).json()
    assert now[field] == first and now["version"] == copy["version"] + 1


@pytest.mark.parametrize(("filler", "api", "page", "field", "first", "second"), EDITS, ids=IDS)
def test_two_edits_at_the_same_moment_one_wins(
    stage: Stage, filler, api, page, field, first, second
):
    url = _url(stage, api, filler)
    version = stage.api.get(url, headers=stage.bearer["leader"]).json()["version"]
    start = threading.Barrier(2)
    answers: dict[str, int] = {}

    def edit(role: str, value: str) -> None:
        with TestClient(stage.app) as client:
            start.wait()
            answer = client.patch(
                url,
                json={field: value + " (samtidig)", "version": version},
                headers=stage.bearer[role],
            )
            answers[role] = answer.status_code

    threads = [
        threading.Thread(target=edit, args=(r, v))
        for r, v in (("leader", first), ("admin", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers.values()) == [200, 409], answers
    winner = next(r for r, code in answers.items() if code == 200)
    now = stage.api.get(url, headers=stage.bearer["leader"]).json()
    assert now[field] == (first if winner == "leader" else second) + " (samtidig)"
    assert now["version"] == version + 1


@pytest.mark.parametrize(("filler", "api", "page", "field", "first", "second"), EDITS, ids=IDS)
def test_the_page_shows_the_conflict_and_what_was_saved(
    stage: Stage, filler, api, page, field, first, second
):
    url = _url(stage, api, filler)
    page_url = _url(stage, page, filler)
    endpoint = next(
        e for e in application_endpoints() if e.method == "POST" and e.regex().match(page_url)
    )
    stale = form_for(stage, endpoint, page_url)  # the form as the page rendered it earlier
    assert "version" in stale, f"{page_url}: the edit form carries no version"
    saved = stage.api.patch(
        url,
        json={field: first + " (side)", "version": int(stale["version"])},
        headers=stage.bearer["leader"],
    )
    assert saved.status_code == 200, saved.text
    stale[field] = second + " (side)"
    answer = stage.browsers["admin"].post(
        page_url, data=stale, headers={"X-CSRF-Token": stage.csrf["admin"]}
    )
    assert answer.status_code == 409, answer.text[:500]
    assert first + " (side)" in answer.text, "the 409 page does not show what the other saved"
    now = stage.api.get(url, headers=stage.bearer["leader"]).json()
    assert now[field] == first + " (side)"
