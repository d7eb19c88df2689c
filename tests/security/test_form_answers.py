"""Every page form answers a refusal where the person is, generated from the route table like
the authorisation matrix: an edit from an old copy (409) and a form with its required fields left
empty (422) come back as the form with its error summary — the whole page without htmx, the
form's partial (or, for a control without a form of its own, a message beside it) with htmx,
never the site's error page swapped into a row — and nothing is written."""

import json

from tests.security.calls import page_forms, prepare
from tests.security.inventory import Endpoint, Form, application_endpoints, route_of
from tests.security.stage import Stage

HTMX = {"HX-Request": "true"}
# Sign-in and account pages are FastAPI `Form()` handlers of their own (tests/auth).
OWN_FORMS = ("/login", "/logout", "/account", "/admin/")


ENDPOINTS = list(application_endpoints())


def _page_writes() -> list[Endpoint]:
    return [e for e in ENDPOINTS if e.writes and not e.is_api and not e.path.startswith(OWN_FORMS)]


def _page_forms(stage: Stage, endpoint: Endpoint) -> list[Form]:
    """The forms and htmx controls the pages render for the route, as the administrator sees
    them."""
    return [
        f
        for f in page_forms(stage)
        if f.method == endpoint.method and route_of(ENDPOINTS, f.method, f.action) == endpoint
    ]


def _written(stage: Stage) -> tuple:
    """Every table's row count and version sum (the audit log aside: showing a participant's
    page logs the read)."""
    return tuple(row for row in stage.fingerprint() if row[0] not in ("audit", "audit_event"))


def _refusals(stage: Stage, endpoint: Endpoint) -> list[tuple[str, dict, int]]:
    """The refused forms to send to the route: from an old copy when the form carries a
    version, with its required fields emptied when its page marks some as required."""
    data = dict(prepare(stage, endpoint).data or {})
    out = []
    if str(data.get("version", "")).isdigit():
        out.append(("stale", data | {"version": str(int(data["version"]) + 1000)}, 409))
    required = set().union(*(f.required for f in _page_forms(stage, endpoint)))
    required -= {"csrf_token", "version"}
    if required:
        out.append(("empty", data | dict.fromkeys(required, ""), 422))
    return out


def _check(stage: Stage, endpoint: Endpoint, kind: str, form: dict, status: int) -> list[str]:
    url = prepare(stage, endpoint).url
    what = f"{kind} POST {url}"
    problems = []
    before = _written(stage)
    forms = _page_forms(stage, endpoint)
    if any(f.plain for f in forms):
        page = stage.call("admin", endpoint, url, data=form)
        if page.status_code != status:
            problems.append(f"{what}: {page.status_code} without htmx, expected {status}")
        elif "data-error-summary" not in page.text or "site-header" not in page.text:
            problems.append(f"{what}: the page without htmx shows no error summary")
    if any(f.htmx for f in forms):
        swapped = stage.call("admin", endpoint, url, data=form, headers=HTMX)
        trigger = json.loads(swapped.headers.get("HX-Trigger") or "{}")
        beside = swapped.headers.get("HX-Reswap") == "none" and "failed" in trigger
        if swapped.status_code != status:
            problems.append(f"{what}: {swapped.status_code} with htmx, expected {status}")
        elif "site-header" in swapped.text:
            problems.append(f"{what}: htmx gets the whole page")
        elif not (beside or "field-error" in swapped.text or "data-error-summary" in swapped.text):
            problems.append(f"{what}: htmx gets neither the form with its messages nor a message")
    if _written(stage) != before:
        problems.append(f"{what}: a refused form wrote something")
    return problems


def test_every_page_form_answers_a_refusal_where_the_person_is(stage: Stage) -> None:
    problems: list[str] = []
    tried = 0
    for endpoint in _page_writes():
        for kind, form, status in _refusals(stage, endpoint):
            tried += 1
            problems += _check(stage, endpoint, kind, form, status)
    assert tried >= 60, f"only {tried} refusals were tried: the route walk found too few forms"
    assert not problems, "\n".join(problems)
