"""Single sign-on through OpenID Connect (issue 23), over HTTP against providers on loopback:
oidc-provider-mock (a real provider) for the flow, and the tests' own provider (oidc_fake) for
ID tokens no honest provider sends. The verification under test is app.auth.oidc's own."""

import base64
import hashlib
import html
import logging
import re
import socket
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from oidc_provider_mock import User as MockUser
from oidc_provider_mock import run_server_in_thread
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth import oidc
from app.auth import service as auth
from app.auth.models import OidcSignIn, ProjectMember, User, UserSession
from app.auth.schemas import PersonalTokenCreate
from app.config import Settings
from tests.auth.oidc_fake import (
    CLIENT_ID,
    CLIENT_SECRET,
    PROVIDER_ERROR_TEXT,
    FakeProvider,
    new_key,
    running_fake_provider,
)
from tests.factories import PASSWORD, csrf_of, login, make_user

# oidc-provider-mock's own use of Authlib warns of Authlib's coming changes.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REFUSED_TEXT = "blev afvist"
STALE_TEXT = "udløbet eller allerede brugt"
DOWN_TEXT = "svarer ikke lige nu"


@pytest.fixture(autouse=True)
def _no_cached_provider() -> Iterator[None]:
    oidc.forget_cached()
    yield
    oidc.forget_cached()


@pytest.fixture(scope="module")
def mock_provider() -> Iterator[str]:
    """oidc-provider-mock on a free loopback port; Jens is known with his names and e-mail."""
    jens = MockUser(
        sub="jens",
        claims={
            "name": "Jens Hansen",
            "email": "jens.hansen@svendborg.dk",
            "preferred_username": "jens.hansen",
        },
    )
    with run_server_in_thread(port=0, require_nonce=True, user_claims=[jens]) as server:
        yield f"http://localhost:{server.server_port}"


