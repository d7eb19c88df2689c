"""A status report summarises a large project (app/reports/content.summarise): long lists keep
their most telling items and say how many there are in all; short lists stay as they are."""

from typing import Any

from app.reports.content import REASONS_SHOWN, SHOWN, summarise


def _content(n: int, reasons: int) -> dict[str, Any]:
    return {
        "tasks": {
            "blocked": [{"title": f"B{i}", "blocked_days": i} for i in range(n)],
            "done_in_period": [
                {"title": f"D{i}", "completed_date": f"2013-01-{1 + i % 28:02d}"} for i in range(n)
            ],
            "overdue_count": n,
        },
        "milestones": {"slipped": [{"name": f"M{i}", "slip_days": i} for i in range(n)]},
        "expenditures": {
            "rows": [{"description": f"E{i}", "amount_ore": i * 100} for i in range(n)],
            "total_ore": sum(i * 100 for i in range(n)),
        },
        "rag": {
            "dimensions": [{"key": "time", "reasons": [f"R{i}" for i in range(reasons)]}],
            "groups": [],
        },
    }


def test_a_small_project_s_lists_stay_whole_and_in_order() -> None:
    content = summarise(_content(SHOWN, reasons=REASONS_SHOWN + 1))
    assert [t["title"] for t in content["tasks"]["blocked"]] == [f"B{i}" for i in range(SHOWN)]
    assert content["counts"]["tasks.blocked"] == SHOWN
    assert len(content["rag"]["dimensions"][0]["reasons"]) == REASONS_SHOWN + 1  # not cut


def test_a_large_project_s_lists_keep_the_most_telling_and_count_all() -> None:
    content = summarise(_content(3000, reasons=3000))
    blocked = content["tasks"]["blocked"]
    assert len(blocked) == SHOWN and blocked[0]["blocked_days"] == 3000 - SHOWN
    assert min(t["blocked_days"] for t in blocked) == 3000 - SHOWN  # the longest blocked
    slipped = content["milestones"]["slipped"]
    assert min(m["slip_days"] for m in slipped) == 3000 - SHOWN  # the furthest slipped
    rows = content["expenditures"]["rows"]
    assert len(rows) == SHOWN and min(r["amount_ore"] for r in rows) == (3000 - SHOWN) * 100
    assert content["expenditures"]["total_ore"] == sum(i * 100 for i in range(3000))
    assert len(content["tasks"]["done_in_period"]) == SHOWN
    assert content["counts"] == {
        "tasks.blocked": 3000,
        "tasks.done_in_period": 3000,
        "milestones.slipped": 3000,
        "expenditures.rows": 3000,
    }
    reasons = content["rag"]["dimensions"][0]["reasons"]
    assert reasons[:REASONS_SHOWN] == [f"R{i}" for i in range(REASONS_SHOWN)]
    assert reasons[-1] == f"… og {3000 - REASONS_SHOWN} andre forhold."
