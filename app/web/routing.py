"""Finding a request's route by the literal segments of its path.

FastAPI (like Starlette) tries the app's routes one by one, in order, each with a regular
expression and some bookkeeping: for pages registered late among our ~380 routes that was about
1 ms a request (bench/README.md). `RouteIndex` stands first in the app's routes and tries only
the few routes whose literal segments fit the path, still in the app's order, so the first route
that matches is the same one. The routes themselves stay in the list after it, for the OpenAPI
description and `url_path_for`, and as the fallback when the index finds nothing (a 404 walks
them all, as before).
"""

from dataclasses import dataclass, field

from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound
from starlette.types import Receive, Scope, Send

PARAMETER = "/"  # the trie's key for a segment with a path parameter (no segment is "/")
SELECTED = "reformstyr.route"  # the scope key of the route found, for handle()


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    routes: list[int] = field(default_factory=list)  # positions of the routes ending here


def _segments(path: str) -> list[str]:
    return path.split("/")[1:]


class RouteIndex(BaseRoute):
    def __init__(self, routes: list[BaseRoute]) -> None:
        self.routes = routes
        self.root = _Node()
        self.everywhere: list[int] = []  # mounts and {x:path} parameters span segments
        for position, route in enumerate(routes):
            path = getattr(route, "path", None)
            if path is None or isinstance(route, Mount) or ":path}" in path:
                self.everywhere.append(position)
                continue
            node = self.root
            for segment in _segments(path):
                key = PARAMETER if "{" in segment else segment
                node = node.children.setdefault(key, _Node())
            node.routes.append(position)

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes that may match the path, in the app's order."""
        nodes = [self.root]
        for segment in _segments(path):
            nodes = [
                child
                for node in nodes
                for child in (node.children.get(segment), node.children.get(PARAMETER))
                if child is not None
            ]
        found = self.everywhere + [p for node in nodes for p in node.routes]
        return [self.routes[p] for p in sorted(found)]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope.get("root_path"):
            return Match.NONE, {}  # behind a path prefix: the routes match one by one
        partial: Scope | None = None
        for route in self.candidates(scope["path"]):
            match, child_scope = route.matches(scope)
            if match == Match.FULL:
                return Match.FULL, {**child_scope, SELECTED: route}
            if match == Match.PARTIAL and partial is None:
                partial = {**child_scope, SELECTED: route}
        return (Match.PARTIAL, partial) if partial else (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope[SELECTED].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: object) -> URLPath:
        raise NoMatchFound(name, path_params)  # the routes after the index answer
