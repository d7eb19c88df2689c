"""Every update and delete of a risk, an indicator and a measurement is conditional (issue 25)."""

import pytest

from tests.conditional import Case, check
from tests.factories import bearer
from tests.risks.factories import make_indicator, make_item, make_measurement

CASES = [
    Case("patch", "/risks/{id}", lambda s, w: make_item(s, w.project), {"status": "closed"}),
    Case("delete", "/risks/{id}", lambda s, w: make_item(s, w.project), ok=204),
    Case("patch", "/indicators/{id}", lambda s, w: make_indicator(s, w.project), {"unit": "timer"}),
    Case("delete", "/indicators/{id}", lambda s, w: make_indicator(s, w.project), ok=204),
    Case(
        "patch",
        "/indicators/{indicator_id}/measurements/{id}",
        lambda s, w: make_measurement(s, make_indicator(s, w.project)),
        {"value": "3"},
    ),
    Case(
        "delete",
        "/indicators/{indicator_id}/measurements/{id}",
        lambda s, w: make_measurement(s, make_indicator(s, w.project)),
        ok=204,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_updates_and_deletes_name_the_version(client, session, world, case):
    check(client, session, world, bearer(client, case.user), case)
