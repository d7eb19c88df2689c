"""Pages of the bodies: the list, a body's page with its details, members and meeting rules,
and the mandates with their follow-up.

Every write goes through the form pipeline (app/web/forms.py), as on every organisation page.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.service import Access
from app.clock import today
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance import (
    bodies,
    mandates,
    meeting_rules,
    memberships,
    organisation,
    people,
    schemas,
)
from app.governance.models import (
    MEMBER_ROLE_LABELS,
    BodyKind,
    MandateStatus,
    MeetingCounterpart,
    MemberRole,
    Membership,
)
from app.governance.shared_views import ORG, answer, org_url, page_context, refusal
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render

router = APIRouter()

BODY = "governance/body.html"
BODY_INFO = "governance/_body_info.html"
MEMBERS = "governance/_members.html"
RULES = "governance/_meeting_rules.html"


def bodies_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    overview = organisation.bodies_overview(session=session, project_id=access.project_id)
    return page_context(
        session, access, section="bodies", kinds=list(BodyKind), **(vars(overview) | values)
    )


def _body_form(form: FormData) -> FormData:
    """The body form; the reporting line "auto" means the usual one (the field left out)."""
    if form.get("reports_to_id") != "auto":
        return form
    return FormData([(k, v) for k, v in form.multi_items() if k != "reports_to_id"])


@router.post(ORG + "/bodies")
def create_body(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.BodyCreate, _body_form(form))
        body = bodies.create_body(session=session, by=access, data=data)
    context = bodies_context(session, access, **refusal(outcome, form, "new_body"))
    message = "" if outcome.failed else f"»{body.name}« er oprettet."
    url = org_url(access, "/bodies")
    partial = "governance/_bodies.html"
    return answer(request, outcome, context, "governance/bodies.html", partial, url, message)


def _body_context(session: Session, access: Access, body_id: int, **values: Any) -> dict[str, Any]:
    """A body's page; `editing_body` opens its details' form, `editing` a member's."""
    page = organisation.body_page(session=session, project_id=access.project_id, body_id=body_id)
    rules = meeting_rules.statuses(
        session=session,
        project_id=access.project_id,
        on=today(),
        body_id=body_id,
        every_counterpart=True,
    )
    return page_context(
        session,
        access,
        section="bodies",
        roles=list(MemberRole),
        rules=rules,
        **(vars(page) | values),
    )


def body_url(access: Access, body_id: int, anchor: str) -> str:
    return org_url(access, f"/bodies/{body_id}#{anchor}")


