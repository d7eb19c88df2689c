"""Which version an API delete was made from (docs/api.md, »Samtidige ændringer«).

An update sends `version` in its body. A delete has no body: it sends `?version=N`, or the
header `If-Match: "N"` with the version as the entity tag. Services check the version with
`app.errors.require_version`: none answers 428, an old one 409.
"""

from typing import Annotated

from fastapi import Depends, Header, Query

from app.errors import Invalid


def _expected(
    if_match: Annotated[
        str | None, Header(description='Versionen som entity tag, f.eks. `"3"`.')
    ] = None,
    version: Annotated[
        int | None, Query(description="Den version, sletningen bygger på.", ge=1)
    ] = None,
) -> int | None:
    if version is not None or if_match is None:
        return version
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not (tag.isascii() and tag.isdigit()):
        raise Invalid('If-Match skal være en version i anførselstegn, f.eks. "3".', field="version")
    return int(tag)


ExpectedVersion = Annotated[int | None, Depends(_expected)]
