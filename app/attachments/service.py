"""Attachments (bilag): attach a file to a meeting, an agenda item, a task, a decision or a plan;
list, fetch and delete them. Pages and the API call these functions alike.

Reading follows the owner's pages: every member of the project reads meetings, decisions and
groups, so every member reads their attachments (the routes' ProjectAccess). Attaching and
deleting follow who may change the owner: meetings and agenda items the secretariat and the
project leader; decisions the steering group, the project leader and the secretariat (who
follow decisions up); a task or a plan the project leader and the members of its group.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.attachments import cleanup, storage
from app.attachments.models import OWNER_COLUMNS, OWNER_KIND_LABELS, Attachment, OwnerKind
from app.audit import service as audit
from app.auth.models import Role
from app.auth.service import Access
from app.danish import format_date, format_number
from app.db import project_row, stored_id
from app.errors import Forbidden, Invalid, NotFound
from app.governance.models import AgendaItem, Body, Decision, Meeting
from app.governance.permissions import FOLLOW_UP_ROLES
from app.workstreams.models import Plan, Task

# Imported for its listener: the files of deleted attachments and owners go after the commit.
assert cleanup.PENDING

MISSING = "Bilaget findes ikke."
MISSING_OWNER = "Det, bilaget skal knyttes til, findes ikke i projektet."
FILE_GONE = (
    "Filen til bilaget findes ikke på serveren (et importeret projekt får sine bilag med som "
    "henvisninger, ikke som filer)."
)
EDIT_REFUSED = {
    OwnerKind.meeting: "Kun sekretariatet og projektlederen må tilføje og slette mødets bilag.",
    OwnerKind.agenda_item: "Kun sekretariatet og projektlederen må tilføje og slette "
    "dagsordenspunktets bilag.",
    OwnerKind.task: "Kun projektlederen og gruppens medlemmer må tilføje og slette opgavens bilag.",
    OwnerKind.decision: "Kun styregruppemedlemmer, projektlederen og sekretariatet må tilføje og "
    "slette beslutningens bilag.",
    OwnerKind.plan: "Kun projektlederen og gruppens medlemmer må tilføje og slette planens bilag.",
}


@dataclass(frozen=True)
class Owner:
    """What an attachment belongs to, with what the pages show of it."""

    kind: OwnerKind
    id: int
    title: str
    group_id: int | None = None

    @property
    def ref(self) -> str:
        """The owner as a form's choice names it: "task:12"."""
        return f"{self.kind.value}:{self.id}"

    @property
    def kind_label(self) -> str:
        return OWNER_KIND_LABELS[self.kind]


def may_edit(access: Access, owner: Owner) -> bool:
    """Whether the person may attach files to the owner and delete its attachments."""
    if owner.kind in (OwnerKind.meeting, OwnerKind.agenda_item):
        return access.has(Role.secretariat, Role.project_leader)
    if owner.kind == OwnerKind.decision:
        return access.has(*FOLLOW_UP_ROLES)
    return access.has(Role.project_leader, Role.group_member) and access.can_edit_group(
        owner.group_id
    )


def _meeting_title(meeting: Meeting, body: Body | None) -> str:
    return f"Mødet {format_date(meeting.meeting_date)}" + (f" ({body.name})" if body else "")


def _plan_title(plan: Plan) -> str:
    """A plan as a choice names it (its title mostly says »Tids- og handleplan: …« already)."""
    return plan.title if "plan" in plan.title.lower() else f"Plan: {plan.title}"


def find_owner(*, session: Session, project_id: int, kind: OwnerKind, owner_id: int) -> Owner:
    """The owner `kind` `owner_id` if it is in the project, else NotFound."""
    if kind == OwnerKind.agenda_item:
        item = session.get(AgendaItem, owner_id)
        meeting = session.get(Meeting, item.meeting_id) if item else None
        if item is None or meeting is None or meeting.project_id != project_id:
            raise NotFound(MISSING_OWNER)
        return Owner(kind, owner_id, f"Punkt {item.position}: {item.title}")
    if kind == OwnerKind.meeting:
        meeting = project_row(
            Meeting, owner_id, session=session, project_id=project_id, missing=MISSING_OWNER
        )
        return Owner(kind, owner_id, _meeting_title(meeting, session.get(Body, meeting.body_id)))
    if kind == OwnerKind.decision:
        d = project_row(
            Decision, owner_id, session=session, project_id=project_id, missing=MISSING_OWNER
        )
        return Owner(kind, owner_id, f"Beslutning nr. {d.number}: {d.title}")
    if kind == OwnerKind.task:
        t = project_row(
            Task, owner_id, session=session, project_id=project_id, missing=MISSING_OWNER
        )
        return Owner(kind, owner_id, f"Opgave: {t.title}", t.group_id)
    p = project_row(Plan, owner_id, session=session, project_id=project_id, missing=MISSING_OWNER)
    return Owner(kind, owner_id, _plan_title(p), p.group_id)


