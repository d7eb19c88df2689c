"""The application's routes, derived from the app itself, and the forms its pages render.

Every security test walks `endpoints(app)`, so a route added later is covered without anyone
remembering it. `harvest_forms` reads the forms (and htmx buttons) of rendered pages, so a
form-posting route can be called with the fields its own page sends.
"""

import contextlib
import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html.parser import HTMLParser

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_api(self) -> bool:
        """Answers JSON (401 when signed out) rather than a page (303 to the sign-in page)."""
        return self.path.startswith("/api/") or self.path == "/openapi.json"

    @property
    def writes(self) -> bool:
        return self.method not in SAFE_METHODS

    @property
    def params(self) -> list[str]:
        return re.findall(r"{([^}:]+)(?::[^}]+)?}", self.path)

    def regex(self) -> re.Pattern[str]:
        return _path_regex(self.path)


@cache
def _path_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"({[^}]+})", path)
    return re.compile(
        "^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (method, path) the application answers, HEAD excluded, static files excluded."""
    found: dict[str, Endpoint] = {}
    for route in iter_route_contexts(app.routes):
        methods = route.methods or set()
        endpoint = route.endpoint
        if not methods or endpoint is None:
            continue  # the /static mount
        for method in sorted(methods - {"HEAD"}):
            item = Endpoint(method, route.path, f"{endpoint.__module__}.{endpoint.__name__}")
            found.setdefault(item.key, item)
    return list(found.values())


def route_of(endpoints_: list[Endpoint], method: str, url: str) -> Endpoint | None:
    """The endpoint a concrete URL is answered by (literal segments win over parameters)."""
    return _route_of(tuple(endpoints_), method, url.split("#", 1)[0].split("?", 1)[0])


@cache
def _route_of(endpoints_: tuple[Endpoint, ...], method: str, path: str) -> Endpoint | None:
    matches = [e for e in endpoints_ if e.method == method and e.regex().match(path)]
    matches.sort(key=lambda e: len(e.params))
    return matches[0] if matches else None


# Forms


@dataclass
class Form:
    """One way a page lets a person send a write: where to, and the fields it would send."""

    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    required: set[str] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    page: str = ""
    htmx: bool = False  # sent by htmx (hx-post and the like)
    plain: bool = False  # a <form method="post" action="…"> that works without JavaScript

    def data(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.buttons: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self._stack: list[dict] = []  # open forms
        self._containers: list[tuple[str, dict]] = []  # elements with an id holding fields
        self._select: dict | None = None
        self._textarea: dict | None = None

    def _add_field(self, entry: dict) -> None:
        if self._stack:
            self._stack[-1]["fields"].append(entry)
        for _, container in self._containers:
            container["fields"].append(entry)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            form = {"attrs": a, "fields": []}
            self.forms.append(form)
            self._stack.append(form)
            if a.get("id"):
                self.by_id[a["id"]] = form
            return
        if a.get("id") and tag in ("tr", "div", "section", "fieldset", "li", "td", "tbody"):
            container = {"attrs": a, "fields": []}
            self.by_id.setdefault(a["id"], container)
            self._containers.append((tag, container))
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                if kind == "submit" and a.get("name"):
                    pass
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                entry = {
                    "name": a.get("name", ""),
                    "value": None,
                    "type": kind,
                    "candidate": a.get("value", "on"),
                    "required": "required" in a,
                }
            else:
                entry = {
                    "name": a.get("name", ""),
                    "value": a.get("value", ""),
                    "type": kind,
                    "required": "required" in a,
                }
            if entry["name"]:
                self._add_field(entry)
        elif tag == "select":
            self._select = {
                "name": a.get("name", ""),
                "value": None,
                "type": "select",
                "options": [],
                "required": "required" in a,
                "multiple": "multiple" in a,
            }
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["value"] = value
            self._select["_pending"] = value is None
        elif tag == "textarea":
            self._textarea = {
                "name": a.get("name", ""),
                "value": "",
                "type": "textarea",
                "required": "required" in a,
            }
        elif tag == "button" or any(k in a for k in ("hx-post", "hx-put", "hx-patch", "hx-delete")):
            if any(k in a for k in ("hx-post", "hx-put", "hx-patch", "hx-delete")):
                self.buttons.append({"attrs": a, "form": self._stack[-1] if self._stack else None})
            elif tag == "button" and a.get("name") and self._stack:
                self._stack[-1].setdefault("submitters", []).append((a["name"], a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data
        elif self._select is not None and self._select.get("_pending"):
            self._select["options"][-1] = (self._select["options"][-1] or "") + data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._stack:
            self._stack.pop()
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            if select["value"] is None and select["options"] and not select["multiple"]:
                select["value"] = select["options"][0]
            if select["name"]:
                self._add_field(select)
        elif tag == "option" and self._select is not None:
            self._select["_pending"] = False
        elif tag == "textarea" and self._textarea is not None:
            if self._textarea["name"]:
                self._add_field(self._textarea)
            self._textarea = None
        if self._containers and self._containers[-1][0] == tag:
            self._containers.pop()


def _to_form(
    method: str, action: str, entries: list[dict], page: str, extra: list[tuple[str, str]] = ()
) -> Form:
    form = Form(method=method.upper(), action=action, page=page)
    for entry in entries:
        name = entry["name"]
        form.types[name] = entry["type"]
        if entry.get("options"):
            form.options[name] = [o for o in entry["options"] if o is not None]
        if entry.get("required"):
            form.required.add(name)
        if entry["type"] in ("checkbox", "radio"):
            form.options.setdefault(name, []).append(entry.get("candidate") or entry["value"] or "")
        if entry["value"] is None:
            continue
        form.fields.append((name, entry["value"]))
    form.fields.extend(extra)
    return form


def harvest_forms(html: str, page: str) -> list[Form]:
    """The forms and htmx write buttons of one rendered page or fragment."""
    parser = _FormParser()
    parser.feed(html)
    forms: list[Form] = []
    for raw in parser.forms:
        a = raw["attrs"]
        plain = a.get("method", "get").lower() == "post" and bool(a.get("action"))
        for verb in ("post", "put", "patch", "delete"):
            if a.get(f"hx-{verb}"):
                form = _to_form(
                    verb, a[f"hx-{verb}"], raw["fields"], page, raw.get("submitters", [])[:1]
                )
                form.htmx = True
                form.plain = plain and a["action"] == a[f"hx-{verb}"]
                forms.append(form)
                break
        else:
            if plain:
                form = _to_form(
                    "post", a["action"], raw["fields"], page, raw.get("submitters", [])[:1]
                )
                form.plain = True
                forms.append(form)
    for raw in parser.buttons:
        a = raw["attrs"]
        verb = next(v for v in ("post", "put", "patch", "delete") if a.get(f"hx-{v}"))
        entries = list(raw["form"]["fields"]) if raw["form"] else []
        for selector in filter(None, (a.get("hx-include") or "").split(",")):
            target = parser.by_id.get(selector.strip().lstrip("#"))
            if target:
                entries += target["fields"]
        extra: list[tuple[str, str]] = []
        if a.get("name"):
            extra.append((a["name"], a.get("value", "")))
        if a.get("hx-vals"):
            with contextlib.suppress(ValueError):
                extra += [(k, str(v)) for k, v in json.loads(a["hx-vals"]).items()]
        button = _to_form(verb, a[f"hx-{verb}"], entries, page, extra)
        button.htmx = True
        forms.append(button)
    return forms


@lru_cache
def application_endpoints() -> tuple[Endpoint, ...]:
    """The endpoints of an app built with the default wiring (no database is touched)."""
    from app.config import Settings
    from app.main import create_app

    app = create_app(Settings(database_url="sqlite://"))
    found = tuple(endpoints(app))
    app.state.db.dispose()
    return found
