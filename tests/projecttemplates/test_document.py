"""The template of a project document (to_template) and its dates moved (shift_dates)."""

import json
from datetime import date

import pytest

from app.demo.loader import DEMO_DIR, demo_document
from app.errors import Invalid
from app.projectdoc.document import parse
from app.projecttemplates.document import NAME_PLACEHOLDER, shift_dates, to_template
from app.projecttemplates.service import BUILTINS

DEMO_PEOPLE = [
    p["name"]
    for p in json.loads((DEMO_DIR / "organisation.json").read_text(encoding="utf-8"))["people"]
]


def test_the_template_of_the_demo_names_no_one_and_holds_no_figures():
    raw = to_template(demo_document())
    template = parse(raw).model_dump(mode="json")  # every field, as the document means it
    text = json.dumps(raw, ensure_ascii=False)
    assert DEMO_PEOPLE and not [name for name in DEMO_PEOPLE if name in text]
    for section in (
        "people",
        "meetings",
        "decisions",
        "plans",
        "external_activities",
        "funds",
        "grants",
        "budget_lines",
        "expenditures",
        "reform_economy",
    ):
        assert not template.get(section), section
    assert template["project"]["municipality"] == ""
    assert template["project"]["anchoring_decided_by"] == ""
    assert all(not b["members"] for b in template["bodies"])
    assert all(
        m["status"] == "not_started" and not m["note"]
        for b in template["bodies"]
        for m in b["mandate"]
    )
    assert all(
        t["owner"] is None and not t["log"] and t["progress"] == 0 and t["status"] == "not_started"
        for t in template["tasks"]
    )
    assert all(
        not i["measurements"] and i["baseline_value"] is None for i in template["indicators"]
    )
    assert any(i["target_value"] for i in template["indicators"])  # targets stay
    assert all(not s["history"] and not s["contact"] for s in template["stakeholders"])
    assert all(r["kind"] != "issue" and r["owner"] is None for r in template["raid_items"])
    assert all(
        m["status"] == "planned" and m["actual_date"] is None for m in template["milestones"]
    )
    # The structure stays: every body, task, milestone, indicator and scheme of the demo.
    demo = demo_document()
    for section in ("bodies", "tasks", "milestones", "indicators", "participant_schemes"):
        assert len(template[section]) == len(demo[section]), section
    assert len(template["group_settings"]) == len(demo["group_settings"])


def test_a_name_in_a_kept_text_is_replaced():
    document = {
        "project": {"name": "P", "start_date": "2020-01-01"},
        "people": [{"key": "hh", "name": "Hanne Hansen"}],
        "tasks": [{"key": "t", "title": "Møde med Hanne Hansen", "owner": "hh"}],
    }
    template = to_template(document)
    assert template["tasks"][0]["title"] == f"Møde med {NAME_PLACEHOLDER}"
    assert "people" not in template and template["tasks"][0]["owner"] is None


def test_a_name_is_replaced_as_a_word_and_never_inside_a_date_or_another_word():
    document = {
        "project": {"name": "P", "start_date": "2012-01-01"},
        "people": [{"key": "a", "name": "1"}, {"key": "b", "name": "Bo"}],
        "tasks": [{"key": "t", "title": "Fase 1 med Bo og Bodil", "due_date": "2012-01-10"}],
    }
    template = to_template(document)
    assert template["project"]["start_date"] == "2012-01-01"
    assert template["tasks"][0]["due_date"] == "2012-01-10"
    assert template["tasks"][0]["title"] == (
        f"Fase {NAME_PLACEHOLDER} med {NAME_PLACEHOLDER} og Bodil"
    )


def test_a_template_without_a_start_date_is_reckoned_from_its_first_date():
    document = {
        "project": {"name": "P"},
        "milestones": [
            {"key": "b", "name": "B", "planned_date": "2020-03-01"},
            {"key": "a", "name": "A", "planned_date": "2020-02-01"},
        ],
    }
    template = to_template(document)
    assert template["project"]["start_date"] == "2020-02-01"
    moved = shift_dates(template, date(2030, 2, 1))
    # The same number of days (29, over 2020's leap day), not the same day of the month.
    assert [m["planned_date"] for m in moved["milestones"]] == ["2030-03-02", "2030-02-01"]


@pytest.mark.parametrize("builtin", BUILTINS, ids=lambda b: b.id)
def test_each_builtin_template_is_a_valid_project_document(builtin):
    document = builtin.document()
    parsed = parse(document)
    assert parsed.project.start_date is not None
    assert not parsed.people and not parsed.meetings and not parsed.expenditures


def test_shift_dates_moves_every_date_by_the_same_number_of_days():
    pilot = next(b for b in BUILTINS if b.id == "pilot").document()
    moved = shift_dates(pilot, date(2025, 1, 6))
    days = (date(2025, 1, 6) - date.fromisoformat(pilot["project"]["start_date"])).days

    def later(old: str, new: str) -> bool:
        return (date.fromisoformat(new) - date.fromisoformat(old)).days == days

    assert moved["project"]["start_date"] == "2025-01-06"
    assert later(pilot["project"]["end_date"], moved["project"]["end_date"])
    for old, new in zip(pilot["milestones"], moved["milestones"], strict=True):
        assert later(old["planned_date"], new["planned_date"])
    for old, new in zip(pilot["tasks"], moved["tasks"], strict=True):
        assert (old.get("start_date") is None) == (new["start_date"] is None)
        if old.get("due_date"):
            assert later(old["due_date"], new["due_date"])
    scheme_old, scheme_new = pilot["participant_schemes"][0], moved["participant_schemes"][0]
    assert later(scheme_old["period_start_date"], scheme_new["period_start_date"])
    for old, new in zip(pilot["indicators"], moved["indicators"], strict=True):
        assert later(old["baseline_date"], new["baseline_date"])
    parse(moved)


def test_a_start_date_that_moves_dates_out_of_range_is_refused_on_the_start_date():
    pilot = next(b for b in BUILTINS if b.id == "pilot").document()
    with pytest.raises(Invalid) as refused:
        shift_dates(pilot, date(2100, 12, 1))
    assert refused.value.field == "start_date"
