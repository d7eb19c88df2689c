"""Turning a route's declaration into a concrete request: the path filled with the demo's ids,
the example body with ids and current versions, or the fields the route's own page form sends."""

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from tests.security.inventory import Endpoint, Form, endpoints, harvest_forms, route_of
from tests.security.route_access import CRAWL_EXTRA, Rule, rule_of
from tests.security.stage import FILLER_TABLE, Stage, fill, substitute


@dataclass
class Call:
    url: str
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def declared(endpoint: Endpoint) -> Rule:
    rule = rule_of(endpoint.key)
    if rule is None:
        raise AssertionError(
            f"The route {endpoint.key} ({endpoint.name}) has no declaration in "
            f"tests/security/route_access.py: declare who may call it."
        )
    return rule


def _version_of(stage: Stage, key: str) -> int:
    with stage.db.engine.connect() as conn:
        version = conn.execute(
            text(f'SELECT version FROM "{FILLER_TABLE[key]}" WHERE id=:i'),
            {"i": stage.fillers[key]},
        ).scalar()
    return version or 0  # a row not written yet (a group's meeting rule) is at 0


def current_versions(stage: Stage, value: Any) -> Any:
    """Replace "{version:filler}" by the row's current version (read from the database); in a
    query string ("version={version:task}") too."""
    if isinstance(value, str):
        match = re.fullmatch(r"{version:(\w+)}", value)
        if match:
            return _version_of(stage, match.group(1))
        return re.sub(r"{version:(\w+)}", lambda m: str(_version_of(stage, m.group(1))), value)
    if isinstance(value, dict):
        return {k: current_versions(stage, v) for k, v in value.items()}
    if isinstance(value, list):
        return [current_versions(stage, v) for v in value]
    return value


# Forms harvested from the pages


def page_forms(stage: Stage) -> list[Form]:
    """Every form on every page and fragment of the app, as the administrator sees them."""
    cached = getattr(stage, "_forms", None)
    if cached is not None:
        return cached
    forms: list[Form] = []
    client = stage.browsers["admin"]
    urls = []
    for path in [
        e.path
        for e in endpoints(stage.app)
        if e.method == "GET" and not e.is_api and "{token}" not in e.path
    ]:
        try:
            urls.append(fill(path, stage.fillers))
        except AssertionError:
            continue  # a path the stage cannot fill yet: the matrix names it
    urls += [substitute(path, stage.fillers) for path in CRAWL_EXTRA]
    for url in urls:
        answer = client.get(url)
        if answer.status_code == 200 and "html" in answer.headers.get("content-type", ""):
            forms += harvest_forms(answer.text, url)
    stage._forms = forms  # type: ignore[attr-defined]
    return forms


def _guess(name: str, kind: str, options: list[str]) -> str:
    """A plausible value for a required field the page left empty."""
    usable = [o for o in options if o]
    if usable:
        return usable[0]
    lowered = name.lower()
    if kind == "date" or lowered.endswith("date"):
        return "2013-03-01"
    if kind == "month" or "month" in lowered:
        return "2013-03"
    if kind == "time" or lowered.endswith("time"):
        return "10:00"
    if kind == "number" or any(
        w in lowered for w in ("amount", "pool", "value", "hours", "expected", "year")
    ):
        return "2014" if "year" in lowered else "1"
    if kind == "email" or "email" in lowered:
        return "prove@example.dk"
    return "Prøve"


def form_for(stage: Stage, endpoint: Endpoint, url: str) -> dict[str, Any]:
    """The fields the route's own page sends, with required empty fields given a value."""
    all_endpoints = getattr(stage, "_endpoints", None) or endpoints(stage.app)
    stage._endpoints = all_endpoints  # type: ignore[attr-defined]
    candidates = [
        f
        for f in page_forms(stage)
        if f.method == endpoint.method and route_of(all_endpoints, f.method, f.action) == endpoint
    ]
    if not candidates:
        return {}
    exact = [f for f in candidates if f.action.split("#")[0].split("?")[0] == url]
    form = (exact or candidates)[0]
    data: dict[str, Any] = {}
    for name, values in form.data().items():
        if name == "csrf_token":
            continue
        data[name] = values if len(values) > 1 else values[0]
    for name in form.required:
        if name != "csrf_token" and not data.get(name):
            data[name] = _guess(name, form.types.get(name, "text"), form.options.get(name, []))
    return data


def prepare(stage: Stage, endpoint: Endpoint, rule: Rule | None = None) -> Call:
    """The request that calls the route with its declared (or page-harvested) example."""
    rule = rule or declared(endpoint)
    url = fill(endpoint.path, stage.fillers, substitute(rule.params, stage.fillers))
    if rule.query:
        url += "?" + current_versions(stage, substitute(rule.query, stage.fillers))
    call = Call(url=url)
    if not endpoint.writes:
        return call
    if endpoint.path == "/api/token":
        call.data = dict(rule.form)
    elif endpoint.is_api and rule.files:  # a multipart upload (attachments)
        call.data = substitute(rule.form, stage.fillers)
        call.files = rule.files
    elif endpoint.is_api:
        call.json = current_versions(stage, substitute(rule.json, stage.fillers))
    else:
        data = form_for(stage, endpoint, url) if endpoint.path != "/login" else {}
        data |= substitute(rule.form, stage.fillers)
        call.data = current_versions(stage, data)
        call.files = rule.files
    return call


def login_token(client: Any) -> str:
    """The sign-in form's double-submit token (the page sets the matching cookie)."""
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
