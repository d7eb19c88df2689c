"""Page numbers for long lists: every list page shows at most `size` rows."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request, Response

# The API's paging, the same on every list (docs/api.md »Lister«): `offset` and `limit` (default
# 100, at most 500) in the query; the total in the X-Total-Count header and the neighbouring
# pages in a Link header (RFC 8288: rel="next", rel="prev").
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
Offset = Annotated[int, Query(ge=0, description="Antal rækker, der springes over")]
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Højst så mange rækker (højst {MAX_LIMIT})")
]
T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    """One list request's window, and the headers that tell a script where the rest is."""

    offset: int
    limit: int
    request: Request
    response: Response

    def answer(self, total: int) -> None:
        """Set X-Total-Count and Link for a list of `total` rows of which this window is sent."""
        self.response.headers["X-Total-Count"] = str(total)
        links = []
        if self.offset + self.limit < total:
            links.append(f'<{self._url(self.offset + self.limit)}>; rel="next"')
        if self.offset > 0:
            links.append(f'<{self._url(max(self.offset - self.limit, 0))}>; rel="prev"')
        if links:
            self.response.headers["Link"] = ", ".join(links)

    def slice(self, rows: Sequence[T]) -> list[T]:
        """This window of a list held whole (the short lists: bodies, grants, risks, …)."""
        self.answer(len(rows))
        return list(rows[self.offset : self.offset + self.limit])

    def _url(self, offset: int) -> str:
        return str(self.request.url.include_query_params(offset=offset, limit=self.limit))


def _paging(
    request: Request, response: Response, offset: Offset = 0, limit: Limit = DEFAULT_LIMIT
) -> Paging:
    return Paging(offset, limit, request, response)


PageOf = Annotated[Paging, Depends(_paging)]


def set_total(response: Response, total: int) -> None:
    response.headers["X-Total-Count"] = str(total)


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = 50
    total: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", max(1, self.number))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def with_total(self, total: int) -> "Page":
        return replace(self, total=total)
