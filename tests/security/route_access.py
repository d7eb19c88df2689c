"""Who may call which route: one declaration per route of the application.

The authorisation matrix (test_authorization_matrix.py) calls every route as every role and
compares the answer with the declaration here; the CSRF and audit tests reuse the example bodies.
A route with no declaration fails the matrix, naming the route, so a new route cannot slip by.

An access class is the set of roles that may call a route. The member plays "a member of the
information group acting on another group's items": the path ids (tests/security/stage.py) and
the example bodies point at group B, so GROUP routes must refuse them. Example bodies use
"{filler}" for ids of the demo's rows and "{version:filler}" for a row's current version.
Page forms (POST to an HTML route) are sent with the fields their own page renders
(inventory.harvest_forms); `form` adds or overrides fields.
"""

from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = "anonymous"
ADMIN_ = "admin"
LEADER_ = "leader"
STEERING_ = "steering"
MEMBER_ = "member"
DIRECTORATE_ = "directorate"
SECRETARIAT_ = "secretariat"
OUTSIDER_ = "outsider"

SIGNED_IN_ROLES = frozenset(
    {ADMIN_, LEADER_, STEERING_, MEMBER_, DIRECTORATE_, SECRETARIAT_, OUTSIDER_}
)

# Access classes
ANYONE = frozenset({ANONYMOUS}) | SIGNED_IN_ROLES  # public: sign-in, health, the calendar feed
SIGNED_IN = SIGNED_IN_ROLES  # any account, whatever its projects
ADMIN = frozenset({ADMIN_})
PROJECT = frozenset({ADMIN_, LEADER_, STEERING_, MEMBER_, DIRECTORATE_, SECRETARIAT_})  # reads
LEADER = frozenset({ADMIN_, LEADER_})
STEERING = frozenset({ADMIN_, STEERING_})  # approve or return a group's plan
STEERING_LEADER = frozenset({ADMIN_, STEERING_, LEADER_})  # record decisions
SECRETARIAT = frozenset({ADMIN_, LEADER_, SECRETARIAT_})  # meetings and agendas
MINUTES = frozenset({ADMIN_, LEADER_, SECRETARIAT_, STEERING_})  # minutes, decision follow-up
GROUP = frozenset({ADMIN_, LEADER_})  # group-scoped: the member of group A is refused on B
REGISTRAR = frozenset({ADMIN_, LEADER_, SECRETARIAT_})  # participant records (appointed)


@dataclass(frozen=True)
class Rule:
    access: frozenset[str]
    json: Any = None
    form: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None
    query: str = ""
    # Path parameters other than the usual fillers (a row nothing refers to, for deletions).
    params: dict[str, str] = field(default_factory=dict)
    # Calls the administrator makes first when the route must succeed (the audit test), e.g.
    # approving a report before issuing it: (method, path, JSON body).
    before: tuple[tuple[str, str, Any], ...] = ()
    # The call ends the caller's session (sign-out): made with a fresh sign-in.
    ends_session: bool = False
    # The answer an allowed caller gets when the call cannot succeed in the test's setting
    # (single sign-on is not configured there: its routes answer 404 to everyone).
    answers: int | None = None
    note: str = ""


def R(access: frozenset[str], json: Any = None, **kwargs: Any) -> Rule:  # noqa: N802
    return Rule(access, json=json, **kwargs)