def parse_owner(ref: str) -> tuple[OwnerKind, int]:
    """A form's owner choice ("task:12") as kind and id; Invalid naming the field otherwise."""
    kind, _, owner_id = (ref or "").partition(":")
    if kind not in OwnerKind.__members__ or not owner_id.isdigit():
        raise Invalid("Vælg, hvad bilaget skal knyttes til.", field="owner")
    return OwnerKind(kind), int(owner_id)


def add_attachment(
    *,
    session: Session,
    by: Access,
    kind: OwnerKind,
    owner_id: int,
    file_name: str,
    stream: BinaryIO | None,
    directory: Path,
    limit: int,
    truncated: bool = False,
) -> Attachment:
    """Attach an uploaded file to an owner: checked (owner, right, size, type) before anything
    is kept; its file placed by checksum, its row and audit event committed together."""
    owner = find_owner(session=session, project_id=by.project_id, kind=kind, owner_id=owner_id)
    if not may_edit(by, owner):
        raise Forbidden(EDIT_REFUSED[kind])
    if truncated:
        raise storage.too_large(limit)
    if stream is None:
        raise Invalid("Vælg en fil at vedhæfte.", field="file")
    received = storage.receive(stream=stream, directory=directory, limit=limit)
    try:
        storage.place(received, directory)
    except BaseException:
        storage.discard(received)
        raise
    attachment = Attachment(
        project_id=by.project_id,
        file_name=storage.safe_name(file_name),
        content_type=received.content_type,
        size=received.size,
        sha256=received.sha256,
        uploaded_by_id=by.user.id,
        uploaded_by_name=by.user.full_name or by.user.username,
    )
    setattr(attachment, OWNER_COLUMNS[kind], owner_id)
    session.add(attachment)
    session.flush()
    audit.log(session=session, by=by, action="uploaded", row=attachment)
    session.commit()
    return attachment


def get_attachment(*, session: Session, project_id: int, attachment_id: int) -> Attachment:
    """An attachment of the project, or NotFound (also for another project's)."""
    return project_row(
        Attachment, attachment_id, session=session, project_id=project_id, missing=MISSING
    )


def file_of(
    *, session: Session, project_id: int, attachment_id: int, directory: Path
) -> tuple[Attachment, Path]:
    """An attachment and the path of its bytes, for a download; NotFound when the file is not
    on this server (a project imported from a document)."""
    attachment = get_attachment(session=session, project_id=project_id, attachment_id=attachment_id)
    path = storage.path_of(directory, attachment.sha256)
    if not path.is_file():
        raise NotFound(FILE_GONE)
    return attachment, path


def delete_attachment(*, session: Session, by: Access, attachment_id: int) -> None:
    """Delete an attachment (by who may change its owner); its file goes after the commit when
    no other attachment has the same bytes (app/attachments/cleanup.py)."""
    attachment = get_attachment(
        session=session, project_id=by.project_id, attachment_id=attachment_id
    )
    owner = find_owner(
        session=session,
        project_id=by.project_id,
        kind=attachment.owner_kind,
        owner_id=attachment.owner_id,
    )
    if not may_edit(by, owner):
        raise Forbidden(EDIT_REFUSED[owner.kind])
    before = audit.snapshot(attachment)
    session.delete(attachment)
    audit.log(session=session, by=by, action="deleted", row=attachment, before=before)
    session.commit()


def referenced(*, session: Session, checksums: Iterable[str] | None = None) -> set[str]:
    """The checksums attachments refer to (all, or those of `checksums`)."""
    query = select(Attachment.sha256).distinct()
    if checksums is not None:
        query = query.where(col(Attachment.sha256).in_(list(checksums)))
    return set(session.exec(query).all())


