"""Every update and delete through the API says which version it was made from (issue 25,
docs/api.md »Samtidige ændringer«): without one the answer is 428 `version_required` with the
current version, and nothing changes. The routes on rows that have no version — links, immutable
records, tokens, a person's own settings — are listed in EXEMPT with the reason."""

import re

import pytest

from tests.security.calls import declared, prepare
from tests.security.inventory import application_endpoints
from tests.security.stage import Stage

WRITES = [e for e in application_endpoints() if e.is_api and e.method in ("PATCH", "PUT", "DELETE")]

P = "/api/projects/{project_id}"
EXEMPT = {
    f"DELETE {P}/attachments/{{attachment_id}}": "an attachment is never edited, only removed",
    f"DELETE {P}/organisation-changes/{{change_id}}": "a dated record, never edited",
    f"DELETE {P}/members/{{member_id}}": "a link between a person and the project",
    f"DELETE {P}/activities/{{activity_id}}/delegates/{{person_id}}": "a link",
    f"DELETE {P}/participant-registrars/{{user_id}}": "a link: an appointment",
    f"PUT {P}/meetings/{{meeting_id}}/attendance/{{person_id}}": "sets one fact; the same answer "
    "twice changes nothing",
    f"DELETE {P}/meetings/{{meeting_id}}/attendance/{{person_id}}": "removes that fact",
    f"PUT {P}/activity-kinds/assignments": "sets the kinds of the activities named in the call",
    f"DELETE {P}/calendar/token": "the caller's own feed link",
    "DELETE /api/me/tokens/{token_id}": "the caller's own access token",
    "PUT /api/me/notification-settings": "the caller's own choices",
    "DELETE /api/templates/{template_id}": "a template is never edited, only published or removed",
}


def test_every_exemption_names_a_write_route():
    keys = {e.key for e in WRITES}
    assert not [key for key in EXEMPT if key not in keys]


CHECKED = [e for e in WRITES if e.key not in EXEMPT]


@pytest.mark.parametrize("endpoint", CHECKED, ids=[e.key for e in CHECKED])
def test_a_write_without_a_version_is_refused_and_changes_nothing(stage: Stage, endpoint):
    call = prepare(stage, endpoint, declared(endpoint))
    url = re.sub(r"([?&])version=\d+&?", r"\1", call.url).rstrip("?&")
    body = call.json
    if isinstance(body, dict):
        body = {key: value for key, value in body.items() if key != "version"}
    before = stage.fingerprint()
    answer = stage.call("admin", endpoint, url, json=body)
    assert answer.status_code == 428, f"{endpoint.key}: {answer.status_code} {answer.text[:300]}"
    problem = answer.json()
    assert problem["code"] == "version_required"
    assert isinstance(problem["current_version"], int)
    assert stage.fingerprint() == before, f"{endpoint.key}: a refused write changed the database"