P = "/api/projects/{project_id}"
EXPORTED_LISTS = (
    "tasks",
    "milestones",
    "decisions",
    "risks",
    "stakeholders",
    "communication",
    "meetings",
    "expenditures",
)
H = "/projects/{project_id}"
# A new status report needs the open draft out of the way; issuing needs an approved report.
# The directorate reads issued status reports (not the leader's drafts).
ISSUED = {"report_id": "{issued_report}"}
DROP_DRAFT_REPORT = (
    ("DELETE", "/api/projects/{project}/status-reports/{report}?version={version:report}", None),
)
SUBMIT_REPORT = (("POST", "/api/projects/{project}/status-reports/{report}/submit", {}),)
APPROVE_REPORT = (
    *SUBMIT_REPORT,
    ("POST", "/api/projects/{project}/status-reports/{report}/approve", {}),
)
ATTACHED = {"file": ("bilag.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}
DOC = b'{"format": "reformstyr.project", "format_version": 1, "project": {"name": "Importeret"}}'

ROUTES: dict[str, frozenset[str] | Rule] = {
    # Accounts, sign-in, the API's own description
    "POST /api/token": R(ANYONE, form={"username": "direktion", "password": "demo"}),
    "GET /api/me": SIGNED_IN,
    "GET /api/me/tokens": SIGNED_IN,
    "POST /api/me/tokens": R(SIGNED_IN, {"name": "Script"}),
    "DELETE /api/me/tokens/{token_id}": R(
        SIGNED_IN,
        params={"token_id": "{spare_token}"},
        note="the leader's spare API token: another user's is not found (404)",
    ),
    "GET /api/users": ADMIN,
    "POST /api/users": R(
        ADMIN, {"username": "ny.bruger", "password": "langt-nok-1", "full_name": "Ny Bruger"}
    ),
    "POST /api/users/{user_id}/deactivate": ADMIN,
    "POST /api/users/{user_id}/activate": ADMIN,
    "POST /api/users/{user_id}/unlock": ADMIN,
    "GET /login": ANYONE,
    "POST /login": R(
        ANYONE,
        form={"username": "direktion", "password": "demo"},
        note="the sign-in form's own double-submit token is added by the test",
    ),
    "POST /logout": R(SIGNED_IN, ends_session=True),
    "GET /login/sso": R(ANYONE, answers=404, note="single sign-on is off in the test settings"),
    "GET /login/sso/callback": R(
        ANYONE, answers=404, note="single sign-on is off in the test settings"
    ),
    "GET /account": SIGNED_IN,
    "POST /account/tokens": R(SIGNED_IN, form={"name": "Script"}),
    "POST /account/tokens/{token_id}/revoke": R(
        SIGNED_IN,
        params={"token_id": "{spare_token}"},
        note="the leader's spare API token: another user's is not found (404)",
    ),
    "GET /openapi.json": SIGNED_IN,
    "GET /healthz": ANYONE,
    "GET /static/vendor/plotly.min.js": ANYONE,
    "GET /favicon.ico": R(ANYONE, note="a redirect to the static SVG icon"),
    "GET /calendar/{token}.ics": R(ANYONE, note="the personal feed: the secret URL is the key"),
    "GET /admin/users": ADMIN,
    "POST /admin/users": R(
        ADMIN, form={"username": "ny.side", "password": "langt-nok-1", "full_name": "Ny Side"}
    ),
    "POST /admin/users/{user_id}/active": R(ADMIN, form={"active": "true"}),
    "POST /admin/users/{user_id}/unlock": ADMIN,
    # Projects, charter, project document
    "GET /api/projects": SIGNED_IN,
    "POST /api/projects": R(ADMIN, {"name": "Nyt projekt", "municipality": "Svendborg Kommune"}),
    "POST /api/projects/import": R(
        ADMIN,
        {
            "format": "reformstyr.project",
            "format_version": 1,
            "project": {"name": "Importeret via API"},
        },
    ),
    "GET /api/project-document/schema": SIGNED_IN,
    f"GET {P}": PROJECT,
    f"PATCH {P}": R(LEADER, {"economy_note": "Opdateret", "version": "{version:project}"}),
    f"GET {P}/export": LEADER,
    "GET /": SIGNED_IN,
    "GET /projects/new": ADMIN,
    "POST /projects/new": R(ADMIN, form={"name": "Nyt projekt fra siden"}),
    "POST /projects/import": R(
        ADMIN, files={"document": ("projekt.json", DOC, "application/json")}
    ),
    f"GET {H}": PROJECT,
    f"GET {H}/export": LEADER,
    # Templates (app/projecttemplates)
    "GET /api/templates": SIGNED_IN,
    "GET /api/templates/{template_id}": R(SIGNED_IN, params={"template_id": "pilot"}),
    "DELETE /api/templates/{template_id}": R(ADMIN, params={"template_id": "{spare_template}"}),
    f"POST {P}/save-as-template": R(LEADER, {"name": "Skabelon via API"}),
    "POST /api/projects/from-template": R(
        ADMIN, {"template": "pilot", "name": "Fra skabelon via API", "start_date": "2025-01-06"}
    ),
    "GET /templates": SIGNED_IN,
    "GET /templates/{template_id}": R(SIGNED_IN, params={"template_id": "pilot"}),
    "POST /templates/{template_id}/delete": R(ADMIN, params={"template_id": "{spare_template}"}),
    "GET /projects/new/from-template": ADMIN,
    "POST /projects/from-template": R(
        ADMIN,
        form={"template": "pilot", "name": "Fra skabelon på siden", "start_date": "2025-01-06"},
    ),
    f"GET {H}/save-as-template": LEADER,
    f"POST {H}/save-as-template": R(LEADER, form={"name": "Skabelon fra siden"}),
    # Organisation: director areas, people, bodies, members, mandates
    f"GET {P}/director-areas": PROJECT,
    f"POST {P}/director-areas": R(LEADER, {"name": "Teknik og Miljø"}),
    f"PATCH {P}/director-areas/{{area_id}}": R(
        LEADER, {"name": "Social og Sundhed", "version": "{version:area}"}
    ),
    f"DELETE {P}/director-areas/{{area_id}}": R(
        LEADER, params={"area_id": "{spare_area}"}, query="version={version:spare_area}"
    ),
    f"GET {P}/people": PROJECT,
    f"POST {P}/people": R(LEADER, {"name": "Karen Holm", "title": "Konsulent"}),
    f"GET {P}/people/{{person_id}}": PROJECT,
    f"PATCH {P}/people/{{person_id}}": R(
        LEADER, {"title": "Chefkonsulent", "version": "{version:person}"}
    ),
    f"DELETE {P}/people/{{person_id}}": R(
        LEADER, params={"person_id": "{spare_person}"}, query="version={version:spare_person}"
    ),
    f"GET {P}/bodies": PROJECT,
    f"POST {P}/bodies": R(LEADER, {"kind": "implementation_group", "name": "Ny gruppe"}),
    f"GET {P}/bodies/{{body_id}}": PROJECT,
    f"PATCH {P}/bodies/{{body_id}}": R(
        LEADER, {"description": "Opdateret", "version": "{version:body}"}
    ),
    f"DELETE {P}/bodies/{{body_id}}": R(
        LEADER, params={"body_id": "{spare_body}"}, query="version={version:spare_body}"
    ),
    f"GET {P}/bodies/{{body_id}}/members": PROJECT,
    f"POST {P}/bodies/{{body_id}}/members": R(LEADER, {"person_id": "{person}", "role": "member"}),
    f"PATCH {P}/bodies/{{body_id}}/members/{{membership_id}}": R(
        LEADER, {"condition": "Ad hoc", "version": "{version:membership}"}
    ),
    f"DELETE {P}/bodies/{{body_id}}/members/{{membership_id}}": R(
        LEADER, query="version={version:membership}"
    ),
    f"GET {P}/organisation-changes": PROJECT,
    f"POST {P}/organisation-changes": R(
        LEADER, {"effective_date": "2013-03-01", "description": "Ny projektleder"}
    ),
    f"GET {P}/organisation-changes/{{change_id}}": PROJECT,
    f"DELETE {P}/organisation-changes/{{change_id}}": LEADER,
    f"GET {P}/mandates": PROJECT,
    f"GET {P}/bodies/{{body_id}}/mandate": PROJECT,
    f"POST {P}/bodies/{{body_id}}/mandate": R(LEADER, {"text": "Ny opgave i mandatet"}),
    f"PATCH {P}/bodies/{{body_id}}/mandate/{{item_id}}": R(
        LEADER, {"status": "in_progress", "version": "{version:mandate_item}"}
    ),
    f"DELETE {P}/bodies/{{body_id}}/mandate/{{item_id}}": R(
        LEADER, query="version={version:mandate_item}"
    ),
    f"GET {P}/members": LEADER,
    f"POST {P}/members": R(LEADER, {"user_id": "{spare_user}", "role": "directorate"}),
    f"DELETE {P}/members/{{member_id}}": LEADER,
    f"GET {H}/organisation": PROJECT,
    f"GET {H}/organisation/edit": LEADER,
    f"POST {H}/organisation/edit": LEADER,
    f"GET {H}/organisation/people": PROJECT,
    f"POST {H}/organisation/director-areas": R(LEADER, form={"name": "Kultur og Fritid"}),
    f"GET {H}/organisation/director-areas/{{area_id}}": PROJECT,
    f"GET {H}/organisation/director-areas/{{area_id}}/edit": LEADER,
    f"POST {H}/organisation/director-areas/{{area_id}}": LEADER,
    f"POST {H}/organisation/director-areas/{{area_id}}/delete": R(
        LEADER, params={"area_id": "{spare_area}"}, form={"version": "{version:spare_area}"}
    ),
    f"POST {H}/organisation/people": R(LEADER, form={"name": "Jens Lund"}),
    f"GET {H}/organisation/people/{{person_id}}": PROJECT,
    f"GET {H}/organisation/people/{{person_id}}/edit": LEADER,
    f"POST {H}/organisation/people/{{person_id}}": LEADER,
    f"POST {H}/organisation/people/{{person_id}}/delete": R(
        LEADER, params={"person_id": "{spare_person}"}, form={"version": "{version:spare_person}"}
    ),
    f"GET {H}/organisation/bodies": PROJECT,
    f"POST {H}/organisation/bodies": R(
        LEADER, form={"name": "Arbejdsgruppe", "kind": "implementation_group"}
    ),
    f"GET {H}/organisation/bodies/{{body_id}}": PROJECT,
    f"GET {H}/organisation/bodies/{{body_id}}/info": PROJECT,
    f"GET {H}/organisation/bodies/{{body_id}}/edit": LEADER,
    f"POST {H}/organisation/bodies/{{body_id}}": LEADER,
    f"POST {H}/organisation/bodies/{{body_id}}/delete": R(
        LEADER, params={"body_id": "{spare_body}"}, form={"version": "{version:spare_body}"}
    ),
    f"POST {H}/organisation/bodies/{{body_id}}/members": R(LEADER, form={"person_id": "{person}"}),
    f"GET {H}/organisation/bodies/{{body_id}}/members/{{membership_id}}/edit": LEADER,
    f"GET {H}/organisation/bodies/{{body_id}}/members": PROJECT,
    f"POST {H}/organisation/bodies/{{body_id}}/meeting-rules/{{counterpart}}": R(
        LEADER, form={"meeting_interval_days": "30", "version": "0"}, params={"counterpart": "any"}
    ),
    f"POST {H}/organisation/bodies/{{body_id}}/members/{{membership_id}}": LEADER,
    f"POST {H}/organisation/bodies/{{body_id}}/members/{{membership_id}}/delete": R(
        LEADER, form={"version": "{version:membership}"}
    ),
    f"GET {H}/organisation/changes": PROJECT,
    f"POST {H}/organisation/changes": R(
        LEADER, form={"effective_date": "2013-03-01", "description": "Ny projektleder"}
    ),
    f"POST {H}/organisation/changes/{{change_id}}/delete": LEADER,
    f"GET {H}/organisation/mandates": PROJECT,
    f"GET {H}/organisation/bodies/{{body_id}}/mandate": PROJECT,
    f"POST {H}/organisation/bodies/{{body_id}}/mandate": R(LEADER, form={"text": "Ny opgave"}),
    f"POST {H}/organisation/bodies/{{body_id}}/mandate/{{item_id}}": R(
        LEADER, form={"version": "{version:mandate_item}"}
    ),
    f"POST {H}/organisation/bodies/{{body_id}}/mandate/{{item_id}}/delete": R(
        LEADER, form={"version": "{version:mandate_item}"}
    ),
    f"GET {H}/organisation/chart": PROJECT,
    f"GET {H}/access": LEADER,
    f"POST {H}/access": R(
        LEADER, form={"user_id": "{spare_user}", "role": "directorate", "group_id": ""}
    ),
    f"POST {H}/access/{{member_id}}/revoke": LEADER,
    f"GET {H}/audit": LEADER,
    f"GET {H}/audit/export": LEADER,
    f"GET {P}/audit/export": LEADER,
    "GET /api/users/{user_id}/audit/export": ADMIN,
    "GET /admin/users/{user_id}/audit": ADMIN,
    "GET /admin/users/{user_id}/audit/export": ADMIN,
    # Meetings, minutes, decisions
    f"GET {P}/meetings": PROJECT,
    f"POST {P}/meetings": R(
        SECRETARIAT,
        {"body_id": "{body_steering}", "meeting_date": "2013-06-12", "place": "Rådhuset"},
    ),
    f"GET {P}/meetings/{{meeting_id}}": PROJECT,
    f"PATCH {P}/meetings/{{meeting_id}}": R(
        SECRETARIAT, {"place": "Jobcentret", "version": "{version:meeting}"}
    ),
    f"PUT {P}/meetings/{{meeting_id}}/minutes": R(
        MINUTES, {"minutes": "Referat", "version": "{version:meeting}"}
    ),
    f"DELETE {P}/meetings/{{meeting_id}}": R(
        SECRETARIAT,
        params={"meeting_id": "{spare_meeting}"},
        query="version={version:spare_meeting}",
    ),
    f"POST {P}/meetings/{{meeting_id}}/agenda": R(SECRETARIAT, {"title": "Eventuelt"}),
    f"PATCH {P}/meetings/{{meeting_id}}/agenda/{{item_id}}": R(
        SECRETARIAT, {"description": "Opdateret", "version": "{version:agenda_item}"}
    ),
    f"DELETE {P}/meetings/{{meeting_id}}/agenda/{{item_id}}": R(
        SECRETARIAT, query="version={version:agenda_item}"
    ),
    f"PUT {P}/meetings/{{meeting_id}}/attendance/{{person_id}}": R(
        SECRETARIAT, {"status": "absent", "reason": "Syg"}
    ),
    f"DELETE {P}/meetings/{{meeting_id}}/attendance/{{person_id}}": SECRETARIAT,
    f"GET {P}/decisions": PROJECT,
    f"POST {P}/decisions": R(
        STEERING_LEADER,
        {
            "title": "Ny beslutning",
            "text": "Besluttet",
            "decision_date": "2013-06-12",
            "body_id": "{body_steering}",
        },
    ),
    f"GET {P}/decisions/{{decision_id}}": PROJECT,
    f"POST {P}/decisions/{{decision_id}}/supersede": R(
        STEERING_LEADER, {"title": "Erstattende beslutning", "decision_date": "2013-06-13"}
    ),
    f"POST {P}/decisions/{{decision_id}}/actions": R(MINUTES, {"text": "Følg op"}),
    f"PATCH {P}/decisions/{{decision_id}}/actions/{{action_id}}": R(
        MINUTES, {"done_date": "2013-06-20", "version": "{version:follow_up_action}"}
    ),
    f"GET {H}/meetings": PROJECT,
    f"POST {H}/meetings": R(
        SECRETARIAT, form={"body_id": "{body_steering}", "meeting_date": "2013-06-12"}
    ),
    f"GET {H}/meetings/{{meeting_id}}": PROJECT,
    f"GET {H}/meetings/{{meeting_id}}/info": PROJECT,
    f"POST {H}/meetings/{{meeting_id}}": R(SECRETARIAT, form={"version": "{version:meeting}"}),
    f"POST {H}/meetings/{{meeting_id}}/delete": R(
        SECRETARIAT,
        params={"meeting_id": "{spare_meeting}"},
        form={"version": "{version:spare_meeting}"},
    ),
    f"GET {H}/meetings/{{meeting_id}}/agenda": PROJECT,
    f"POST {H}/meetings/{{meeting_id}}/agenda": R(SECRETARIAT, form={"title": "Orientering"}),
    f"POST {H}/meetings/{{meeting_id}}/agenda/{{item_id}}": R(
        SECRETARIAT, form={"version": "{version:agenda_item}"}
    ),
    f"POST {H}/meetings/{{meeting_id}}/agenda/{{item_id}}/delete": R(
        SECRETARIAT, form={"version": "{version:agenda_item}"}
    ),
    f"POST {H}/meetings/{{meeting_id}}/attendance": R(
        SECRETARIAT, form={"person_id": "{attendee}", "status": "absent"}
    ),
    f"POST {H}/meetings/{{meeting_id}}/attendance/{{person_id}}/delete": SECRETARIAT,
    f"GET {H}/meetings/{{meeting_id}}/minutes": PROJECT,
    f"POST {H}/meetings/{{meeting_id}}/minutes": R(
        MINUTES, form={"minutes": "Referat", "version": "{version:meeting}"}
    ),
    f"GET {H}/decisions": PROJECT,
    f"GET {H}/decisions/new": STEERING_LEADER,
    f"POST {H}/decisions/new": R(
        STEERING_LEADER, form={"title": "Beslutning fra siden", "decision_date": "2013-06-12"}
    ),
    f"GET {H}/decisions/{{decision_id}}": PROJECT,
    f"GET {H}/decisions/{{decision_id}}/supersede": STEERING_LEADER,
    f"POST {H}/decisions/{{decision_id}}/supersede": R(
        STEERING_LEADER, form={"title": "Erstatning fra siden", "decision_date": "2013-06-13"}
    ),
    f"POST {H}/decisions/{{decision_id}}/actions": R(MINUTES, form={"text": "Følg op"}),
    f"POST {H}/decisions/{{decision_id}}/actions/{{action_id}}": MINUTES,
    f"GET {P}/audit": LEADER,
    # Risks and indicators (group-scoped where they belong to a group)
    f"GET {P}/risks": PROJECT,
    f"POST {P}/risks": R(
        GROUP, {"title": "Ny risiko", "probability": 2, "consequence": 3, "group_id": "{group_b}"}
    ),
    f"GET {P}/risks/heatmap": PROJECT,
    f"GET {P}/risks/top": PROJECT,
    f"GET {P}/risks/{{item_id}}": PROJECT,
    f"PATCH {P}/risks/{{item_id}}": R(
        GROUP, {"response": "Tæt opfølgning", "version": "{version:risk}"}
    ),
    f"DELETE {P}/risks/{{item_id}}": R(GROUP, query="version={version:risk}"),
    f"GET {P}/indicators": PROJECT,
    f"POST {P}/indicators": R(
        GROUP,
        {
            "name": "Nyt mål",
            "baseline_date": "2013-01-01",
            "frequency": "monthly",
            "group_id": "{group_b}",
        },
    ),
    f"GET {P}/indicators/{{indicator_id}}": PROJECT,
    f"PATCH {P}/indicators/{{indicator_id}}": R(
        GROUP, {"definition": "Opdateret", "version": "{version:indicator}"}
    ),
    f"DELETE {P}/indicators/{{indicator_id}}": R(GROUP, query="version={version:indicator}"),
    f"GET {P}/indicators/{{indicator_id}}/chart": PROJECT,
    f"GET {P}/indicators/{{indicator_id}}/measurements": PROJECT,
    f"POST {P}/indicators/{{indicator_id}}/measurements": R(
        GROUP, {"measured_date": "2015-06-30", "value": "12"}
    ),
    f"PATCH {P}/indicators/{{indicator_id}}/measurements/{{measurement_id}}": R(
        GROUP, {"note": "Rettet", "version": "{version:measurement}"}
    ),
    f"DELETE {P}/indicators/{{indicator_id}}/measurements/{{measurement_id}}": R(
        GROUP, query="version={version:measurement}"
    ),
    f"POST {P}/indicators/{{indicator_id}}/from-registrations": R(
        GROUP, {"metric": "started", "as_of": "2015-06-29"}
    ),
    f"GET {H}/risks": PROJECT,
    f"POST {H}/risks": R(
        GROUP,
        form={
            "title": "Risiko fra siden",
            "group_id": "{group_b}",
            "probability": "2",
            "consequence": "3",
        },
    ),
    f"GET {H}/risks/{{item_id}}": PROJECT,
    f"POST {H}/risks/{{item_id}}": GROUP,
    f"POST {H}/risks/{{item_id}}/delete": R(GROUP, form={"version": "{version:risk}"}),
    f"GET {H}/risks/{{item_id}}/row": PROJECT,
    f"GET {H}/risks/{{item_id}}/row/edit": GROUP,
    f"POST {H}/risks/{{item_id}}/row": GROUP,
    f"GET {H}/indicators": PROJECT,
    f"POST {H}/indicators": R(
        GROUP,
        form={"name": "Mål fra siden", "group_id": "{group_b}", "baseline_date": "2013-01-01"},
    ),
    f"GET {H}/indicators/{{indicator_id}}": PROJECT,
    f"POST {H}/indicators/{{indicator_id}}": GROUP,
    f"POST {H}/indicators/{{indicator_id}}/delete": R(
        GROUP, form={"version": "{version:indicator}"}
    ),
    f"POST {H}/indicators/{{indicator_id}}/measurements": R(
        GROUP, form={"measured_date": "2015-07-31", "value": "14"}
    ),
    f"POST {H}/indicators/{{indicator_id}}/measurements/{{measurement_id}}/delete": R(
        GROUP, form={"version": "{version:measurement}"}
    ),
    # Tasks, milestones, plans (group-scoped)
    f"GET {P}/tasks": PROJECT,
    f"POST {P}/tasks": R(GROUP, {"title": "Ny opgave", "group_id": "{group_b}"}),
    f"GET {P}/tasks/{{task_id}}": PROJECT,
    f"PATCH {P}/tasks/{{task_id}}": R(GROUP, {"progress": 40, "version": "{version:task}"}),
    f"DELETE {P}/tasks/{{task_id}}": R(GROUP, query="version={version:task}"),
    f"GET {P}/tasks/{{task_id}}/log": PROJECT,
    f"POST {P}/tasks/{{task_id}}/log": R(GROUP, {"text": "Status", "progress": 50}),
    f"GET {P}/milestones": PROJECT,
    f"POST {P}/milestones": R(
        GROUP, {"name": "Ny milepæl", "group_id": "{group_b}", "planned_date": "2013-09-01"}
    ),
    f"GET {P}/milestones/{{milestone_id}}": PROJECT,
    f"PATCH {P}/milestones/{{milestone_id}}": R(
        GROUP, {"forecast_date": "2013-09-15", "version": "{version:milestone}"}
    ),
    f"DELETE {P}/milestones/{{milestone_id}}": R(GROUP, query="version={version:milestone}"),
    f"GET {P}/plans": PROJECT,
    f"POST {P}/plans": R(GROUP, {"group_id": "{planless_group}", "title": "Plan"}),
    f"GET {P}/plans/{{plan_id}}": PROJECT,
    f"PATCH {P}/plans/{{plan_id}}": R(
        GROUP, {"description": "Opdateret", "version": "{version:plan}"}
    ),
    f"DELETE {P}/plans/{{plan_id}}": R(GROUP, query="version={version:plan}"),
    f"POST {P}/plans/{{plan_id}}/submit": R(GROUP, {"note": "Til godkendelse"}),
    f"POST {P}/plans/{{plan_id}}/approve": R(
        STEERING, {"comment": "Godkendt"}, params={"plan_id": "{submitted_plan}"}
    ),
    f"POST {P}/plans/{{plan_id}}/return": R(
        STEERING, {"comment": "Tilbage"}, params={"plan_id": "{submitted_plan}"}
    ),
    f"GET {P}/plan-compliance": PROJECT,
    f"GET {P}/meeting-rules": PROJECT,
    f"GET {P}/bodies/{{body_id}}/meeting-rules": PROJECT,
    f"PATCH {P}/bodies/{{body_id}}/meeting-rules/{{counterpart}}": R(
        LEADER, {"meeting_interval_days": 30, "version": 0}, params={"counterpart": "any"}
    ),
    f"GET {P}/group-settings/{{group_id}}": PROJECT,
    f"PATCH {P}/group-settings/{{group_id}}": R(
        LEADER, {"meeting_interval_days": 30, "version": "{version:group_setting}"}
    ),
    f"GET {H}/plans": PROJECT,
    f"POST {H}/tasks/{{task_id}}/anchor": R(LEADER, form={"group_id": "{group_b}"}),
    f"GET {H}/groups/{{group_id}}": PROJECT,
    f"GET {H}/tasks/{{task_id}}/row": PROJECT,
    f"GET {H}/tasks/{{task_id}}/log-form": GROUP,
    f"GET {H}/tasks/{{task_id}}/edit": GROUP,
    f"POST {H}/tasks/{{task_id}}/log": R(GROUP, form={"text": "Fra siden", "progress": "60"}),
    f"POST {H}/tasks/{{task_id}}": GROUP,
    f"POST {H}/tasks": R(GROUP, form={"title": "Opgave fra siden", "group_id": "{group_b}"}),
    f"POST {H}/tasks/{{task_id}}/delete": R(GROUP, form={"version": "{version:task}"}),
    f"POST {H}/tasks/{{task_id}}/move": R(
        GROUP, form={"direction": "down", "version": "{version:task}"}
    ),
    f"POST {H}/plans": R(GROUP, form={"group_id": "{planless_group}"}),
    f"POST {H}/plans/{{plan_id}}": R(
        GROUP, form={"title": "Tids- og handleplan", "version": "{version:plan}"}
    ),
    f"POST {H}/plans/{{plan_id}}/submit": R(GROUP, form={"version": "{version:plan}"}),
    f"POST {H}/plans/{{plan_id}}/decide": R(
        STEERING, form={"decision": "approve"}, params={"plan_id": "{submitted_plan}"}
    ),
    f"POST {H}/groups/{{group_id}}/meeting-rule": R(LEADER, form={"meeting_interval_days": "14"}),
    f"GET {H}/milestones": PROJECT,
    f"GET {H}/milestones/{{milestone_id}}/row": PROJECT,
    f"GET {H}/milestones/{{milestone_id}}/edit": GROUP,
    f"POST {H}/milestones/{{milestone_id}}": GROUP,
    f"POST {H}/milestones": R(
        GROUP,
        form={"name": "Milepæl fra siden", "group_id": "{group_b}", "planned_date": "2013-10-01"},
    ),
    f"POST {H}/milestones/{{milestone_id}}/delete": R(
        GROUP, form={"version": "{version:milestone}"}
    ),
    # Stakeholders, communication, external activities (group-scoped by the owning group)
    f"GET {P}/stakeholders": PROJECT,
    f"POST {P}/stakeholders": R(
        GROUP,
        {
            "name": "Ny interessent",
            "influence": 3,
            "interest": 3,
            "attitude": "neutral",
            "group_id": "{group_b}",
        },
    ),
    f"GET {P}/stakeholders/grid": PROJECT,
    f"GET {P}/stakeholders/moves": PROJECT,
    f"GET {P}/stakeholders/{{stakeholder_id}}": PROJECT,
    f"PATCH {P}/stakeholders/{{stakeholder_id}}": R(
        GROUP, {"needs": "Skal orienteres", "version": "{version:stakeholder}"}
    ),
    f"DELETE {P}/stakeholders/{{stakeholder_id}}": R(GROUP, query="version={version:stakeholder}"),
    f"GET {P}/stakeholders/{{stakeholder_id}}/actions": PROJECT,
    f"POST {P}/stakeholders/{{stakeholder_id}}/actions": R(
        GROUP,
        {
            "what": "Nyhedsbrev",
            "channel": "email",
            "planned_date": "2013-05-01",
            "group_id": "{group_b}",
        },
    ),
    f"GET {P}/communication-actions": PROJECT,
    f"PATCH {P}/communication-actions/{{action_id}}": R(
        GROUP,
        {"done": True, "done_date": "2013-05-02", "version": "{version:communication_action}"},
    ),
    f"DELETE {P}/communication-actions/{{action_id}}": R(
        GROUP, query="version={version:communication_action}"
    ),
    f"GET {P}/activities": PROJECT,
    f"POST {P}/activities": R(
        GROUP,
        {"title": "Netværksmøde", "kind": "network", "organiser": "KL", "group_id": "{group_b}"},
    ),
    f"GET {P}/activities/{{activity_id}}": PROJECT,
    f"PATCH {P}/activities/{{activity_id}}": R(
        GROUP, {"place": "Odense", "version": "{version:activity}"}
    ),
    f"DELETE {P}/activities/{{activity_id}}": R(GROUP, query="version={version:activity}"),
    f"POST {P}/activities/{{activity_id}}/delegates": R(GROUP, {"person_id": "{person}"}),
    f"DELETE {P}/activities/{{activity_id}}/delegates/{{person_id}}": GROUP,
    f"GET {H}/stakeholders": PROJECT,
    f"POST {H}/stakeholders": R(
        GROUP, form={"name": "Interessent fra siden", "group_id": "{group_b}"}
    ),
    f"GET {H}/stakeholders/{{stakeholder_id}}": PROJECT,
    f"POST {H}/stakeholders/{{stakeholder_id}}": GROUP,
    f"POST {H}/stakeholders/{{stakeholder_id}}/delete": GROUP,
    f"POST {H}/stakeholders/{{stakeholder_id}}/actions": R(
        GROUP,
        form={"what": "Orienteringsmøde", "planned_date": "2013-05-01", "group_id": "{group_b}"},
    ),
    f"GET {H}/communication-actions/{{action_id}}/row": PROJECT,
    f"POST {H}/communication-actions/{{action_id}}": GROUP,
    f"POST {H}/communication-actions/{{action_id}}/done": GROUP,
    f"POST {H}/communication-actions/{{action_id}}/delete": GROUP,
    f"GET {H}/communication": PROJECT,
    f"GET {H}/activities": PROJECT,
    f"POST {H}/activities": R(
        GROUP, form={"title": "Seminar fra siden", "organiser": "KL", "group_id": "{group_b}"}
    ),
    f"GET {H}/activities/{{activity_id}}": PROJECT,
    f"POST {H}/activities/{{activity_id}}": GROUP,
    f"POST {H}/activities/{{activity_id}}/delegates": R(GROUP, form={"person_id": "{person}"}),
    f"POST {H}/activities/{{activity_id}}/delegates/{{person_id}}/remove": GROUP,
    f"POST {H}/activities/{{activity_id}}/delete": GROUP,
    # Calendar: every project member keeps their own feed URL
    f"GET {P}/calendar.ics": PROJECT,
    f"GET {P}/calendar/token": PROJECT,
    f"POST {P}/calendar/token": PROJECT,
    f"DELETE {P}/calendar/token": PROJECT,
    f"GET {H}/calendar": PROJECT,
    f"POST {H}/calendar/token": PROJECT,
    f"POST {H}/calendar/token/revoke": PROJECT,
    # Exports of the lists (app/web/exports.py): whoever reads a list may take it along
    **{
        key: PROJECT
        for name in EXPORTED_LISTS
        for key in (f"GET {H}/{name}.xlsx", f"GET {H}/{name}.csv", f"GET {P}/{name}/export")
    },
    # Budget: the project leader keeps the accounts; everyone in the project reads them
    f"GET {P}/funds": PROJECT,
    f"POST {P}/funds": R(LEADER, {"name": "Ny pulje", "pool": "100000.00"}),
    f"PATCH {P}/funds/{{fund_id}}": R(
        LEADER, {"grantor": "Styrelsen", "version": "{version:fund}"}
    ),
    f"DELETE {P}/funds/{{fund_id}}": R(
        LEADER, params={"fund_id": "{spare_fund}"}, query="version={version:spare_fund}"
    ),
    f"GET {P}/grants": PROJECT,
    f"POST {P}/grants": R(
        LEADER,
        {
            "name": "Nyt tilskud",
            "amount": "50000.00",
            "first_date": "2013-01-01",
            "last_date": "2013-12-31",
            "eligible_categories": [{"category": "consultancy"}],
        },
    ),
    f"GET {P}/grants/{{grant_id}}": PROJECT,
    f"PATCH {P}/grants/{{grant_id}}": R(
        LEADER, {"reference": "J.nr. 1", "version": "{version:grant}"}
    ),
    f"DELETE {P}/grants/{{grant_id}}": R(
        LEADER, params={"grant_id": "{spare_grant}"}, query="version={version:spare_grant}"
    ),
    f"GET {P}/grants/{{grant_id}}/summary": PROJECT,
    f"GET {P}/grants/{{grant_id}}/burn-chart": PROJECT,
    f"GET {P}/grants/{{grant_id}}/statement.xlsx": PROJECT,
    f"GET {P}/grants/{{grant_id}}/statement.pdf": PROJECT,
    f"PUT {P}/grants/{{grant_id}}/explanations/{{category}}": R(
        LEADER, {"text": "Forklaring", "version": "{version:explanation}"}
    ),
    f"GET {P}/budget-lines": PROJECT,
    f"POST {P}/budget-lines": R(
        LEADER,
        {
            "grant_id": "{grant}",
            "category": "{grant_category}",
            "month": "2013-03-01",
            "amount": "0.00",
        },
    ),
    f"PATCH {P}/budget-lines/{{line_id}}": R(
        LEADER, {"note": "Rettet", "version": "{version:budget_line}"}
    ),
    f"DELETE {P}/budget-lines/{{line_id}}": R(LEADER, query="version={version:budget_line}"),
    f"GET {P}/expenditures": PROJECT,
    f"POST {P}/expenditures": R(
        LEADER,
        {
            "grant_id": "{grant}",
            "date": "2013-03-01",
            "amount": "1000.00",
            "category": "{grant_category}",
            "description": "Frikøb",
            "group_id": "{group_b}",
            "supplier": "Karen Holm",
            "hours": "10",
            "hourly_rate": "100.00",
            "purpose_id": "{grant_purpose}",
        },
    ),
    f"GET {P}/expenditures/{{expenditure_id}}": PROJECT,
    f"PATCH {P}/expenditures/{{expenditure_id}}": R(
        LEADER, {"note": "Bilag fundet", "version": "{version:expenditure}"}
    ),
    f"DELETE {P}/expenditures/{{expenditure_id}}": R(LEADER, query="version={version:expenditure}"),
    f"GET {P}/economy": PROJECT,
    f"POST {P}/economy": R(
        LEADER,
        {
            "director_area_id": "{area}",
            "year": 2014,
            "kind": "cost",
            "description": "Flere rehabiliteringsmøder",
            "expected": "20000.00",
        },
    ),
    f"PATCH {P}/economy/{{entry_id}}": R(
        LEADER, {"note": "Skøn", "version": "{version:economy_entry}"}
    ),
    f"DELETE {P}/economy/{{entry_id}}": R(LEADER, query="version={version:economy_entry}"),
    f"GET {H}/budget": PROJECT,
    f"POST {H}/budget/expenditures": R(
        LEADER,
        form={
            "grant_id": "{grant}",
            "date": "2013-03-01",
            "amount": "1000,00",
            "category": "{grant_category}",
            "description": "Frikøb fra siden",
            "supplier": "Karen Holm",
            "hours": "10",
            "hourly_rate": "100,00",
            "purpose_id": "{grant_purpose}",
        },
    ),
    f"GET {H}/budget/expenditures/{{expenditure_id}}": PROJECT,
    f"GET {H}/budget/expenditures/{{expenditure_id}}/edit": LEADER,
    f"POST {H}/budget/expenditures/{{expenditure_id}}": LEADER,
    f"POST {H}/budget/expenditures/{{expenditure_id}}/delete": LEADER,
    f"GET {H}/budget/grants/new": LEADER,
    f"POST {H}/budget/grants": R(
        LEADER,
        form={
            "name": "Tilskud fra siden",
            "amount": "25000",
            "first_date": "2013-01-01",
            "last_date": "2013-12-31",
            "cat_consultancy": "on",
            "purposes": "Samarbejde i rehabiliteringsteamet",
        },
    ),
    f"GET {H}/budget/grants/{{grant_id}}/edit": LEADER,
    f"POST {H}/budget/grants/{{grant_id}}": LEADER,
    f"POST {H}/budget/grants/{{grant_id}}/delete": R(LEADER, params={"grant_id": "{spare_grant}"}),
    f"GET {H}/budget/funds": PROJECT,
    f"POST {H}/budget/funds": R(LEADER, form={"name": "Pulje fra siden", "pool": "1000"}),
    f"POST {H}/budget/funds/{{fund_id}}": LEADER,
    f"POST {H}/budget/funds/{{fund_id}}/delete": R(LEADER, params={"fund_id": "{spare_fund}"}),
    f"GET {H}/budget/grants/{{grant_id}}/budget": PROJECT,
    f"POST {H}/budget/grants/{{grant_id}}/budget": R(
        LEADER, form={"category": "{grant_category}", "month": "2013-04", "amount": "0"}
    ),
    f"POST {H}/budget/grants/{{grant_id}}/budget/{{line_id}}/delete": LEADER,
    f"GET {H}/budget/grants/{{grant_id}}/statement": PROJECT,
    f"POST {H}/budget/grants/{{grant_id}}/explanations/{{category}}": R(
        LEADER, form={"text": "Forklaring fra siden", "version": "{version:explanation}"}
    ),
    f"GET {H}/budget/economy": PROJECT,
    f"POST {H}/budget/economy": R(
        LEADER,
        form={
            "director_area_id": "{area}",
            "year": "2014",
            "kind": "saving",
            "description": "Færre sager",
            "expected": "5000",
        },
    ),
    f"POST {H}/budget/economy/{{entry_id}}": LEADER,
    f"POST {H}/budget/economy/{{entry_id}}/delete": LEADER,
    # Status reports, Gantt, dashboard, meeting packs
    "GET /api/dashboard": SIGNED_IN,
    "GET /dashboard": SIGNED_IN,
    f"GET {P}/gantt": PROJECT,
    f"GET {P}/schedule": PROJECT,
    f"GET {H}/gantt": PROJECT,
    f"GET {H}/groups/{{group_id}}/gantt": PROJECT,
    f"GET {P}/gantt.pdf": PROJECT,
    f"GET {H}/gantt.pdf": PROJECT,
    f"GET {H}/groups/{{group_id}}/gantt.pdf": PROJECT,
    f"GET {P}/status-reports": PROJECT,
    f"POST {P}/status-reports": R(LEADER, {}, before=DROP_DRAFT_REPORT),
    f"GET {P}/status-reports/{{report_id}}.pdf": R(PROJECT, params=ISSUED),
    f"GET {P}/status-reports/{{report_id}}": R(PROJECT, params=ISSUED),
    f"PATCH {P}/status-reports/{{report_id}}": R(
        LEADER, {"texts": {"summary": "Godt på vej"}, "version": "{version:report}"}
    ),
    f"POST {P}/status-reports/{{report_id}}/approve": R(STEERING, {}, before=SUBMIT_REPORT),
    f"POST {P}/status-reports/{{report_id}}/issue": R(LEADER, {}, before=APPROVE_REPORT),
    f"DELETE {P}/status-reports/{{report_id}}": R(LEADER, query="version={version:report}"),
    f"GET {P}/meetings/{{meeting_id}}/pack": MINUTES,
    f"GET {H}/reports": PROJECT,
    f"POST {H}/reports": R(LEADER, form={}, before=DROP_DRAFT_REPORT),
    f"GET {H}/reports/{{report_id}}.pdf": R(PROJECT, params=ISSUED),
    f"GET {H}/reports/{{report_id}}": R(PROJECT, params=ISSUED),
    f"POST {H}/reports/{{report_id}}/texts/{{key}}": R(
        LEADER, form={"text": "Sammenfatning fra siden"}
    ),
    f"POST {H}/reports/{{report_id}}/overrides/{{key}}": R(
        LEADER, form={"level": "amber", "justification": "Forsinket uddannelse"}
    ),
    f"POST {H}/reports/{{report_id}}/decisions": R(
        LEADER, form={"steering_group": "Godkend den reviderede plan"}
    ),
    f"POST {H}/reports/{{report_id}}/settings": LEADER,
    f"POST {H}/reports/{{report_id}}/approve": R(
        STEERING, form={"version": "{version:report}"}, before=SUBMIT_REPORT
    ),
    f"POST {H}/reports/{{report_id}}/issue": R(
        LEADER, form={"version": "{version:report}", "confirmed": "yes"}, before=APPROVE_REPORT
    ),
    f"POST {H}/reports/{{report_id}}/delete": R(LEADER, form={"version": "{version:report}"}),
    # The report's hand-offs and the meeting cycle (issue 21, h21c)
    f"POST {P}/status-reports/{{report_id}}/submit": R(LEADER, {}),
    f"POST {P}/status-reports/{{report_id}}/return": R(
        STEERING, {"reason": "Ret tallene"}, before=SUBMIT_REPORT
    ),
    f"POST {H}/reports/{{report_id}}/submit": LEADER,
    f"POST {H}/reports/{{report_id}}/return": R(
        STEERING,
        form={"reason": "Ret tallene", "version": "{version:report}"},
        before=SUBMIT_REPORT,
    ),
    f"GET {H}/reports/{{report_id}}/issue": LEADER,
    f"PUT {P}/meetings/{{meeting_id}}/agenda/{{item_id}}/position": R(
        SECRETARIAT, {"position": 2, "version": "{version:agenda_item}"}
    ),
    f"PUT {P}/meetings/{{meeting_id}}/agenda/{{item_id}}/minutes": R(
        MINUTES, {"minutes": "Referat", "version": "{version:agenda_item}"}
    ),
    f"POST {P}/meetings/{{meeting_id}}/agenda/{{item_id}}/decisions": R(
        SECRETARIAT, {"title": "Godkendt"}
    ),
    f"POST {P}/meetings/{{meeting_id}}/minutes/publish": R(SECRETARIAT, {}),
    f"POST {H}/meetings/{{meeting_id}}/agenda/{{item_id}}/move": R(
        SECRETARIAT, form={"direction": "down", "version": "{version:agenda_item}"}
    ),
    f"POST {H}/meetings/{{meeting_id}}/agenda/{{item_id}}/minutes": R(
        MINUTES, form={"minutes": "Referat", "version": "{version:agenda_item}"}
    ),
    f"POST {H}/meetings/{{meeting_id}}/minutes/publish": SECRETARIAT,
    f"POST {H}/meetings/{{meeting_id}}/agenda/{{item_id}}/decisions": R(
        SECRETARIAT, form={"title": "Godkendt"}
    ),
    f"GET {H}/meetings/{{meeting_id}}/pack": MINUTES,
    f"GET {H}/meetings/{{meeting_id}}/pack.pdf": MINUTES,
    # Participants: row-level records for the leader and appointed registrars only
    f"GET {P}/participant-schemes": PROJECT,
    f"POST {P}/participant-schemes": R(
        LEADER,
        {
            "name": "Ny ordning",
            "exit_outcomes": [{"key": "job", "label": "Job", "placement": True}],
        },
    ),
    f"GET {P}/participant-schemes/{{scheme_id}}": PROJECT,
    f"PATCH {P}/participant-schemes/{{scheme_id}}": R(
        LEADER, {"description": "Opdateret", "version": "{version:scheme}"}
    ),
    f"DELETE {P}/participant-schemes/{{scheme_id}}": R(
        LEADER, params={"scheme_id": "{spare_scheme}"}, query="version={version:spare_scheme}"
    ),
    f"GET {P}/participant-registrars": LEADER,
    f"POST {P}/participant-registrars": R(LEADER, {"user_id": "{appointable_user}"}),
    f"DELETE {P}/participant-registrars/{{user_id}}": LEADER,
    f"GET {P}/participants/monitoring": PROJECT,
    f"GET {P}/participants/monitoring/charts/{{chart}}": PROJECT,
    f"GET {P}/participants/monitoring.xlsx": PROJECT,
    f"GET {P}/participants/metrics/{{metric}}": PROJECT,
    f"GET {P}/participants.xlsx": LEADER,
    f"GET {P}/participants/due": REGISTRAR,
    f"GET {P}/participants": REGISTRAR,
    f"POST {P}/participants": R(
        REGISTRAR,
        {"scheme_id": "{scheme}", "start_date": "2013-03-01", "start_values": "{start_values}"},
    ),
    f"GET {P}/participants/{{participant_id}}": REGISTRAR,
    f"PATCH {P}/participants/{{participant_id}}": R(
        REGISTRAR, {"start_date": "2013-02-01", "version": "{version:participant}"}
    ),
    f"DELETE {P}/participants/{{participant_id}}": R(
        REGISTRAR, query="version={version:participant}"
    ),
    f"POST {P}/participants/{{participant_id}}/follow-ups": R(
        REGISTRAR, {"follow_up_date": "2013-09-01", "values": "{follow_up_values}"}
    ),
    f"PATCH {P}/participants/{{participant_id}}/follow-ups/{{follow_up_id}}": R(
        REGISTRAR, {"values": "{follow_up_values}", "version": "{version:participant_follow_up}"}
    ),
    f"DELETE {P}/participants/{{participant_id}}/follow-ups/{{follow_up_id}}": R(
        REGISTRAR, query="version={version:participant_follow_up}"
    ),
    f"POST {P}/participants/{{participant_id}}/exit": R(
        REGISTRAR,
        {"exit_date": "2015-06-30", "outcome": "{scheme_outcome}", "values": "{exit_values}"},
        params={"participant_id": "{active_participant}"},
    ),
    f"DELETE {P}/participants/{{participant_id}}/exit": R(
        REGISTRAR, query="version={version:participant}"
    ),
    f"GET {H}/participants": PROJECT,
    f"GET {H}/participants/due": REGISTRAR,
    f"POST {H}/participants/{{participant_id}}/follow-ups": R(
        REGISTRAR, form={"follow_up_date": "2013-10-01"}
    ),
    f"GET {H}/participants/monitoring": PROJECT,
    f"POST {H}/participants/monitoring/indicator": R(
        GROUP, form={"indicator_id": "{indicator}", "metric": "started", "as_of": "2015-06-28"}
    ),
    f"GET {H}/participants/schemes": PROJECT,
    f"POST {H}/participants/schemes": R(LEADER, form={"name": "Ordning fra siden"}),
    f"POST {H}/participants/schemes/{{scheme_id}}/settings": LEADER,
    f"POST {H}/participants/schemes/{{scheme_id}}/fields": R(
        LEADER, form={"stage": "start", "key": "ny_felt", "label": "Nyt felt", "type": "text"}
    ),
    f"POST {H}/participants/schemes/{{scheme_id}}/fields/{{stage}}/{{key}}/delete": R(
        LEADER, params={"scheme_id": "{spare_scheme}", "key": "{spare_field}"}
    ),
    f"POST {H}/participants/schemes/{{scheme_id}}/outcomes": R(
        LEADER, form={"key": "uddannelse", "label": "Uddannelse"}
    ),
    f"POST {H}/participants/schemes/{{scheme_id}}/outcomes/{{key}}/delete": R(
        LEADER, params={"scheme_id": "{spare_scheme}", "key": "{spare_outcome}"}
    ),
    f"POST {H}/participants/schemes/{{scheme_id}}/delete": R(
        LEADER, params={"scheme_id": "{spare_scheme}"}
    ),
    f"POST {H}/participants/registrars": R(LEADER, form={"user_id": "{appointable_user}"}),
    f"POST {H}/participants/registrars/{{user_id}}/remove": LEADER,
    f"GET {H}/participants/new": REGISTRAR,
    f"POST {H}/participants/new": R(
        REGISTRAR, form={"start_date": "2013-03-01", "v_age": "30", "v_goal": "Job"}
    ),
    f"GET {H}/participants/{{participant_id}}": REGISTRAR,
    f"POST {H}/participants/{{participant_id}}/exit": R(
        REGISTRAR,
        form={"exit_date": "2015-06-30", "v_placements_count": "0"},
        params={"participant_id": "{active_participant}"},
    ),
    f"POST {H}/participants/{{participant_id}}/reopen": REGISTRAR,
    f"POST {H}/participants/{{participant_id}}/follow-ups/{{follow_up_id}}/delete": REGISTRAR,
    f"POST {H}/participants/{{participant_id}}/delete": REGISTRAR,
    f"POST {H}/participants/{{participant_id}}/edit": REGISTRAR,
    # Search (issue 21, app/search): every role reads; the directorate finds issued reports only
    f"GET {P}/search": R(PROJECT, query="q=plan"),
    f"GET {H}/search": R(PROJECT, query="q=plan"),
    # »Mit overblik« (issue 21, app/mywork): anyone signed in sees their own
    "GET /me": SIGNED_IN,
    "GET /api/me/overview": SIGNED_IN,
    # Attachments (bilag): read by the project, changed by who may change the owner (the
    # stage's attachment is on group B's task).
    f"POST {P}/attachments": R(
        GROUP, form={"owner_kind": "task", "owner_id": "{task}"}, files=ATTACHED
    ),
    f"GET {P}/attachments": R(PROJECT, query="owner_kind=task&owner_id={task}"),
    f"GET {P}/attachments/{{attachment_id}}": PROJECT,
    f"DELETE {P}/attachments/{{attachment_id}}": GROUP,
    # One route pair for the meeting's, decision's and group's sections ({page} is one of
    # meetings/decisions/groups); the matrix calls the group's (who may upload depends on the
    # owner: tests/attachments/test_http.py covers the meeting's and the decision's; FILLER_OF).
    f"GET {H}/{{page:attachment_page}}/{{owner_id}}/attachments": PROJECT,
    f"POST {H}/{{page:attachment_page}}/{{owner_id}}/attachments": R(
        GROUP, form={"owner": "task:{task}"}, files=ATTACHED
    ),
    f"GET {H}/attachments/{{attachment_id}}": PROJECT,
    f"POST {H}/attachments/{{attachment_id}}/delete": GROUP,
    # Notifications (issue 21): one's own, whoever one is; another's answers 404. The outbox is
    # the administrator's.
    "GET /api/me/notifications": SIGNED_IN,
    "POST /api/me/notifications/read-all": SIGNED_IN,
    "POST /api/me/notifications/{notification_id}/read": R(
        SIGNED_IN, note="the leader's notification: another user's is not found (404)"
    ),
    "GET /api/me/notification-settings": SIGNED_IN,
    "PUT /api/me/notification-settings": R(SIGNED_IN, {"meeting_called": "weekly"}),
    "GET /api/admin/outbox": ADMIN,
    "POST /api/admin/outbox/{mail_id}/retry": ADMIN,
    "GET /notifications": SIGNED_IN,
    "POST /notifications/read-all": SIGNED_IN,
    "POST /notifications/{notification_id}/read": R(
        SIGNED_IN, note="the leader's notification: another user's is not found (404)"
    ),
    "GET /account/notifications": SIGNED_IN,
    "POST /account/notifications": SIGNED_IN,
    "GET /admin/outbox": ADMIN,
    "POST /admin/outbox/{mail_id}/retry": ADMIN,
    # Grant rules (issue 26): kinds of activity, activities' kinds, funded posts
    f"GET {P}/activity-kinds": PROJECT,
    f"POST {P}/activity-kinds": R(LEADER, {"name": "Kursusdag"}),
    f"POST {P}/activity-kinds/defaults": LEADER,
    f"PATCH {P}/activity-kinds/{{kind_id}}": R(
        LEADER, {"name": "Workshop", "version": "{version:activity_kind}"}
    ),
    f"DELETE {P}/activity-kinds/{{kind_id}}": R(
        LEADER, params={"kind_id": "{spare_kind}"}, query="version={version:spare_kind}"
    ),
    f"GET {P}/activity-kinds/assignments": PROJECT,
    f"PUT {P}/activity-kinds/assignments": R(
        LEADER, {"activity": "task:{task}", "kind_id": "{activity_kind}"}
    ),
    f"GET {P}/grants/{{grant_id}}/posts": PROJECT,
    f"POST {P}/posts": R(
        LEADER,
        {
            "grant_id": "{grant}",
            "title": "Jobformidler",
            "first_date": "2013-01-01",
            "last_date": "2013-06-30",
            "hours": "37",
            "budget": "0.00",
        },
    ),
    f"GET {P}/posts/{{post_id}}": PROJECT,
    f"PATCH {P}/posts/{{post_id}}": R(LEADER, {"note": "Rettet", "version": "{version:post}"}),
    f"DELETE {P}/posts/{{post_id}}": R(
        LEADER, params={"post_id": "{spare_post}"}, query="version={version:spare_post}"
    ),
    f"GET {H}/budget/activities": PROJECT,
    f"POST {H}/budget/activities": R(
        LEADER, form={"activity": "task:{task}", "kind_id": "{activity_kind}"}
    ),
    f"POST {H}/budget/activity-kinds": R(LEADER, form={"name": "Temadag"}),
    f"POST {H}/budget/activity-kinds/defaults": LEADER,
    f"POST {H}/budget/activity-kinds/{{kind_id}}": LEADER,
    f"POST {H}/budget/activity-kinds/{{kind_id}}/delete": R(
        LEADER, params={"kind_id": "{spare_kind}"}
    ),
    f"GET {H}/budget/grants/{{grant_id}}/posts": PROJECT,
    f"POST {H}/budget/grants/{{grant_id}}/posts": R(
        LEADER, form={"title": "Jobformidler fra siden", "hours": "37", "budget": "0"}
    ),
    f"POST {H}/budget/grants/{{grant_id}}/posts/{{post_id}}": LEADER,
    f"POST {H}/budget/grants/{{grant_id}}/posts/{{post_id}}/delete": R(
        LEADER, params={"post_id": "{spare_post}"}
    ),
}


# Pages that show a form only on request (an inline edit), crawled besides every GET route so
# that the form's fields are known.
CRAWL_EXTRA = [
    "/projects/{project}/communication-actions/{communication_action}/row?edit=true",
    "/projects/{project}/budget/funds?edit={fund}",
    "/projects/{project}/budget/economy?edit={economy_entry}",
    "/projects/{project}/budget/activities?edit={activity_kind}",
    "/projects/{project}/budget/grants/{grant}/posts?edit={post}",
    "/projects/{project}/participants/{active_participant}",
]


def rule_of(key: str) -> Rule | None:
    """The declaration of a route ("METHOD /path"), or None when it has none."""
    found = ROUTES.get(key)
    if found is None or isinstance(found, Rule):
        return found
    return Rule(found)
