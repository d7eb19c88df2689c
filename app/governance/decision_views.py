"""Pages of the decision log: the searchable log, recording and superseding a decision, and
a decision's page with its follow-up actions.

Writes go through the form pipeline (app/web/forms.py), as on the organisation's pages.
"""

from contextlib import suppress
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.deps import ProjectAccess, SessionDep
from app.errors import Conflict, DomainError
from app.governance import bodies, decisions, meetings, people, schemas
from app.governance.permissions import DecisionMaker, FollowUpEditor
from app.governance.shared_views import (
    answer,
    bodies_by_id,
    optional_id,
    page_context,
    refusal,
    row_url,
)
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()
DECISIONS = "/projects/{project_id}/decisions"
DECISION, DECISION_NEW = "governance/decision.html", "governance/decision_new.html"


def _log_context(
    session: Session, access: Access, *, q: str, body_id: int | None, page: int
) -> dict[str, Any]:
    paging = Page(number=page, size=25)
    log = decisions.decision_log(
        session=session,
        project_id=access.project_id,
        q=q,
        body_id=body_id,
        offset=paging.offset,
        limit=paging.size,
    )
    return page_context(
        session,
        access,
        section="decisions",
        decisions=log.decisions,
        paging=paging.with_total(log.total),
        q=q,
        body_id=body_id,
        numbers=log.numbers,
        open_actions=log.open_actions,
        **bodies_by_id(session, access),
    )


@router.get(DECISIONS)
def decisions_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    q: str = "",
    body: str = Query("", alias="body_id"),
    page: int = 1,
) -> Response:
    """The decision log, searchable; htmx gets just the results."""
    context = _log_context(session, access, q=q.strip()[:200], body_id=optional_id(body), page=page)
    if is_htmx(request) and request.headers.get("HX-Target") == "decision-results":
        return render(request, "governance/_decision_results.html", context)
    return render(request, "governance/decisions.html", context)


def _record_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    recent, _ = meetings.list_meetings(session=session, project_id=access.project_id, limit=100)
    return page_context(
        session,
        access,
        section="decisions",
        meetings=recent,
        people=people.people(session=session, project_id=access.project_id),
        **bodies_by_id(session, access),
        **{"errors": {}, "values": {}, "superseding": None} | values,
    )


def _decision_form(form: FormData) -> schemas.DecisionCreate:
    """The decision form, with at most one follow-up action (its fields named action_*)."""
    data = forms.read(schemas.DecisionCreate, form)
    if not str(form.get("action_text") or "").strip():
        return data
    fields = [
        (k.removeprefix("action_"), v) for k, v in form.multi_items() if k.startswith("action_")
    ]
    try:
        action = forms.read(schemas.FollowUpCreate, FormData(fields))
    except forms.FormInvalid as exc:
        raise forms.FormInvalid({f"action_{k}": m for k, m in exc.errors.items()}) from None
    return data.model_copy(update={"actions": [action]})


def _decision_refused(
    request: Request,
    session: Session,
    access: Access,
    form: FormData,
    outcome: forms.Outcome,
    superseding: Any = None,
) -> Response:
    """The decision form again; the service names the action's fields `actions.0.*`."""
    outcome.errors = {k.replace("actions.0.", "action_"): m for k, m in outcome.errors.items()}
    context = _record_context(session, access, superseding=superseding, **outcome.context(form))
    return forms.refused(request, DECISION_NEW, context, outcome)


@router.get(DECISIONS + "/new")
def new_decision(
    request: Request, access: DecisionMaker, session: SessionDep, meeting_id: int | None = None
) -> Response:
    """The form to record a decision, from a meeting when one is named."""
    values: dict[str, Any] = {"decision_date": clock.today().isoformat()}
    if meeting_id is not None:
        meeting = meetings.get_meeting(
            session=session, project_id=access.project_id, meeting_id=meeting_id
        )
        date = meeting.meeting_date.isoformat()
        values = {"meeting_id": meeting.id, "body_id": meeting.body_id, "decision_date": date}
    else:
        with suppress(DomainError):  # a project without a steering group: the user picks
            values["body_id"] = bodies.steering_group(
                session=session, project_id=access.project_id
            ).id
    return render(request, DECISION_NEW, _record_context(session, access, values=values))


