"""Pages of the project's people and director areas: the list, and each row's inline form.

Every write goes through the form pipeline (app/web/forms.py), as on every organisation page.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.service import Access
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance import organisation, people, schemas
from app.governance.shared_views import ORG, answer, org_url, page_context, refusal
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render

router = APIRouter()

PEOPLE = "governance/people.html"
AREAS, AREA_ROW = "governance/_areas.html", "governance/_area_row.html"
PEOPLE_LIST, PERSON_ROW = "governance/_people.html", "governance/_person_row.html"


def people_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    """The people page; `editing` (a person) and `editing_area` open a row's inline form."""
    overview = organisation.people_overview(session=session, project_id=access.project_id)
    return page_context(session, access, section="people", **(vars(overview) | values))


def _area(session: Session, access: Access, area_id: int, **values: Any) -> dict[str, Any]:
    area = people.get_director_area(session=session, project_id=access.project_id, area_id=area_id)
    return people_context(session, access, area=area, **values)


def _person(session: Session, access: Access, person_id: int, **values: Any) -> dict[str, Any]:
    person = people.get_person(session=session, project_id=access.project_id, person_id=person_id)
    return people_context(session, access, person=person, **values)


@router.post(ORG + "/director-areas")
def create_director_area(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.DirectorAreaCreate, form)
        area = people.create_director_area(session=session, by=access, data=data)
    context = people_context(session, access, **refusal(outcome, form, "new_area"))
    message = "" if outcome.failed else f"Direktørområdet »{area.name}« er oprettet."
    url = org_url(access, "/people#areas")
    return answer(request, outcome, context, PEOPLE, AREAS, url, message)


@router.get(ORG + "/director-areas/{area_id}")
def area_row(
    request: Request, area_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, AREA_ROW, _area(session, access, area_id))


@router.get(ORG + "/director-areas/{area_id}/edit")
def edit_area(
    request: Request, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, AREA_ROW, _area(session, access, area_id, editing_area=area_id))


@router.post(ORG + "/director-areas/{area_id}")
def save_area(
    request: Request, form: FormDep, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.DirectorAreaUpdate, form)
        people.update_director_area(session=session, by=access, area_id=area_id, data=data)
    refused = refusal(outcome, form, "area", editing_area=area_id)
    context = _area(session, access, area_id, **refused)
    url = org_url(access, f"/people#area-{area_id}")
    return answer(request, outcome, context, PEOPLE, AREA_ROW, url, "Direktørområdet er gemt.")


@router.post(ORG + "/director-areas/{area_id}/delete")
def delete_area(
    request: Request, form: FormDep, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        people.delete_director_area(session=session, by=access, area_id=area_id, version=version)
    context = people_context(session, access, **refusal(outcome, FormData(), "new_area"))
    url = org_url(access, "/people#areas")
    return answer(request, outcome, context, PEOPLE, AREAS, url, "Direktørområdet er slettet.")


@router.post(ORG + "/people")
def create_person(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PersonCreate, form)
        person = people.create_person(session=session, by=access, data=data)
    context = people_context(session, access, **refusal(outcome, form, "new_person"))
    message = "" if outcome.failed else f"{person.name} er tilføjet."
    url = org_url(access, "/people#people")
    return answer(request, outcome, context, PEOPLE, PEOPLE_LIST, url, message)


@router.get(ORG + "/people/{person_id}")
def person_row(
    request: Request, person_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, PERSON_ROW, _person(session, access, person_id))


@router.get(ORG + "/people/{person_id}/edit")
def edit_person(
    request: Request, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, PERSON_ROW, _person(session, access, person_id, editing=person_id))


@router.post(ORG + "/people/{person_id}")
def save_person(
    request: Request, form: FormDep, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PersonUpdate, form)
        people.update_person(session=session, by=access, person_id=person_id, data=data)
    context = _person(
        session, access, person_id, **refusal(outcome, form, "person", editing=person_id)
    )
    url = org_url(access, f"/people#person-{person_id}")
    return answer(request, outcome, context, PEOPLE, PERSON_ROW, url, "Personen er gemt.")


@router.post(ORG + "/people/{person_id}/delete")
def delete_person(
    request: Request, form: FormDep, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        people.delete_person(session=session, by=access, person_id=person_id, version=version)
    context = people_context(session, access, **refusal(outcome, FormData(), "new_person"))
    url = org_url(access, "/people#people")
    return answer(request, outcome, context, PEOPLE, PEOPLE_LIST, url, "Personen er slettet.")