def sso_settings(database_url: str, issuer: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "oidc_issuer": issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_name": "Svendborg Kommune",
        "oidc_create_users": True,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def sso(request: pytest.FixtureRequest) -> dict[str, object]:
    """Settings a test adds (pytest.mark.parametrize indirectly, or the default)."""
    return getattr(request, "param", {})


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with running_fake_provider() as provider:
        yield provider


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def start(client, next_url: str = "/account") -> dict[str, str]:
    """Begin a sign-in; the parameters of the authorization request sent to the provider."""
    answer = client.get(f"/login/sso?next={next_url}", follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return _query(answer.headers["location"]) | {"_url": answer.headers["location"]}


def authorize_at_mock(authorize_url: str, sub: str) -> str:
    """The person signs in at the provider; the provider's redirect back to us (path + query)."""
    answer = httpx.post(authorize_url, data={"sub": sub}, follow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    return f"{back.path}?{back.query}"


def _signed_in_as(client) -> str | None:
    answer = client.get("/api/me")
    return answer.json()["username"] if answer.status_code == 200 else None


# Against oidc-provider-mock: the whole flow


class TestWithARealProvider:
    @pytest.fixture
    def settings(self, database_url: str, mock_provider: str, sso: dict) -> Settings:
        return sso_settings(database_url, mock_provider, **sso)

    def test_a_first_sign_in_creates_the_account_and_opens_a_browser_session(
        self, client, session, mock_provider
    ):
        sent = start(client)
        assert sent["code_challenge_method"] == "S256" and sent["code_challenge"]
        assert sent["state"] and sent["nonce"] and sent["client_id"] == CLIENT_ID
        assert sent["redirect_uri"] == "http://testserver/login/sso/callback"
        assert set(sent["scope"].split()) == {"openid", "profile", "email"}
        answer = client.get(authorize_at_mock(sent["_url"], "jens"), follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/account"
        assert _signed_in_as(client) == "jens.hansen"
        user = session.exec(select(User).where(User.username == "jens.hansen")).one()
        assert (user.oidc_issuer, user.oidc_subject) == (mock_provider, "jens")
        assert (user.full_name, user.email, user.password_hash) == (
            "Jens Hansen",
            "jens.hansen@svendborg.dk",
            "!",
        )
        assert not session.exec(select(ProjectMember).where(ProjectMember.user_id == user.id)).all()
        event = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "signed_in", AuditEvent.entity_id == user.id
            )
        ).one()
        assert event.after == {"kind": "browser", "method": "oidc"}
        # The sign-in under way is gone: used once.
        assert not session.exec(select(OidcSignIn)).all()
        # No password opens the new account.
        page = client.get("/login")
        assert "Log ind med Svendborg Kommune" in page.text

    def test_the_next_sign_in_finds_the_same_account(self, client, session):
        for _ in range(2):
            client.cookies.clear()
            sent = start(client)
            client.get(authorize_at_mock(sent["_url"], "jens"))
        assert len(session.exec(select(User).where(User.oidc_subject == "jens")).all()) == 1

    @pytest.mark.parametrize("sso", [{"oidc_create_users": False}], indirect=True)
    def test_without_creation_an_unknown_person_is_refused(self, client, session):
        sent = start(client)
        answer = client.get(authorize_at_mock(sent["_url"], "jens"))
        assert answer.status_code == 403
        assert "Kontakt en administrator" in answer.text
        assert not session.exec(select(User).where(User.oidc_subject == "jens")).all()
        assert _signed_in_as(client) is None
        # The password form is still there, and works.
        assert 'name="password"' in answer.text
        make_user(session, username="lokal")
        login(client, "lokal")
        assert _signed_in_as(client) == "lokal"

    @pytest.mark.parametrize(
        "sso", [{"oidc_create_users": False, "oidc_user_claim": "email"}], indirect=True
    )
    def test_an_existing_account_is_linked_by_the_configured_claim(self, client, session):
        existing = make_user(session, username="jhansen", email="Jens.Hansen@svendborg.dk")
        sent = start(client)
        client.get(authorize_at_mock(sent["_url"], "jens"))
        assert _signed_in_as(client) == "jhansen"
        session.refresh(existing)
        assert existing.oidc_subject == "jens.hansen@svendborg.dk"
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "sso_linked")).one()

    @pytest.mark.parametrize(
        "sso",
        [
            {
                "oidc_create_users": False,
                "oidc_user_claim": "email",
                "break_glass_admin": "jens.hansen@svendborg.dk",
            }
        ],
        indirect=True,
    )
    def test_the_break_glass_administrator_is_never_linked(self, client, session):
        """The account for when the provider is down stays local, whatever the provider says."""
        keep = make_user(session, username="Jens.Hansen@svendborg.dk", is_admin=True)
        sent = start(client)
        answer = client.get(authorize_at_mock(sent["_url"], "jens"))
        assert answer.status_code == 403 and _signed_in_as(client) is None
        session.refresh(keep)
        assert keep.oidc_subject is None

    def test_a_disabled_account_stays_refused(self, client, session, mock_provider):
        sent = start(client)
        client.get(authorize_at_mock(sent["_url"], "jens"))
        user = session.exec(select(User).where(User.oidc_subject == "jens")).one()
        admin = make_user(session, username="chef", is_admin=True)
        auth.set_active(session=session, by=admin, user_id=user.id, active=False)
        client.cookies.clear()
        sent = start(client)
        answer = client.get(authorize_at_mock(sent["_url"], "jens"))
        assert answer.status_code == 403 and _signed_in_as(client) is None

    def test_a_wrong_state_is_refused(self, client, session):
        sent = start(client)
        back = authorize_at_mock(sent["_url"], "jens")
        answer = client.get(back.replace(f"state={sent['state']}", "state=forfalsket"))
        assert answer.status_code == 400 and STALE_TEXT in answer.text
        assert _signed_in_as(client) is None

    def test_a_replayed_answer_is_refused(self, client, session):
        sent = start(client)
        back = authorize_at_mock(sent["_url"], "jens")
        assert client.get(back, follow_redirects=False).status_code == 303
        client.cookies.clear()
        # The same state, nonce and code once more (with the attempt's cookie, as an attacker
        # who copied everything would send it): the sign-in was used.
        client.cookies.set("reformstyr_sso_attempt", "x", path="/login/sso")
        answer = client.get(back)
        assert answer.status_code == 400 and STALE_TEXT in answer.text
        assert _signed_in_as(client) is None

    def test_an_answer_in_another_browser_is_refused(self, client, app, session):
        sent = start(client)
        back = authorize_at_mock(sent["_url"], "jens")
        from fastapi.testclient import TestClient

        with TestClient(app) as other:
            answer = other.get(back)
            assert answer.status_code == 400 and STALE_TEXT in answer.text
            assert _signed_in_as(other) is None

    def test_the_provider_cancelling_shows_a_danish_page(self, client):
        sent = start(client)
        answer = client.get(f"/login/sso/callback?state={sent['state']}&error=access_denied")
        assert answer.status_code == 400 and "blev afbrudt" in answer.text

    def test_sign_out_ends_our_session_and_goes_to_the_providers(self, client, mock_provider):
        sent = start(client)
        client.get(authorize_at_mock(sent["_url"], "jens"))
        token = csrf_of(client, "/account")
        answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        # A page of ours that sends the browser on (a form's answer may not redirect off-site).
        assert answer.status_code == 200 and "Du er logget ud af Reformstyr" in answer.text
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', answer.text)
        assert target is not None
        url = html.unescape(target.group(1))
        assert url.startswith(f"{mock_provider}/oauth2/end_session?")
        assert _query(url) == {
            "client_id": CLIENT_ID,
            "post_logout_redirect_uri": "http://testserver/login",
        }
        assert _signed_in_as(client) is None

    def test_a_password_session_signs_out_here_only(self, client, session):
        make_user(session, username="lokal")
        login(client, "lokal")
        token = csrf_of(client, "/account")
        answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert answer.headers["location"] == "/login"


