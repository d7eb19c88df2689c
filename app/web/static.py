"""Fingerprinted static files: `static_url("css/app.css")` gives `/static/css/app.css?v=<hash>`,
and an answer to a URL whose `v` is the file's current hash may be kept by browsers for a year
(`immutable`): a deploy that changes the file changes its URL. Other static URLs are answered
as before, without a long max-age."""

import hashlib
from functools import cache
from pathlib import Path

import plotly

from app.config import ROOT

STATIC = ROOT / "app" / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# Served by its own route from the installed plotly package (no CDN), app/main.py.
OUTSIDE = {"vendor/plotly.min.js": PLOTLY_JS}
IMMUTABLE = b"public, max-age=31536000, immutable"


@cache
def fingerprint(path: str) -> str:
    """The first 12 hex digits of the file's SHA-256 (files change only with a deploy)."""
    file = OUTSIDE.get(path) or STATIC / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """The URL of a static file, fingerprinted with its content."""
    return f"/static/{path}?v={fingerprint(path)}"


def is_fingerprinted(path: str, query_string: bytes) -> bool:
    """Whether a request for `path` (`/static/…`) names the file's current content."""
    if not query_string.startswith(b"v="):
        return False
    name = path.removeprefix("/static/")
    if ".." in name or not (name in OUTSIDE or (STATIC / name).is_file()):
        return False
    return query_string[2:].decode("latin-1") == fingerprint(name)
