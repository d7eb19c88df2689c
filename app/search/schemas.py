"""Shapes of the search API."""

from pydantic import BaseModel

from app.search.sources import Kind


class SearchHitPublic(BaseModel):
    kind: Kind
    kind_label: str
    id: int
    title: str
    snippet: str
    url: str


class SearchResults(BaseModel):
    q: str
    total: int
    items: list[SearchHitPublic]
