"""The charter's shapes take their fields from the project table's one declaration
(governance.models.ProjectBase): each must still behave as an input (or output) of its own."""

from datetime import date

import pytest
from pydantic import ValidationError

from app.governance.models import ProjectBase
from app.governance.schemas import ProjectCreate, ProjectPublic, ProjectUpdate


def test_a_new_charter_is_cleaned_limited_and_closed_to_unknown_fields():
    created = ProjectCreate(name="Reform\x07plan", purpose="Formål\x00")
    assert (created.name, created.purpose, created.municipality) == ("Reformplan", "Formål", "")
    with pytest.raises(ValidationError, match="at most 200 characters"):
        ProjectCreate(name="x" * 201)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        ProjectCreate(name="Reform", colour="red")
    with pytest.raises(ValidationError):
        ProjectCreate(name="Reform", start_date=date(1900, 1, 1))


def test_an_update_leaves_out_or_nulls_every_charter_field_but_keeps_the_limits():
    update = ProjectUpdate(version=3)
    assert update.model_dump(exclude_unset=True) == {"version": 3}
    assert ProjectUpdate(name=None, end_date=None, version=3).name is None
    with pytest.raises(ValidationError, match="at most 120 characters"):
        ProjectUpdate(municipality="x" * 121, version=3)
    # Left out, the version reaches the service, which answers 428 (not 422).
    assert ProjectUpdate(name="Reform").version is None


def test_every_shape_has_every_charter_field():
    charter = set(ProjectBase.model_fields)
    for shape in (ProjectCreate, ProjectUpdate, ProjectPublic):
        assert charter <= set(shape.model_fields), shape.__name__
