"""Page numbers for long lists: every list page shows at most `size` rows."""

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Query, Response

# The API's paging parameters; the total comes back in the X-Total-Count header.
Offset = Annotated[int, Query(ge=0, description="Antal rækker, der springes over")]
Limit = Annotated[int, Query(ge=1, le=500, description="Højst så mange rækker")]


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
