"""Single sign-on in the browser (issue 23): the demo served with OpenID Connect pointed at
oidc-provider-mock on loopback; the person signs in at the provider and comes back signed in,
and signing out ends the provider's session too. The answers that must be refused (a tampered
or expired ID token, a wrong state, a replayed nonce) come from the tests' own provider
(tests/auth/oidc_fake.py), which chromium visits the same way."""

import re
import socket
import time
from collections.abc import Iterator

import pytest
from oidc_provider_mock import User as MockUser
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect

from app.auth import oidc
from app.config import Settings
from tests.auth.oidc_fake import FakeProvider, running_fake_provider
from tests.auth.test_oidc import REFUSED_TEXT, STALE_TEXT, sso_settings
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PROVIDER = "Svendborg Kommune"
# At the provider: the project leader (known there by an opaque id and her username), and a new
# colleague Reformstyr has no account for.
LEADER_SUB = "0f8fad5b-d9cb-469f-a165-70867728950e"
NEWCOMER_SUB = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    people = [
        MockUser(
            sub=LEADER_SUB,
            claims={"preferred_username": "projektleder", "name": "Projektleder"},
        ),
        MockUser(
            sub=NEWCOMER_SUB,
            claims={
                "preferred_username": "mette.ny",
                "name": "Mette Nyansat",
                "email": "mette.ny@svendborg.dk",
            },
        ),
    ]
    with run_server_in_thread(port=0, require_nonce=True, user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(request: pytest.FixtureRequest) -> dict[str, object]:
    return getattr(request, "param", {})


@pytest.fixture
def settings(database_url: str, provider: str, sso: dict[str, object]) -> Iterator[Settings]:
    oidc.forget_cached()
    values: dict[str, object] = {
        "database_url": database_url,
        "oidc_issuer": provider,
        "oidc_client_id": "reformstyr",
        "oidc_client_secret": "hemmelig",
        "oidc_name": PROVIDER,
        "oidc_user_claim": "preferred_username",
        "oidc_create_users": False,
    }
    yield Settings(**(values | sso))  # type: ignore[arg-type]
    oidc.forget_cached()


def _sign_in_at_provider(page: Page, sub: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=f"Log ind med {PROVIDER}").click()
    page.get_by_role("button", name=sub).click()


def test_sign_in_through_the_provider_and_sign_out_of_both(page: Page, provider: str):
    page.goto("/login")
    assert axe_violations(page) == []
    _sign_in_at_provider(page, LEADER_SUB)
    # Linked to the existing account by username: her projects are there.
    expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()
    expect(page.get_by_role("link", name="Min konto")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()
    # Our page sends the browser on to the provider, which asks before ending its session.
    page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("heading", name="Log ind i Reformstyr")).to_be_visible()
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next="))


@pytest.mark.parametrize("sso", [{"oidc_create_users": True}], indirect=True)
def test_a_first_sign_in_creates_the_account(page: Page):
    _sign_in_at_provider(page, NEWCOMER_SUB)
    expect(page.get_by_text("Mette Nyansat")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_text("mette.ny", exact=False).first).to_be_visible()


def test_without_creation_a_newcomer_is_refused_and_passwords_still_work(page: Page):
    _sign_in_at_provider(page, NEWCOMER_SUB)
    expect(page.get_by_role("alert")).to_contain_text("Kontakt en administrator")
    assert axe_violations(page) == []
    sign_in(page, "projektleder")
    expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "sso", [{"oidc_issuer": f"http://127.0.0.1:{_closed_port()}"}], indirect=True
)
def test_a_provider_that_is_down_gives_a_danish_page(page: Page):
    page.goto("/login")
    page.get_by_role("link", name=f"Log ind med {PROVIDER}").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{PROVIDER} svarer ikke lige nu")
    sign_in(page, "projektleder")
    expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()


# Answers that must be refused, from the tests' own provider


def _leader(fake: FakeProvider, nonce: str, **change: object) -> dict[str, object]:
    """The claims of an ID token for the project leader (known by her username), changed."""
    return fake.claims(nonce, preferred_username="projektleder", name="Projektleder") | change