def attachments_of(
    *, session: Session, project_id: int, owners: Iterable[tuple[OwnerKind, int]]
) -> dict[tuple[OwnerKind, int], list[Attachment]]:
    """The attachments of several owners, in one query, by owner, in upload order."""
    ids: dict[OwnerKind, list[int]] = defaultdict(list)
    for kind, owner_id in owners:
        ids[kind].append(owner_id)
    found: dict[tuple[OwnerKind, int], list[Attachment]] = defaultdict(list)
    if not ids:
        return found
    conditions = [col(getattr(Attachment, OWNER_COLUMNS[k])).in_(v) for k, v in ids.items()]
    for a in session.exec(
        select(Attachment)
        .where(Attachment.project_id == project_id, or_(*conditions))
        .order_by(col(Attachment.uploaded_at), col(Attachment.id))
    ):
        found[(a.owner_kind, a.owner_id)].append(a)
    return found


def page_of(*, session: Session, attachment: Attachment) -> tuple[str, int] | None:
    """The page whose attachments section shows the attachment: ("meetings", id), ("decisions",
    id) or ("groups", id); None for a task in no group."""
    kind, owner_id = attachment.owner_kind, attachment.owner_id
    if kind == OwnerKind.meeting:
        return "meetings", owner_id
    if kind == OwnerKind.agenda_item:
        item = session.get(AgendaItem, owner_id)
        return ("meetings", item.meeting_id) if item else None
    if kind == OwnerKind.decision:
        return "decisions", owner_id
    row = session.get(Task, owner_id) if kind == OwnerKind.task else session.get(Plan, owner_id)
    group_id = row.group_id if row else None
    return ("groups", group_id) if group_id is not None else None


def size_label(size: int) -> str:
    """A file's size the Danish way: 812 B, 14 kB, 2,4 MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1000 * 1000:
        return f"{format_number(round(size / 1000))} kB"
    return f"{format_number(size / 1000 / 1000, 1)} MB"


# The owners a page's attachments section covers.


@dataclass
class Section:
    """The attachments of a page: its owners in order, each one's files, and the owners the
    person may attach to."""

    owners: list[Owner]
    files: dict[tuple[OwnerKind, int], list[Attachment]]
    editable: list[Owner] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.files.values())

    def editable_refs(self) -> set[str]:
        return {o.ref for o in self.editable}


@dataclass(frozen=True)
class Listed:
    """One attachment with its owner's title, for a list across owners (the meeting pack)."""

    owner: str
    attachment: Attachment
    size: str


def listed(section: Section) -> list[Listed]:
    """A section's attachments as one list, owner by owner."""
    return [
        Listed(o.title, a, size_label(a.size))
        for o in section.owners
        for a in section.files.get((o.kind, o.id), [])
    ]


def _section(session: Session, access: Access, owners: list[Owner]) -> Section:
    files = attachments_of(
        session=session, project_id=access.project_id, owners=[(o.kind, o.id) for o in owners]
    )
    return Section(owners, files, [o for o in owners if may_edit(access, o)])


def meeting_section(*, session: Session, access: Access, meeting_id: int) -> Section:
    """A meeting's attachments and its agenda items'."""
    meeting = find_owner(
        session=session, project_id=access.project_id, kind=OwnerKind.meeting, owner_id=meeting_id
    )
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ).all()
    owners = [meeting] + [
        Owner(OwnerKind.agenda_item, stored_id(i), f"Punkt {i.position}: {i.title}") for i in items
    ]
    return _section(session, access, owners)


def decision_section(*, session: Session, access: Access, decision_id: int) -> Section:
    """A decision's attachments."""
    decision = find_owner(
        session=session,
        project_id=access.project_id,
        kind=OwnerKind.decision,
        owner_id=decision_id,
    )
    return _section(session, access, [decision])


def group_section(*, session: Session, access: Access, group_id: int) -> Section:
    """A group's plan's attachments and its tasks'."""
    project_row(
        Body,
        group_id,
        session=session,
        project_id=access.project_id,
        missing="Gruppen findes ikke.",
    )
    plan = session.exec(
        select(Plan).where(Plan.project_id == access.project_id, Plan.group_id == group_id)
    ).first()
    tasks = session.exec(
        select(Task)
        .where(Task.project_id == access.project_id, Task.group_id == group_id)
        .order_by(col(Task.position), col(Task.id))
    ).all()
    owners = [Owner(OwnerKind.plan, stored_id(plan), _plan_title(plan), group_id)] if plan else []
    owners += [Owner(OwnerKind.task, stored_id(t), f"Opgave: {t.title}", group_id) for t in tasks]
    return _section(session, access, owners)
