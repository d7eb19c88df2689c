"""The register's and the success measures' reads judged on an explicit day (`as_of`)."""

from datetime import date

import pytest

from tests.factories import bearer
from tests.risks.factories import make_indicator, make_item, make_measurement


def _get(client, world, path: str, as_of: str):
    answer = client.get(
        f"/api/projects/{world.project.id}{path}",
        params={"as_of": as_of},
        headers=bearer(client, "directorate"),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("as_of, overdue", [("2013-05-15", True), ("2013-05-01", False)])
def test_a_risks_review_is_overdue_as_of_the_day_asked(client, world, session, as_of, overdue):
    item = make_item(session, world.project, review_date=date(2013, 5, 10))
    assert _get(client, world, "/risks", as_of)[0]["review_overdue"] is overdue
    assert _get(client, world, "/risks/top", as_of)[0]["review_overdue"] is overdue
    assert _get(client, world, f"/risks/{item.id}", as_of)["review_overdue"] is overdue


@pytest.mark.parametrize(
    "as_of, missing, state", [("2013-04-01", True, "missing"), ("2013-02-01", False, "ok")]
)
def test_an_indicators_due_measurement_is_missing_as_of_the_day_asked(
    client, world, session, as_of, missing, state
):
    indicator = make_indicator(session, world.project)
    make_measurement(session, indicator, measured_date=date(2013, 1, 31))
    [listed] = _get(client, world, "/indicators", as_of)
    one = _get(client, world, f"/indicators/{indicator.id}", as_of)
    for row in (listed, one):
        assert row["next_due_date"] == "2013-02-28"
        assert row["measurement_missing"] is missing and row["due_state"] == state


@pytest.mark.parametrize(
    "path", ["/risks", "/risks/top", "/risks/1", "/indicators", "/indicators/1"]
)
def test_an_invalid_as_of_answers_422_naming_the_field(client, world, session, path):
    make_item(session, world.project)
    make_indicator(session, world.project)
    answer = client.get(
        f"/api/projects/{world.project.id}{path}",
        params={"as_of": "2013-13-01"},
        headers=bearer(client, "directorate"),
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["in"] == "query" and error["field"] == "as_of"
    assert error["message"] == "Feltet »Opgjort pr.« skal være en dato (ÅÅÅÅ-MM-DD)."
