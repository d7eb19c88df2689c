"""Sign-in throttling without a lock-out switch (OWASP's authentication guidance).

A failed sign-in is a row, counted for its account and for its client's network address (an
IPv6 client by its /64). Past a free allowance, each further failure doubles the wait before
the next attempt for that account or address, up to a cap: an attacker is slowed, never handed
a lock. A browser or script that has signed in as the user before carries a device cookie (a
known device): it is held up by neither its account's wait nor its address's, only by its own
failures. An administrator can clear an account's failures at once. Rows live in the database,
so every worker process sees them, and attempts for one username are weighed one at a time.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, delete, func, select

from app.auth.models import KnownDevice, LoginFailure, User
from app.auth.security import new_token, token_hash
from app.config import Settings
from app.db import utcnow
from app.errors import TooManyAttempts

# The devices kept per user; a new one replaces the least recently used.
KNOWN_DEVICES_PER_USER = 20


@dataclass(frozen=True)
class Client:
    """Where a sign-in attempt comes from: its address and the device cookie it carries."""

    address: str
    device_token: str = ""

    @property
    def network(self) -> str:
        """The address as counted: an IPv6 client by its /64, which one household or office
        gets whole and picks addresses from at will; an IPv4 one (or an IPv4-mapped IPv6 one)
        by itself."""
        try:
            ip = ipaddress.ip_address(self.address)
        except ValueError:
            return self.address[:64]
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped is not None:
                return str(ip.ipv4_mapped)
            return str(ipaddress.IPv6Network((int(ip), 64), strict=False))
        return str(ip)


def serialise(*, session: Session, username: str) -> None:
    """Hold other sign-in attempts for this username until this one's transaction ends, so a
    burst of parallel guesses is weighed one at a time, each against the failures before it.
    SQLite's writing transactions (BEGIN IMMEDIATE) already run one at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(func.pg_advisory_xact_lock(func.hashtext(username))))


def _forgotten_before(settings: Settings) -> datetime:
    """Devices unused since then are forgotten (the device cookie lives as long)."""
    return utcnow() - timedelta(days=settings.login_device_days)


def known_device(
    *, session: Session, username: str, client: Client, settings: Settings
) -> KnownDevice | None:
    """The client's device, when it has signed in as this user before."""
    if not client.device_token:
        return None
    return session.exec(
        select(KnownDevice)
        .join(User, col(User.id) == KnownDevice.user_id)
        .where(
            User.username == username,
            KnownDevice.token_hash == token_hash(client.device_token),
            KnownDevice.last_used_at >= _forgotten_before(settings),
        )
    ).first()


def _wait(
    *, session: Session, which: ColumnElement[bool], free: int, settings: Settings, now: datetime
) -> int:
    """Seconds until the next attempt for these failures may be made (0: now)."""
    since = now - timedelta(minutes=settings.login_window_minutes)
    count, last = session.exec(
        select(func.count(), func.max(LoginFailure.at)).where(which, LoginFailure.at >= since)
    ).one()
    if count < free or last is None:
        return 0
    delay = min(
        settings.login_max_delay_seconds, settings.login_delay_seconds * 2 ** min(count - free, 30)
    )
    return max(0, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))


def _account_failures(username: str, device: KnownDevice | None) -> ColumnElement[bool]:
    """An account's failures from unknown clients, or one known device's own failures."""
    if device is not None:
        return col(LoginFailure.device_id) == device.id
    return and_(col(LoginFailure.username) == username, col(LoginFailure.device_id).is_(None))


def _address_failures(client: Client) -> ColumnElement[bool]:
    """The failures of unknown clients at the client's address (known devices have their own
    count)."""
    return and_(col(LoginFailure.address) == client.network, col(LoginFailure.device_id).is_(None))


def _in_words(seconds: int) -> str:
    if seconds < 90:
        return "1 sekund" if seconds == 1 else f"{seconds} sekunder"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutter"


