"""Every update and delete of a status report is conditional (issue 25)."""

import pytest

from tests.conditional import Case, check
from tests.factories import bearer
from tests.reports.factories import make_report

CASES = [
    Case("patch", "/status-reports/{id}", make_report, {"texts": {"summary": "Alt går godt."}}),
    Case("delete", "/status-reports/{id}", make_report, ok=204),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_updates_and_deletes_name_the_version(client, session, world, case):
    check(client, session, world, bearer(client, case.user), case)
