"""Every list as a download, one pattern for all: the page `GET /projects/{id}/<list>.xlsx` (or
`.csv`) and the API `GET /api/projects/{id}/<list>/export?format=xlsx|csv`, both with the list
page's filters in the query string, read by the domain's table function (app/exports.py). Any
role in the project may export what its pages show it; others get the 404/403 of ProjectAccess.
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.budget.exports import expenditures_table
from app.clock import today
from app.deps import ProjectAccess, SessionDep
from app.exports import Format, Table, export_response
from app.governance.exports import decisions_table, meetings_table
from app.risks.exports import risks_table
from app.stakeholders.exports import communication_table, stakeholders_table
from app.workstreams.exports import milestones_table, tasks_table

TableReader = Callable[..., Table]
# The lists: the path segment, the file's name (Danish, ASCII so every mail client keeps it)
# and the domain's table function.
LISTS: list[tuple[str, str, TableReader]] = [
    ("tasks", "opgaver", tasks_table),
    ("milestones", "milepaele", milestones_table),
    ("decisions", "beslutninger", decisions_table),
    ("risks", "risici", risks_table),
    ("stakeholders", "interessenter", stakeholders_table),
    ("communication", "kommunikationsplan", communication_table),
    ("meetings", "moeder", meetings_table),
    ("expenditures", "udgifter", expenditures_table),
]
EXPORT_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Listen som Excel-fil (.xlsx) eller CSV (UTF-8 med BOM, semikolon)",
        "content": {"application/octet-stream": {}},
    }
}

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["eksport"])


def _answer(
    read: TableReader,
    name: str,
    *,
    session: Session,
    project_id: int,
    query: Mapping[str, str],
    format: Format,
) -> Response:
    table = read(session=session, project_id=project_id, filters=query)
    return export_response(table, name=name, day=today(), format=format)


def _page_route(read: TableReader, name: str, format: Format) -> Callable[..., Any]:
    def export_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
        return _answer(
            read,
            name,
            session=session,
            project_id=access.project_id,
            query=request.query_params,
            format=format,
        )

    return export_page


def _api_route(read: TableReader, name: str) -> Callable[..., Any]:
    def export_list(
        request: Request,
        access: ProjectAccess,
        session: SessionDep,
        format: Annotated[Format, Query(description="xlsx eller csv")] = "xlsx",
    ) -> Response:
        """The list as a file, filtered by the list page's query parameters."""
        return _answer(
            read,
            name,
            session=session,
            project_id=access.project_id,
            query=request.query_params,
            format=format,
        )

    return export_list


for segment, filename, reader in LISTS:
    for suffix in ("xlsx", "csv"):
        router.add_api_route(
            f"/projects/{{project_id}}/{segment}.{suffix}",
            _page_route(reader, filename, suffix),
            methods=["GET"],
            name=f"export_{segment}_{suffix}",
        )
    api.add_api_route(
        f"/projects/{{project_id}}/{segment}/export",
        _api_route(reader, filename),
        methods=["GET"],
        name=f"export_{segment}",
        summary=f"Eksportér {filename} som xlsx eller csv",
        response_class=Response,
        responses=EXPORT_FILE,
    )
