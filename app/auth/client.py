"""What a sign-in request says about its client, for the throttle: the address the request came
from and the device cookie it carries; and the setting of that cookie after a sign-in."""

from typing import Annotated

from fastapi import Depends, Request, Response

from app.auth.throttle import Client
from app.config import Settings

DEVICE_COOKIE = "reformstyr_device"


async def _sign_in_client(request: Request) -> Client:
    # The peer's address as uvicorn reports it: behind a reverse proxy, the proxy's, unless
    # uvicorn trusts the proxy's X-Forwarded-For (FORWARDED_ALLOW_IPS, docs/architecture.md).
    return Client(
        address=request.client.host if request.client else "",
        device_token=request.cookies.get(DEVICE_COOKIE, ""),
    )


SignInClient = Annotated[Client, Depends(_sign_in_client)]


def set_device_cookie(response: Response, token: str, settings: Settings) -> None:
    """Give the client its (new) device cookie: proof, next time, that it signed in before."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        max_age=settings.login_device_days * 24 * 3600,
    )