@router.get(ORG + "/bodies/{body_id}")
@router.get(ORG + "/bodies/{body_id}/info")
@router.get(ORG + "/bodies/{body_id}/members")
def body_page(
    request: Request, body_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """A body's page; for htmx, its details (…/info) or its members (…/members)."""
    sections = {"info": BODY_INFO, "members": MEMBERS}
    template = sections.get(request.url.path.rsplit("/", 1)[-1], BODY)
    return render(request, template, _body_context(session, access, body_id))


@router.get(ORG + "/bodies/{body_id}/edit")
def edit_body(
    request: Request, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, BODY_INFO, _body_context(session, access, body_id, editing_body=True))


@router.post(ORG + "/bodies/{body_id}")
def save_body(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.BodyUpdate, form)
        bodies.update_body(session=session, by=access, body_id=body_id, data=data)
    refused = refusal(outcome, form, "body", editing_body=True)
    context = _body_context(session, access, body_id, **refused)
    url = body_url(access, body_id, "body-info")
    return answer(request, outcome, context, BODY, BODY_INFO, url, "Organet er gemt.")


@router.post(ORG + "/bodies/{body_id}/delete")
def delete_body(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        bodies.delete_body(
            session=session,
            by=access,
            body_id=body_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        context = _body_context(session, access, body_id, **refusal(outcome, FormData(), "body"))
        return forms.refused(request, BODY, context, outcome, partial=BODY_INFO)
    return forms.done(request, org_url(access, "/bodies"), "Organet er slettet.")


@router.post(ORG + "/bodies/{body_id}/members")
def add_member(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MembershipCreate, form)
        membership = memberships.add_member(session=session, by=access, body_id=body_id, data=data)
    context = _body_context(session, access, body_id, **refusal(outcome, form, "new_member"))
    message = "" if outcome.failed else _member_added(session, access, membership)
    url = body_url(access, body_id, "members")
    return answer(request, outcome, context, BODY, MEMBERS, url, message)


def _member_added(session: Session, access: Access, membership: Membership) -> str:
    person = people.get_person(
        session=session, project_id=access.project_id, person_id=membership.person_id
    )
    return f"{person.name} er tilføjet som {MEMBER_ROLE_LABELS[membership.role].lower()}."


@router.get(ORG + "/bodies/{body_id}/members/{membership_id}/edit")
def edit_member(
    request: Request, body_id: int, membership_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    membership = memberships.get_membership(
        session=session, project_id=access.project_id, body_id=body_id, membership_id=membership_id
    )
    context = _body_context(session, access, body_id, editing=membership.id)
    return render(request, MEMBERS, context)


@router.post(ORG + "/bodies/{body_id}/members/{membership_id}")
def save_member(
    request: Request,
    form: FormDep,
    body_id: int,
    membership_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MembershipUpdate, form)
        memberships.update_member(
            session=session, by=access, body_id=body_id, membership_id=membership_id, data=data
        )
    refused = refusal(outcome, form, "member", editing=membership_id)
    context = _body_context(session, access, body_id, **refused)
    url = body_url(access, body_id, f"member-{membership_id}")
    return answer(request, outcome, context, BODY, MEMBERS, url, "Medlemskabet er gemt.")


@router.post(ORG + "/bodies/{body_id}/members/{membership_id}/delete")
def remove_member(
    request: Request,
    form: FormDep,
    body_id: int,
    membership_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    """Take the person out, from »Gælder fra« when the form gives it (else today)."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MembershipRemove, form)
        memberships.remove_member(
            session=session,
            by=access,
            body_id=body_id,
            membership_id=membership_id,
            version=forms.form_version(form.getlist("version")),
            effective_date=data.effective_date,
        )
    refused = refusal(outcome, form, "member", editing=membership_id)
    context = _body_context(session, access, body_id, **refused)
    url = body_url(access, body_id, "members")
    message = "Personen er taget ud af organet."
    return answer(request, outcome, context, BODY, MEMBERS, url, message)


@router.post(ORG + "/bodies/{body_id}/meeting-rules/{counterpart}")
def set_meeting_rule(
    request: Request,
    form: FormDep,
    body_id: int,
    counterpart: MeetingCounterpart,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    """Set how often the body must at least meet the counterpart (empty: no rule)."""
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.MeetingRuleUpdate, form, version=version)
        meeting_rules.set_meeting_rule(
            session=session, by=access, body_id=body_id, counterpart=counterpart, data=data
        )
    refused = refusal(outcome, form, "rule", rule_refused=counterpart.value)
    context = _body_context(session, access, body_id, **refused)
    url = body_url(access, body_id, "meeting-rules")
    return answer(request, outcome, context, BODY, RULES, url, "Mødekadencen er gemt.")


# Mandates ---------------------------------------------------------------------------------------


def mandates_context(
    session: Session, access: Access, body_id: int | None = None, **values: Any
) -> dict[str, Any]:
    """Every body's mandate; `body_id` names the one whose section is answered (its forms show
    the messages of a refusal)."""
    if body_id is not None:
        bodies.get_body(session=session, project_id=access.project_id, body_id=body_id)
    every = mandates.mandates(session=session, project_id=access.project_id)
    return page_context(
        session,
        access,
        section="mandates",
        mandates=every,
        mandate=next((m for m in every if m.body.id == body_id), None),
        body_id=body_id,
        statuses=list(MandateStatus),
        **values,
    )


@router.get(ORG + "/bodies/{body_id}/mandate")
def mandate_section(
    request: Request,
    body_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: int | None = None,
) -> Response:
    context = mandates_context(session, access, body_id)
    if edit is not None and access.leads:
        item = mandates.get_mandate_item(
            session=session, project_id=access.project_id, body_id=body_id, item_id=edit
        )
        context["editing"] = item.id
    return render(request, "governance/_mandate.html", context)


def _mandate_answer(
    request: Request, outcome: forms.Outcome, context: dict[str, Any], message: str
) -> Response:
    """A body's mandate section after a write, or the mandates page at that body."""
    url = org_url(context["access"], f"/mandates#mandate-{context['body_id']}")
    page, partial = "governance/mandates.html", "governance/_mandate.html"
    return answer(request, outcome, context, page, partial, url, message)


@router.post(ORG + "/bodies/{body_id}/mandate")
def add_mandate_item(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MandateItemCreate, form)
        mandates.add_mandate_item(session=session, by=access, body_id=body_id, data=data)
    context = mandates_context(session, access, body_id, **refusal(outcome, form, "new_item"))
    return _mandate_answer(request, outcome, context, "Opgaven er føjet til mandatet.")


@router.post(ORG + "/bodies/{body_id}/mandate/{item_id}")
def save_mandate_item(
    request: Request,
    form: FormDep,
    body_id: int,
    item_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MandateItemUpdate, form)
        mandates.update_mandate_item(
            session=session, by=access, body_id=body_id, item_id=item_id, data=data
        )
    refused = refusal(outcome, form, "item", editing=item_id)
    context = mandates_context(session, access, body_id, **refused)
    return _mandate_answer(request, outcome, context, "Opfølgningen er gemt.")


@router.post(ORG + "/bodies/{body_id}/mandate/{item_id}/delete")
def delete_mandate_item(
    request: Request,
    form: FormDep,
    body_id: int,
    item_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        mandates.delete_mandate_item(
            session=session,
            by=access,
            body_id=body_id,
            item_id=item_id,
            version=forms.form_version(form.getlist("version")),
        )
    refused = refusal(outcome, FormData(), "item", editing=item_id)
    context = mandates_context(session, access, body_id, **refused)
    return _mandate_answer(request, outcome, context, "Opgaven er fjernet fra mandatet.")
