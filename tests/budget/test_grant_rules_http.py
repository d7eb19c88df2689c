"""Issue 26 at the HTTP level: the API takes an expense's activity and post and refuses with
the rule's Danish 422; kinds, activities' kinds and posts through the API and the pages; the
statement files show how each condition is met and the totals per post (read back with openpyxl
and pypdf); economy entries over several years; permissions."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from app.budget.models import EconomyEntry, Expenditure, FundedPost, ProjectActivityKind
from tests.budget.factories import TRANSPORT_CONDITION, access, make_grant
from tests.factories import bearer, csrf_of, login
from tests.governance.factories import make_area, make_meeting


@pytest.fixture
def base(world) -> str:
    return f"/api/projects/{world.project.id}"


@pytest.fixture
def leader_headers(client):
    return bearer(client, "leader")


@pytest.fixture
def kinds(client, base, leader_headers) -> dict[str, int]:
    answer = client.post(f"{base}/activity-kinds/defaults", headers=leader_headers)
    assert answer.status_code == 201, answer.text
    return {k["name"]: k["id"] for k in answer.json()}


@pytest.fixture
def grant(session, world, kinds):
    return make_grant(
        session,
        access(session, world.users["leader"], world.project),
        eligible_categories=[
            {"category": "project_staff"},
            {"category": "consultancy"},
            {
                "category": "transport",
                "condition": TRANSPORT_CONDITION,
                "activity_kind_ids": [kinds["Workshop"], kinds["Netværksmøde"], kinds["Seminar"]],
            },
        ],
        posts_only=True,
    )


def _purpose(client, base, grant, headers) -> int:
    return client.get(f"{base}/grants/{grant.id}", headers=headers).json()["purposes"][0]["id"]


def _expense(grant, purpose, **overrides):
    return {
        "grant_id": grant.id,
        "date": "2013-03-06",
        "amount": "450.00",
        "category": "transport",
        "description": "Kørsel til workshop",
        "purpose_id": purpose,
    } | overrides


def test_the_api_takes_the_link_and_refuses_transport_without_one(
    client, session, world, base, leader_headers, kinds, grant
):
    meeting = make_meeting(session, world, meeting_date=date(2013, 3, 5))
    purpose = _purpose(client, base, grant, leader_headers)
    refused = client.post(
        f"{base}/expenditures", headers=leader_headers, json=_expense(grant, purpose)
    )
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "activity"
    assert "»Workshop«, »Netværksmøde« eller »Seminar«" in error["message"]
    tagged = client.put(
        f"{base}/activity-kinds/assignments",
        headers=leader_headers,
        json={"activity": f"meeting:{meeting.id}", "kind_id": kinds["Workshop"]},
    )
    assert tagged.status_code == 200 and tagged.json()["kind"] == "Workshop"
    made = client.post(
        f"{base}/expenditures",
        headers=leader_headers,
        json=_expense(grant, purpose, activity=f"meeting:{meeting.id}"),
    )
    assert made.status_code == 201, made.text
    assert made.json()["activity"] == f"meeting:{meeting.id}"
    bad = client.post(
        f"{base}/expenditures",
        headers=leader_headers,
        json=_expense(grant, purpose, activity="meeting-12"),
    )
    assert bad.status_code == 422
    listed = client.get(f"{base}/activity-kinds/assignments", headers=leader_headers).json()
    assert [a["activity"] for a in listed if a["kind"] == "Workshop"] == [f"meeting:{meeting.id}"]


def test_posts_through_the_api_with_the_same_figures_as_the_summary(
    client, base, leader_headers, grant
):
    post = client.post(
        f"{base}/posts",
        headers=leader_headers,
        json={
            "grant_id": grant.id,
            "title": "Jobformidler 1",
            "first_date": "2013-01-01",
            "last_date": "2013-06-30",
            "share": "100",
            "budget": "60000.00",
        },
    )
    assert post.status_code == 201, post.text
    post_id = post.json()["id"]
    purpose = _purpose(client, base, grant, leader_headers)
    salary = _expense(
        grant, purpose, category="project_staff", amount="25000.00", description="Løn marts"
    )
    refused = client.post(f"{base}/expenditures", headers=leader_headers, json=salary)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "post_id"
    booked = client.post(
        f"{base}/expenditures", headers=leader_headers, json=salary | {"post_id": post_id}
    )
    assert booked.status_code == 201
    over = client.post(
        f"{base}/expenditures",
        headers=leader_headers,
        json=salary | {"post_id": post_id, "amount": "35000.01"},
    )
    assert over.status_code == 422
    assert "stillingen »Jobformidler 1«s budget" in over.json()["errors"][0]["message"]
    listed = client.get(f"{base}/grants/{grant.id}/posts", headers=leader_headers).json()
    assert (listed[0]["spent"], listed[0]["remaining"]) == ("25000.00", "35000.00")
    summary = client.get(
        f"{base}/grants/{grant.id}/summary?as_of=2013-12-31", headers=leader_headers
    ).json()
    assert summary["posts"] == [
        {
            "key": str(post_id),
            "label": "Jobformidler 1",
            "granted": "60000.00",
            "spent": "25000.00",
            "committed": "0.00",
            "remaining": "35000.00",
        }
    ]
    stale = client.patch(
        f"{base}/posts/{post_id}", headers=leader_headers, json={"note": "x", "version": 0}
    )
    assert stale.status_code == 409
    version = client.get(f"{base}/posts/{post_id}", headers=leader_headers).json()["version"]
    gone = client.delete(
        f"{base}/posts/{post_id}", headers=leader_headers, params={"version": version}
    )
    assert gone.status_code == 409


def test_the_statement_files_show_how_each_condition_is_met_and_each_post(
    client, session, world, base, leader_headers, kinds, grant
):
    meeting = make_meeting(session, world, meeting_date=date(2013, 3, 5))
    client.put(
        f"{base}/activity-kinds/assignments",
        headers=leader_headers,
        json={"activity": f"meeting:{meeting.id}", "kind_id": kinds["Seminar"]},
    )
    post_id = client.post(
        f"{base}/posts",
        headers=leader_headers,
        json={
            "grant_id": grant.id,
            "title": "=Jobformidler",
            "first_date": "2013-01-01",
            "last_date": "2013-06-30",
            "hours": "37",
            "budget": "60000.00",
        },
    ).json()["id"]
    purpose = _purpose(client, base, grant, leader_headers)
    for body in (
        _expense(grant, purpose, activity=f"meeting:{meeting.id}"),
        _expense(
            grant,
            purpose,
            category="project_staff",
            amount="20000.00",
            description="Løn",
            post_id=post_id,
        ),
    ):
        assert client.post(f"{base}/expenditures", headers=leader_headers, json=body).is_success
    xlsx = client.get(f"{base}/grants/{grant.id}/statement.xlsx", headers=leader_headers)
    wb = load_workbook(BytesIO(xlsx.content))
    lines = wb["Udgifter"]
    assert lines.cell(1, 13).value == "Stilling" and lines.cell(1, 14).value == (
        "Sådan er betingelsen opfyldt"
    )
    assert lines.cell(2, 14).value == "Møde: Møde i Styregruppen (05.03.2013), seminar"
    # A title a spreadsheet would run as a formula is stored as text, shown as typed.
    assert lines.cell(3, 13).value == "=Jobformidler" and lines.cell(3, 13).data_type == "s"
    assert lines.cell(3, 13).quotePrefix
    sheet = wb["Tilskudsregnskab"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = rows.index(["Stilling", "Budget", "Betalt", "Disponeret", "Tilbage", None, None])
    assert rows[header + 1][:5] == ["=Jobformidler", 60000, 20000, 0, 40000]
    pdf = client.get(f"{base}/grants/{grant.id}/statement.pdf", headers=leader_headers)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Regnskab pr. stilling" in text
    assert "Betingelse: Møde: Møde i Styregruppen (05.03.2013), seminar" in " ".join(text.split())
    login(client, "steering")
    page = client.get(f"/projects/{world.project.id}/budget/grants/{grant.id}/statement")
    assert page.status_code == 200 and "Pr. stilling" in page.text
    assert "Betingelse: Møde: Møde i Styregruppen (05.03.2013), seminar" in page.text


def test_economy_over_several_years_through_the_api(client, session, world, base, leader_headers):
    area = make_area(session, world.project)
    made = client.post(
        f"{base}/economy",
        headers=leader_headers,
        json={
            "director_area_id": area.id,
            "year": 2016,
            "last_year": 2019,
            "kind": "cost",
            "description": "Budget 2016–2019",
            "expected": "100.01",
        },
    )
    assert made.status_code == 201, made.text
    assert [(y["year"], y["expected"]) for y in made.json()["years"]] == [
        (2016, "25.01"),
        (2017, "25.00"),
        (2018, "25.00"),
        (2019, "25.00"),
    ]
    refused = client.post(
        f"{base}/economy",
        headers=leader_headers,
        json={
            "director_area_id": area.id,
            "year": 2016,
            "last_year": 2017,
            "kind": "cost",
            "description": "Forkert",
            "per_year": ["1.00"],
        },
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "per_year"
    floaty = client.post(
        f"{base}/economy",
        headers=leader_headers,
        json={
            "director_area_id": area.id,
            "year": 2016,
            "kind": "cost",
            "description": "Kommatal",
            "per_year": [1.5],
        },
    )
    assert floaty.status_code == 422


def test_others_read_but_only_the_leader_writes(client, base, kinds, grant):
    steering = bearer(client, "steering")
    assert client.get(f"{base}/activity-kinds", headers=steering).status_code == 200
    assert client.get(f"{base}/grants/{grant.id}/posts", headers=steering).status_code == 200
    denied = client.post(f"{base}/activity-kinds", headers=steering, json={"name": "Fest"})
    assert denied.status_code == 403


# Pages -------------------------------------------------------------------------------------


def test_the_leader_manages_kinds_posts_and_links_on_the_pages(client, session, world, grant):
    login(client, "leader")
    page = f"/projects/{world.project.id}/budget"
    token = csrf_of(client, page)
    kinds_page = client.get(f"{page}/activities")
    assert kinds_page.status_code == 200 and "Workshop" in kinds_page.text
    refused = client.post(f"{page}/activity-kinds", data={"csrf_token": token, "name": "Workshop"})
    assert refused.status_code == 422 and "»Workshop« findes allerede" in refused.text
    made = client.post(
        f"{page}/activity-kinds",
        data={"csrf_token": token, "name": "Jobmesse"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert session.exec(
        select(ProjectActivityKind).where(ProjectActivityKind.name == "Jobmesse")
    ).one()
    workshop = session.exec(
        select(ProjectActivityKind).where(ProjectActivityKind.name == "Workshop")
    ).one()
    meeting = make_meeting(session, world, meeting_date=date(2013, 3, 5))
    tagged = client.post(
        f"{page}/activities",
        data={"csrf_token": token, "activity": f"meeting:{meeting.id}", "kind_id": workshop.id},
        follow_redirects=False,
    )
    assert tagged.status_code == 303
    # The posts page: a post with Danish amounts, then an expense booked to it from the form.
    posts_url = f"{page}/grants/{grant.id}/posts"
    assert "Tilskuddet må kun betale løn og frikøb til disse stillinger" in (
        client.get(posts_url).text
    )
    wrong = client.post(
        posts_url,
        data={
            "csrf_token": token,
            "title": "Jobformidler 1",
            "first_date": "2012-11-01",
            "last_date": "2013-06-30",
            "hours": "37",
            "budget": "50.000",
        },
    )
    assert wrong.status_code == 422 and "inden for tilskudsperioden" in wrong.text
    created = client.post(
        posts_url,
        data={
            "csrf_token": token,
            "title": "Jobformidler 1",
            "first_date": "2013-01-01",
            "last_date": "2013-06-30",
            "hours": "18,5",
            "budget": "50.000",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    post = session.exec(select(FundedPost)).one()
    assert (post.hours_hundredths, post.budget_ore) == (1850, 5_000_000)
    overview = client.get(f"{page}?grant={grant.id}&as_of=2013-03-10")
    assert f'value="meeting:{meeting.id}"' in overview.text
    assert f'<option value="{post.id}">Jobformidler 1</option>' in overview.text
    purpose = client.get(
        f"/api/projects/{world.project.id}/grants/{grant.id}", headers=bearer(client, "leader")
    ).json()["purposes"][0]["id"]
    form = {
        "csrf_token": token,
        "grant_id": grant.id,
        "date": "2013-03-06",
        "amount": "450",
        "category": "transport",
        "purpose_id": purpose,
        "description": "Kørsel til workshop",
        "status": "paid",
        "view_grant": grant.id,
        "view_as_of": "2013-03-10",
    }
    # The form sends its empty choices; refused by the rule, not by their parsing.
    no_link = client.post(
        f"{page}/expenditures",
        data=form | {"activity": "", "post_id": ""},
        headers={"HX-Request": "true"},
    )
    assert no_link.status_code == 422
    assert "kun tilskudsberettiget, når udgiften er knyttet til en aktivitet" in no_link.text
    linked = client.post(
        f"{page}/expenditures",
        data=form | {"activity": f"meeting:{meeting.id}"},
        headers={"HX-Request": "true"},
    )
    assert linked.status_code == 200
    assert "Møde: Møde i Styregruppen (05.03.2013)" in linked.text
    assert session.exec(select(Expenditure)).one().meeting_id == meeting.id


def test_the_grant_form_names_kinds_and_restricts_pay(client, session, world, grant):
    login(client, "leader")
    page = f"/projects/{world.project.id}/budget"
    token = csrf_of(client, page)
    seminar = session.exec(
        select(ProjectActivityKind).where(ProjectActivityKind.name == "Seminar")
    ).one()
    form = client.get(f"{page}/grants/{grant.id}/edit")
    assert f'name="kinds_transport" value="{seminar.id}" checked' in form.text
    saved = client.post(
        f"{page}/grants/{grant.id}",
        data={
            "csrf_token": token,
            "version": grant.version,
            "name": grant.name,
            "amount": "461.474",
            "first_date": "2012-11-27",
            "last_date": "2013-07-01",
            "cat_transport": "on",
            "condition_transport": "Kun seminarer",
            "kinds_transport": str(seminar.id),
            "posts_only": ["false"],
            "purposes": "Et formål\nEt andet\nEt tredje",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    answer = client.get(
        f"/api/projects/{world.project.id}/grants/{grant.id}", headers=bearer(client, "leader")
    ).json()
    assert answer["posts_only"] is False
    assert answer["eligible_categories"] == [
        {
            "category": "transport",
            "label": "Transport",
            "condition": "Kun seminarer",
            "activity_kind_ids": [seminar.id],
            "activity_kinds": ["Seminar"],
        }
    ]


def test_the_economy_page_takes_several_years_and_amounts_per_year(client, session, world):
    area = make_area(session, world.project)
    login(client, "leader")
    page = f"/projects/{world.project.id}/budget/economy"
    token = csrf_of(client, page)
    made = client.post(
        page,
        data={
            "csrf_token": token,
            "director_area_id": area.id,
            "year": "2016",
            "last_year": "2019",
            "kind": "saving",
            "description": "Færre sager 2016–2019",
            "expected": "",
            "per_year": "0\n100.000\n150.000,50\n250.000",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    entry = session.exec(select(EconomyEntry)).one()
    assert (entry.last_year, entry.expected_ore) == (2019, 50_000_050)
    shown = client.get(page).text
    assert "2016–2019" in shown and "2018: 150.000,50 kr." in shown