@router.post(DECISIONS + "/new")
def record_decision(
    request: Request, form: FormDep, access: DecisionMaker, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        decision = decisions.record_decision(session=session, by=access, data=_decision_form(form))
    if outcome.failed:
        return _decision_refused(request, session, access, form, outcome)
    message = f"Beslutning nr. {decision.number} er registreret."
    return forms.done(request, row_url(access, "decisions", decision.id), message)


def _decision_context(
    session: Session, access: Access, decision_id: int, **values: Any
) -> dict[str, Any]:
    entry = decisions.decision_entry(
        session=session, project_id=access.project_id, decision_id=decision_id
    )
    return page_context(
        session,
        access,
        section="decisions",
        entry=entry,
        today=clock.today(),
        people=people.people(session=session, project_id=access.project_id),
        kind_label=decisions.KIND_LABELS.get(entry.decision.kind, entry.decision.kind),
        **values,
    )


@router.get(DECISIONS + "/{decision_id}")
def decision_page(
    request: Request, decision_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """One decision: its text, meeting, both ends of a supersession and its follow-ups."""
    return render(request, DECISION, _decision_context(session, access, decision_id))


@router.get(DECISIONS + "/{decision_id}/supersede")
def supersede_form(
    request: Request, decision_id: int, access: DecisionMaker, session: SessionDep
) -> Response:
    old = decisions.get_decision(
        session=session, project_id=access.project_id, decision_id=decision_id
    )
    if old.superseded_by_id is not None:
        raise Conflict(f"Beslutning nr. {old.number} er allerede afløst.")
    values = {"body_id": old.body_id, "title": old.title, "text": old.text}
    values["decision_date"] = clock.today().isoformat()
    context = _record_context(session, access, superseding=old, values=values)
    return render(request, DECISION_NEW, context)


@router.post(DECISIONS + "/{decision_id}/supersede")
def supersede(
    request: Request, form: FormDep, decision_id: int, access: DecisionMaker, session: SessionDep
) -> Response:
    old = decisions.get_decision(
        session=session, project_id=access.project_id, decision_id=decision_id
    )
    with forms.attempt(session) as outcome:
        data = _decision_form(form)
        new = decisions.supersede_decision(
            session=session, by=access, decision_id=decision_id, data=data
        )
    if outcome.failed:
        return _decision_refused(request, session, access, form, outcome, superseding=old)
    message = f"Beslutning nr. {new.number} er registreret og afløser nr. {old.number}."
    return forms.done(request, row_url(access, "decisions", new.id), message)


def _actions_answer(
    request: Request, outcome: forms.Outcome, context: dict[str, Any], message: str
) -> Response:
    """The decision's follow-ups after a write, or the decision's page at them."""
    url = row_url(context["access"], "decisions", context["entry"].decision.id, "actions")
    return answer(request, outcome, context, DECISION, "governance/_actions.html", url, message)


@router.post(DECISIONS + "/{decision_id}/actions")
def add_follow_up(
    request: Request, form: FormDep, decision_id: int, access: FollowUpEditor, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.FollowUpCreate, form)
        decisions.add_follow_up(session=session, by=access, decision_id=decision_id, data=data)
    context = _decision_context(session, access, decision_id, **refusal(outcome, form, "action"))
    return _actions_answer(request, outcome, context, "Opfølgningspunktet er tilføjet.")


@router.post(DECISIONS + "/{decision_id}/actions/{action_id}")
def save_follow_up(
    request: Request,
    form: FormDep,
    decision_id: int,
    action_id: int,
    access: FollowUpEditor,
    session: SessionDep,
) -> Response:
    """Mark a follow-up action done (today, or the date given) or not done again."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.FollowUpUpdate, form)
        decisions.update_follow_up(
            session=session, by=access, decision_id=decision_id, action_id=action_id, data=data
        )
    refused = refusal(outcome, form, "follow_up", follow_up_action=action_id)
    context = _decision_context(session, access, decision_id, **refused)
    return _actions_answer(request, outcome, context, "Opfølgningspunktet er opdateret.")
