"""A project document as a template: what a template keeps of a project (`to_template`), and
its dates moved to a new project's start (`shift_dates`).

A template is a project document without people and figures (docs/templates.md): the structure
and the starting texts stay, everything that names a person or records what happened goes.
Sections not named in KEPT_SECTIONS are left out whole, so a section a later domain adds (a
log, a register of what happened) never leaks into a template by default.
"""

import copy
import re
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from app.errors import Invalid, InvalidDocument
from app.projectdoc import document as projectdoc

KEPT_SECTIONS = (
    "format",
    "format_version",
    "project",
    "director_areas",
    "bodies",
    "group_settings",
    "tasks",
    "milestones",
    "indicators",
    "raid_items",
    "stakeholders",
    "participant_schemes",
)
# What each kept entry loses: field → the value it gets. Fields not named are kept as they are
# (a field a domain adds later, such as a task's parent, travels with its entry).
BLANKED: dict[str, dict[str, Any]] = {
    "project": {"municipality": "", "anchoring_decided_by": "", "anchoring_date": None},
    "bodies": {"members": []},
    "mandate": {"status": "not_started", "note": "", "status_date": None},
    "tasks": {
        "owner": None,
        "status": "not_started",
        "progress": 0,
        "blocked_since_date": None,
        "completed_date": None,
        "log": [],
    },
    "milestones": {"forecast_date": None, "actual_date": None, "status": "planned"},
    "indicators": {"owner": None, "baseline_value": None, "measurements": []},
    "raid_items": {"owner": None, "status": "open", "review_date": None},
    "stakeholders": {"contact": "", "history": []},
    "actions": {"responsible_person": None, "done": False, "done_date": None},
}
# RAID entries that record what happened rather than what may happen are left out.
DROPPED_RAID_KINDS = {"issue"}
NAME_PLACEHOLDER = "[navn]"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # a date or a time stamp: never a text about someone


def to_template(document: dict[str, Any]) -> dict[str, Any]:
    """The document without people and figures: what a template keeps of a project."""
    doc = copy.deepcopy(document)
    names = [p.get("name", "") for p in doc.get("people", []) if p.get("name")]
    template: dict[str, Any] = {k: doc[k] for k in KEPT_SECTIONS if k in doc}
    template["project"] = _blank(template["project"], "project")
    template["bodies"] = [
        _blank(b, "bodies") | {"mandate": [_blank(m, "mandate") for m in b.get("mandate", [])]}
        for b in template.get("bodies", [])
    ]
    for section in ("tasks", "milestones", "indicators"):
        template[section] = [_blank(item, section) for item in template.get(section, [])]
    template["raid_items"] = [
        _blank(item, "raid_items")
        for item in template.get("raid_items", [])
        if item.get("kind", "risk") not in DROPPED_RAID_KINDS
    ]
    template["stakeholders"] = [
        _blank(s, "stakeholders")
        | {"actions": [_blank(a, "actions") for a in s.get("actions", [])]}
        for s in template.get("stakeholders", [])
    ]
    template = _without_names(template, names)
    if template["project"].get("start_date") is None:
        template["project"]["start_date"] = _earliest(template)
    return template


def _blank(item: dict[str, Any], section: str) -> dict[str, Any]:
    # Each blank value is also the field's default, so a field left out needs nothing.
    return item | {k: v for k, v in BLANKED[section].items() if k in item}


def _without_names(value: Any, names: list[str]) -> Any:
    """Every text with the people's names replaced as whole words (a template names no one,
    even in a description written about them; a name like »1« leaves »2012-01-01« alone)."""
    if not names:
        return value
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\w)"
    )

    def replaced(item: Any) -> Any:
        if isinstance(item, str):
            return item if ISO_DATE.match(item) else pattern.sub(NAME_PLACEHOLDER, item)
        if isinstance(item, list):
            return [replaced(v) for v in item]
        if isinstance(item, dict):
            return {k: replaced(v) for k, v in item.items()}
        return item

    return replaced(value)


def _dates(value: Any) -> list[date]:
    """Every date (not timestamp) in a parsed document."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return [value]
    if isinstance(value, list):
        return [d for v in value for d in _dates(v)]
    if isinstance(value, BaseModel):
        return [d for name in type(value).model_fields for d in _dates(getattr(value, name))]
    return []


def _earliest(document: dict[str, Any]) -> str | None:
    found = _dates(projectdoc.parse(document))
    return min(found).isoformat() if found else None


def _reference(parsed: projectdoc.ProjectDocument) -> date | None:
    """The day a template's dates are reckoned from: its project's start, else its first date."""
    return parsed.project.start_date or min(_dates(parsed), default=None)


def _shifted(value: Any, delta: timedelta) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value + delta
    if isinstance(value, list):
        return [_shifted(v, delta) for v in value]
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={
                name: _shifted(getattr(value, name), delta) for name in type(value).model_fields
            }
        )
    return value


def shift_dates(document: dict[str, Any], start_date: date) -> dict[str, Any]:
    """The document with every date moved by the same number of days, so that its project
    starts on `start_date` (a document without dates is returned as it is)."""
    parsed = projectdoc.parse(document)
    reference = _reference(parsed)
    if reference is None:
        return copy.deepcopy(document)
    shifted = _shifted(parsed, start_date - reference).model_dump(mode="json")
    try:
        projectdoc.parse(shifted)
    except InvalidDocument as exc:
        raise Invalid(
            f"Skabelonens datoer kan ikke flyttes til den startdato: {exc.errors[0]['message']}",
            field="start_date",
        ) from None
    return dict(shifted)