# Against the tests' own provider: ID tokens no honest provider sends


class TestIdTokenChecks:
    @pytest.fixture
    def settings(self, database_url: str, fake: FakeProvider) -> Settings:
        return sso_settings(database_url, fake.url)

    def _callback(self, client, fake: FakeProvider, token_for) -> httpx.Response:
        sent = start(client)
        fake.next_token = token_for(sent["nonce"])
        return client.get(f"/login/sso/callback?state={sent['state']}&code=kode-1")

    def test_a_good_token_signs_in_with_pkce_and_the_client_secret(self, client, fake):
        sent = start(client)
        fake.next_token = fake.sign(fake.claims(sent["nonce"]))
        answer = client.get(f"/login/sso/callback?state={sent['state']}&code=kode-1")
        assert answer.status_code == 200 and _signed_in_as(client) == "jens.hansen@svendborg.dk"
        (request,) = fake.token_requests
        verifier = request["form"]["code_verifier"]
        digest = hashlib.sha256(verifier.encode()).digest()
        assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == sent["code_challenge"]
        assert request["form"]["code"] == "kode-1"
        assert request["form"]["grant_type"] == "authorization_code"
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        assert request["authorization"] == f"Basic {basic}"

    @pytest.mark.parametrize(
        "change",
        [
            {"exp": int(time.time()) - 600},
            {"aud": "en-anden-klient"},
            {"aud": [CLIENT_ID, "en-anden"], "azp": "en-anden"},
            {"iss": "https://andet.example"},
            {"iat": int(time.time()) + 3600},
            {"nonce": "en-gammel-nonce"},
        ],
        ids=["expired", "wrong-audience", "other-party", "wrong-issuer", "future-iat", "nonce"],
    )
    def test_a_token_failing_a_check_is_refused(self, client, session, fake, change):
        answer = self._callback(client, fake, lambda nonce: fake.sign(fake.claims(nonce, **change)))
        assert answer.status_code == 403 and REFUSED_TEXT in answer.text
        assert _signed_in_as(client) is None
        assert not session.exec(select(User)).all()

    def test_a_tampered_token_is_refused(self, client, fake):
        def tampered(nonce: str) -> str:
            header, payload, signature = fake.sign(fake.claims(nonce)).split(".")
            other = fake.sign(fake.claims(nonce, sub="someone-else")).split(".")[1]
            return f"{header}.{other}.{signature}"

        answer = self._callback(client, fake, tampered)
        assert answer.status_code == 403 and REFUSED_TEXT in answer.text

    def test_a_token_signed_by_another_key_with_a_known_kid_is_refused(self, client, fake):
        stranger = new_key(fake.keys[0].kid)
        answer = self._callback(client, fake, lambda n: fake.sign(fake.claims(n), stranger))
        assert answer.status_code == 403

    def test_unsigned_and_hmac_tokens_are_refused(self, client, fake):
        from joserfc import jwt
        from joserfc.jwk import OctKey

        secret = OctKey.import_key(CLIENT_SECRET.encode() * 2)
        answer = self._callback(
            client, fake, lambda n: jwt.encode({"alg": "HS256"}, fake.claims(n), secret)
        )
        assert answer.status_code == 403
        client.cookies.clear()
        answer = self._callback(client, fake, lambda n: "eyJhbGciOiJub25lIn0.e30.")
        assert answer.status_code == 403

    def test_a_replayed_nonce_is_refused(self, client, fake):
        first = start(client)
        fake.next_token = fake.sign(fake.claims(first["nonce"]))
        client.get(f"/login/sso/callback?state={first['state']}&code=kode-1")
        assert _signed_in_as(client)
        client.cookies.clear()
        # A new sign-in, answered with the first one's token (its nonce).
        second = start(client)
        answer = client.get(f"/login/sso/callback?state={second['state']}&code=kode-2")
        assert answer.status_code == 403 and _signed_in_as(client) is None

    def test_rotated_keys_are_fetched_once_and_documents_are_cached(self, client, fake):
        sent = start(client)
        fake.next_token = fake.sign(fake.claims(sent["nonce"]))
        client.get(f"/login/sso/callback?state={sent['state']}&code=kode-1")
        rotated = new_key("k2")
        fake.keys = [rotated]
        client.cookies.clear()
        sent = start(client)
        fake.next_token = fake.sign(fake.claims(sent["nonce"]), rotated)
        answer = client.get(f"/login/sso/callback?state={sent['state']}&code=kode-2")
        assert answer.status_code == 200 and _signed_in_as(client)
        assert fake.fetches["/.well-known/openid-configuration"] == 1
        assert fake.fetches["/jwks"] == 2

    def test_an_expired_sign_in_is_refused(self, client, session, fake):
        sent = start(client)
        row = session.exec(select(OidcSignIn)).one()
        row.expires_at = row.expires_at.replace(year=2000)
        session.add(row)
        session.commit()
        fake.next_token = fake.sign(fake.claims(sent["nonce"]))
        answer = client.get(f"/login/sso/callback?state={sent['state']}&code=kode-1")
        assert answer.status_code == 400 and STALE_TEXT in answer.text
        assert not fake.token_requests

    def test_the_access_log_leaves_out_the_code(self):
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", "/login/sso/callback?code=hemmelig&state=s", "1.1", 303),
            None,
        )
        oidc.redact_access_log()
        for flt in logging.getLogger("uvicorn.access").filters:
            flt.filter(record)  # type: ignore[union-attr]
        assert "hemmelig" not in record.getMessage()