class TestRefusedAnswers:
    """Each test changes one thing in an answer that otherwise signs the project leader in
    (test_an_honest_answer_signs_in_and_out), so a refusal is that check's."""

    @pytest.fixture
    def fake(self) -> Iterator[FakeProvider]:
        with running_fake_provider() as fake:
            fake.token_for = lambda nonce: fake.sign(_leader(fake, nonce))
            yield fake

    @pytest.fixture
    def settings(self, database_url: str, fake: FakeProvider) -> Iterator[Settings]:
        oidc.forget_cached()
        yield sso_settings(
            database_url, fake.url, oidc_user_claim="preferred_username", oidc_create_users=False
        )
        oidc.forget_cached()

    @staticmethod
    def _sign_in_at_provider(page: Page) -> None:
        page.goto("/login")
        page.get_by_role("link", name=f"Log ind med {PROVIDER}").click()

    @staticmethod
    def _refused(page: Page, caplog: pytest.LogCaptureFixture, text: str, reason: str) -> None:
        """The Danish refusal, for our reason; nobody signed in; the password form works."""
        expect(page.get_by_role("alert")).to_contain_text(text)
        assert f"Single sign-on refused: {reason}" in caplog.text
        expect(page.get_by_role("link", name="Min konto")).to_have_count(0)
        page.goto("/account")
        expect(page).to_have_url(re.compile(r"/login\?next="))
        sign_in(page, "projektleder")
        expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()

    def test_an_honest_answer_signs_in_and_out(self, page: Page, fake: FakeProvider):
        self._sign_in_at_provider(page)
        expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()
        expect(page.get_by_role("link", name="Min konto")).to_be_visible()
        assert [r["form"]["code"] for r in fake.token_requests] == ["kode-1"]
        page.get_by_role("button", name="Log ud").click()
        expect(page.get_by_role("heading", name="Log ind i Reformstyr")).to_be_visible()
        assert fake.fetches["/logout"] == 1

    def test_a_tampered_id_token_is_refused(self, page: Page, fake: FakeProvider, caplog):
        def tampered(nonce: str) -> str:
            header, payload, signature = fake.sign(_leader(fake, nonce)).split(".")
            i = len(signature) // 2  # a middle character: all six of its bits are signature
            byte = "B" if signature[i] == "A" else "A"
            return f"{header}.{payload}.{signature[:i]}{byte}{signature[i + 1 :]}"

        fake.token_for = tampered
        self._sign_in_at_provider(page)
        self._refused(page, caplog, REFUSED_TEXT, "ID token: bad_signature")
        assert axe_violations(page) == []

    def test_a_wrong_state_is_refused(self, page: Page, fake: FakeProvider, caplog):
        # The answer comes back with another state than the one this sign-in sent. (Not with
        # page.route: Playwright routes only the first address of a redirect chain.)
        fake.state_back = "forfalsket"
        self._sign_in_at_provider(page)
        self._refused(page, caplog, STALE_TEXT, "unknown or used state")
        assert fake.authorize_requests[0]["state"] != "forfalsket"
        assert not fake.token_requests  # refused before the code is exchanged

    def test_a_replayed_nonce_is_refused(self, page: Page, fake: FakeProvider, caplog):
        self._sign_in_at_provider(page)
        expect(page.get_by_role("link", name="Min konto")).to_be_visible()
        page.get_by_role("button", name="Log ud").click()
        expect(page.get_by_role("heading", name="Log ind i Reformstyr")).to_be_visible()
        # A new sign-in, answered with the first one's ID token (its nonce).
        fake.token_for = lambda nonce: fake.issued[0]
        self._sign_in_at_provider(page)
        self._refused(page, caplog, REFUSED_TEXT, "ID token: wrong nonce")
        first, second = fake.authorize_requests
        assert first["nonce"] != second["nonce"]

    def test_an_expired_id_token_is_refused(self, page: Page, fake: FakeProvider, caplog):
        now = int(time.time())
        fake.token_for = lambda nonce: fake.sign(_leader(fake, nonce, exp=now - 600, iat=now - 900))
        self._sign_in_at_provider(page)
        self._refused(page, caplog, REFUSED_TEXT, "ID token: expired")
