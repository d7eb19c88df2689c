"""The follow-ups due judged on an explicit day (`as_of`)."""

import pytest

from tests.factories import bearer
from tests.participants.factories import make_participant, make_scheme


@pytest.mark.parametrize(
    "as_of, listed, overdue",
    [("2013-07-01", False, None), ("2013-07-25", True, False), ("2013-08-05", True, True)],
)
def test_a_follow_up_is_due_and_overdue_as_of_the_day_asked(
    client, world, session, as_of, listed, overdue
):
    # Started 01.05.2013, followed up every 3 months: due 01.08.2013, listed 14 days before.
    make_participant(session, world, make_scheme(session, world))
    answer = client.get(
        f"/api/projects/{world.project.id}/participants/due",
        params={"as_of": as_of},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()
    assert [r["due_date"] for r in rows] == (["2013-08-01"] if listed else [])
    assert [r["overdue"] for r in rows] == ([overdue] if listed else [])


def test_an_invalid_as_of_answers_422_naming_the_field(client, world, session):
    make_scheme(session, world)
    answer = client.get(
        f"/api/projects/{world.project.id}/participants/due",
        params={"as_of": "2013-13-01"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["in"] == "query" and error["field"] == "as_of"
    assert error["message"] == "Feltet »Opgjort pr.« skal være en dato (ÅÅÅÅ-MM-DD)."