# A provider that is down or answers garbage


def _app_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the application logged (the test client's own request lines left out)."""
    return "\n".join(
        r.getMessage() for r in caplog.records if "http://testserver" not in r.getMessage()
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestProviderDown:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return sso_settings(database_url, f"http://127.0.0.1:{_closed_port()}")

    def test_a_danish_page_and_the_password_form_still_works(self, client, session, caplog):
        answer = client.get("/login/sso")
        assert answer.status_code == 502 and DOWN_TEXT in answer.text
        assert "Svendborg Kommune svarer ikke" in answer.text and 'name="password"' in answer.text
        assert "ConnectError" not in answer.text
        make_user(session, username="lokal")
        login(client, "lokal")
        assert _signed_in_as(client) == "lokal"


class TestProviderGarbage:
    @pytest.fixture
    def settings(self, database_url: str, fake: FakeProvider) -> Settings:
        return sso_settings(database_url, fake.url)

    def test_garbage_discovery_gives_a_danish_page_without_its_text(self, client, fake, caplog):
        fake.mode = "garbage"
        with caplog.at_level(logging.INFO):
            answer = client.get("/login/sso")
        assert answer.status_code == 502 and DOWN_TEXT in answer.text
        assert PROVIDER_ERROR_TEXT not in answer.text and PROVIDER_ERROR_TEXT not in caplog.text
        assert "discovery document: answered 500" in caplog.text

    def test_a_failing_token_endpoint_gives_a_danish_page_without_its_text(
        self, client, fake, caplog
    ):
        sent = start(client)
        fake.mode = "token-error"
        with caplog.at_level(logging.INFO):
            answer = client.get(f"/login/sso/callback?state={sent['state']}&code=kode-hemmelig")
        assert answer.status_code == 502 and DOWN_TEXT in answer.text
        for secret in (PROVIDER_ERROR_TEXT, "kode-hemmelig", sent["state"]):
            assert secret not in answer.text and secret not in _app_log(caplog)

    def test_no_token_reaches_the_log(self, client, fake, caplog):
        sent = start(client)
        token = fake.sign(fake.claims(sent["nonce"], aud="en-anden"))
        fake.next_token = token
        with caplog.at_level(logging.DEBUG):
            answer = client.get(f"/login/sso/callback?state={sent['state']}&code=kode-1")
        assert answer.status_code == 403
        assert token.split(".")[1] not in _app_log(caplog)
        assert "ID token: wrong audience" in caplog.text


# Local passwords off


class TestLocalPasswordsOff:
    @pytest.fixture
    def settings(self, database_url: str, fake: FakeProvider) -> Settings:
        return sso_settings(
            database_url, fake.url, local_passwords=False, break_glass_admin="nødadgang"
        )

    def test_the_sign_in_page_offers_only_the_provider(self, client):
        page = client.get("/login")
        assert "Log ind med Svendborg Kommune" in page.text
        assert 'name="password"' not in page.text
        assert 'name="password"' in client.get("/login?local=1").text

    def test_passwords_are_refused_but_for_the_break_glass_administrator(self, client, session):
        make_user(session, username="lokal")
        make_user(session, username="nødadgang", is_admin=True)
        token = client.get("/login?local=1").text.split('name="csrf_token" value="')[1][:43]
        answer = client.post(
            "/login",
            data={"username": "lokal", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 403 and "slået fra" in answer.text
        refused = client.post("/api/token", data={"username": "lokal", "password": PASSWORD})
        assert refused.status_code == 400  # RFC 6749 §5.2
        assert refused.json()["error"] == "unsupported_grant_type"
        token = client.get("/login?local=1").text.split('name="csrf_token" value="')[1][:43]
        answer = client.post(
            "/login",
            data={"username": "nødadgang", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303 and _signed_in_as(client) == "nødadgang"
        assert (
            client.post(
                "/api/token", data={"username": "nødadgang", "password": PASSWORD}
            ).status_code
            == 200
        )

    def test_personal_access_tokens_keep_working(self, client, session):
        user = make_user(session, username="lokal")
        token, _ = auth.create_personal_token(
            session=session,
            user=user,
            data=PersonalTokenCreate(name="Script"),
            made_with=UserSession(kind="browser", user_id=user.id),
        )
        client.cookies.clear()
        answer = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.json()["username"] == "lokal"


def test_without_configuration_there_is_no_single_sign_on(client):
    page = client.get("/login")
    assert "Log ind med" not in page.text and 'name="password"' in page.text
    answer = client.get("/login/sso")
    assert answer.status_code == 404 and "ikke slået til" in answer.text
    assert client.get("/login/sso/callback?state=x&code=y").status_code == 404