def check(
    *,
    session: Session,
    username: str,
    client: Client,
    device: KnownDevice | None,
    settings: Settings,
) -> None:
    """Refuse the attempt while a wait runs for the account or for the client's address; a
    known device waits only for its own failures."""
    now = utcnow()
    # Staff behind one office address share it: the address's wait is for unknown clients.
    address_wait = 0
    if device is None:
        address_wait = _wait(
            session=session,
            which=_address_failures(client),
            free=settings.login_address_free_failures,
            settings=settings,
            now=now,
        )
    account_wait = _wait(
        session=session,
        which=_account_failures(username, device),
        free=settings.login_free_failures,
        settings=settings,
        now=now,
    )
    if address_wait > account_wait:
        raise TooManyAttempts(
            f"For mange mislykkede forsøg på at logge ind fra din netværksadresse (IP-adresse). "
            f"Vent {_in_words(address_wait)}, og prøv igen.",
            retry_after=address_wait,
        )
    if account_wait:
        raise TooManyAttempts(
            f"For mange mislykkede forsøg på at logge ind som denne bruger. "
            f"Vent {_in_words(account_wait)}, og prøv igen, eller bed en administrator om at "
            f"låse kontoen op.",
            retry_after=account_wait,
        )


def record_failure(
    *,
    session: Session,
    username: str,
    client: Client,
    device: KnownDevice | None,
    settings: Settings,
) -> None:
    """Count a failed attempt (and forget failures too old to count)."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    session.exec(delete(LoginFailure).where(col(LoginFailure.at) < since))
    session.add(
        LoginFailure(
            username=username[:80],
            address=client.network,
            device_id=device.id if device else None,
        )
    )


def forgive(*, session: Session, username: str, client: Client, device: KnownDevice | None) -> None:
    """After a successful sign-in: forget the failures the same client made for the account
    (an attacker's failures from elsewhere still count)."""
    same_client = col(LoginFailure.address) == client.network
    if device is not None:
        same_client = or_(same_client, col(LoginFailure.device_id) == device.id)
    session.exec(delete(LoginFailure).where(col(LoginFailure.username) == username, same_client))


def remember(
    *, session: Session, user: User, device: KnownDevice | None, settings: Settings
) -> str:
    """Make the client a known device of the user; return the device cookie to (re)set. A
    device cookie is reused only for its own user: one planted by someone else is replaced."""
    session.exec(
        delete(KnownDevice).where(col(KnownDevice.last_used_at) < _forgotten_before(settings))
    )
    # A new cookie at every sign-in: a copied one stops working when its owner signs in again.
    token = new_token()
    if device is None:
        _make_room(session=session, user_id=user.id or 0)
        session.add(KnownDevice(token_hash=token_hash(token), user_id=user.id or 0))
    else:
        device.token_hash = token_hash(token)
        device.last_used_at = utcnow()
    return token


def _make_room(*, session: Session, user_id: int) -> None:
    """Forget the user's least recently used devices beyond the newest few, so that a script
    which drops its cookies does not add a device at every sign-in."""
    older = (
        select(KnownDevice.id)
        .where(KnownDevice.user_id == user_id)
        .order_by(col(KnownDevice.last_used_at).desc(), col(KnownDevice.id).desc())
        .offset(KNOWN_DEVICES_PER_USER - 1)
    )
    session.exec(delete(KnownDevice).where(col(KnownDevice.id).in_(older)))


def clear(*, session: Session, username: str) -> int:
    """Forget every failure of the account (an administrator's unlock); how many there were."""
    count = session.exec(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.username == username)
    ).one()
    session.exec(delete(LoginFailure).where(col(LoginFailure.username) == username))
    return count


def recent_failures(*, session: Session, settings: Settings) -> dict[str, int]:
    """Failed sign-ins per username within the counting window (the administrator's list)."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    rows = session.exec(
        select(LoginFailure.username, func.count())
        .where(LoginFailure.at >= since)
        .group_by(LoginFailure.username)
    ).all()
    return dict(rows)
