"""Every update and delete of the stakeholder API says which version it was made from (issue
25): without one 428 `version_required`, with an old one 409, both with the current version and
nothing changed; with the right one the change is made."""

import pytest
from sqlmodel import SQLModel

from tests.conditional import Case, check
from tests.factories import bearer
from tests.stakeholders.factories import make_action, make_activity, make_stakeholder


def _stakeholder(session, world) -> SQLModel:
    return make_stakeholder(session, world.project)


def _action(session, world) -> SQLModel:
    return make_action(session, make_stakeholder(session, world.project))


def _activity(session, world) -> SQLModel:
    return make_activity(session, world.project)


CASES = [
    Case("patch", "/stakeholders/{id}", _stakeholder, {"needs": "Skal orienteres"}),
    Case("delete", "/stakeholders/{id}", _stakeholder, ok=204),
    Case("patch", "/communication-actions/{id}", _action, {"what": "Nyhedsbrev"}),
    Case("delete", "/communication-actions/{id}", _action, ok=204),
    Case("patch", "/activities/{id}", _activity, {"place": "Odense"}),
    Case("delete", "/activities/{id}", _activity, ok=204),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_updates_and_deletes_name_the_version(client, session, world, case):
    check(client, session, world, bearer(client, case.user), case)
