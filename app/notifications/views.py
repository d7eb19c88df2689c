"""Pages: the signed-in person's notifications and mail choices (under »Min konto«), the
outbox for the administrator, and the unread count in every page's header."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import AdminUser, CurrentUser, SessionDep, SettingsDep
from app.jinja import env
from app.notifications import outbox, service
from app.notifications.models import (
    DELIVERY_LABELS,
    KIND_LABELS,
    MAIL_STATUS_LABELS,
    MailStatus,
    NotificationKind,
)
from app.notifications.schemas import NotificationSettingsUpdate
from app.web import forms
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()


def unread_notifications(request: Request | None) -> int:
    """The signed-in person's unread count for the header: one query, only on pages that
    draw the header (never on the API or a partial)."""
    state = getattr(request, "state", None)
    user = getattr(state, "user", None)
    if request is None or user is None or user.id is None:
        return 0
    # The request's own session (app.deps.get_session), so a page never holds two of the
    # pool's connections at once; a page without one opens a short session of its own.
    session = getattr(state, "db_session", None)
    if isinstance(session, Session):
        return service.unread_count(session=session, user_id=user.id)
    with request.app.state.db.session() as own:
        return service.unread_count(session=own, user_id=user.id)


env.globals["unread_notifications"] = unread_notifications


@router.get("/notifications")
def notifications_page(
    request: Request, user: CurrentUser, session: SessionDep, page: int = 1, unread: bool = False
) -> Response:
    found = service.list_notifications(
        session=session,
        user=user,
        offset=(max(page, 1) - 1) * service.PAGE_SIZE,
        unread_only=unread,
    )
    return render(
        request,
        "notifications/list.html",
        {"found": found, "unread_only": unread, "kind_labels": KIND_LABELS},
    )


@router.post("/notifications/read-all")
def read_all(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    marked = service.mark_all_read(session=session, user=user)
    message = "Alle notifikationer er markeret som læst." if marked else "Der var intet ulæst."
    return forms.done(request, "/notifications", message)


@router.post("/notifications/{notification_id}/read")
def read_one(
    request: Request, notification_id: int, user: CurrentUser, session: SessionDep
) -> Response:
    service.mark_read(session=session, user=user, notification_id=notification_id)
    return forms.done(request, "/notifications", "Notifikationen er markeret som læst.")


def _settings_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    *,
    context: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    chosen = service.settings_of(session=session, user=user)
    values = {str(kind): str(delivery) for kind, delivery in chosen.items()}
    page: dict[str, object] = {
        "kinds": [(str(kind), KIND_LABELS[kind]) for kind in NotificationKind],
        "deliveries": list(DELIVERY_LABELS.items()),
        "values": values,
        "errors": {},
    }
    return render(
        request,
        "notifications/settings.html",
        page | (context or {}),
        status_code=status_code,
    )


@router.get("/account/notifications")
def settings_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _settings_page(request, session, user)


@router.post("/account/notifications")
def save_settings(
    request: Request, user: CurrentUser, session: SessionDep, form: forms.FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(NotificationSettingsUpdate, form)
        service.update_settings(session=session, user=user, choices=data.choices())
    if outcome.failed:
        return _settings_page(
            request,
            session,
            user,
            context=outcome.context(form),
            status_code=outcome.status_code,
        )
    return forms.done(request, "/account/notifications", "Dine valg af mails er gemt.")


@router.get("/admin/outbox")
def outbox_page(
    request: Request,
    _admin: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    status: MailStatus | None = None,
    page: int = 1,
) -> Response:
    paging = Page(number=page, size=outbox.PER_PAGE)
    view = outbox.list_outbox(
        session=session, status=status, offset=paging.offset, limit=paging.size
    )
    if view.total and paging.offset >= view.total:  # past the end (mail moved on): the last page
        paging = Page(number=paging.with_total(view.total).pages, size=paging.size)
        view = outbox.list_outbox(
            session=session, status=status, offset=paging.offset, limit=paging.size
        )
    return render(
        request,
        "notifications/outbox.html",
        {
            "view": view,
            "paging": paging.with_total(view.total),
            "base_url": f"/admin/outbox?status={status}" if status else "/admin/outbox",
            "status": status,
            "status_labels": MAIL_STATUS_LABELS,
            "smtp_host": settings.smtp_host,
        },
    )


@router.post("/admin/outbox/{mail_id}/retry")
def outbox_retry(request: Request, mail_id: int, admin: AdminUser, session: SessionDep) -> Response:
    outbox.retry(session=session, by=admin, mail_id=mail_id)
    return forms.done(request, "/admin/outbox", "Mailen sendes igen ved næste kørsel.")
