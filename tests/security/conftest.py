"""Fixtures of the security tests: the demo template (once per run) and a stage per module."""

from collections.abc import Iterator

import pytest

from tests.security.stage import Stage, make_template, module_database, open_stage


@pytest.fixture(scope="session")
def demo_template(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_template(template_database, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def stage(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Stage]:
    """The app on this module's own copy of the demo, with every role signed in."""
    with module_database(
        demo_template, tmp_path_factory.mktemp("stage"), request.module.__name__
    ) as url:
        opened = open_stage(url)
        try:
            yield opened
        finally:
            opened.close()
