"""Page numbers for long lists: every list page shows at most `size` rows."""

from dataclasses import dataclass, replace


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
