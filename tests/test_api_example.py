"""The example script of docs/api.md runs against the API as a script writer would run it."""

import importlib.util

from app.config import ROOT
from tests.factories import PASSWORD
from tests.workstreams.factories import make_task

SCRIPT = ROOT / "docs" / "examples" / "api_script.py"


def _script():
    spec = importlib.util.spec_from_file_location("api_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_script_signs_in_creates_a_task_survives_a_409_and_pages(
    client, world, session, capsys
):
    for n in range(60):  # more than one page of 50
        make_task(session, world, title=f"Opgave {n}")
    result = _script().run(client, "leader", PASSWORD)
    assert [p["id"] for p in result["projects"]] == [world.project.id]
    assert result["task"]["progress"] == 40 and result["task"]["version"] == 3
    assert len(result["tasks"]) == 61
    assert len({t["id"] for t in result["tasks"]}) == 61  # no row twice across pages
    printed = capsys.readouterr().out
    assert "409 version_conflict" in printed and "61 opgaver" in printed
