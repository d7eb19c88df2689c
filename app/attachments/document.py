"""The attachments' section of the project document: references, not files.

Each attachment is named by its owner's document key (a meeting, a task, a decision; a plan by
its group's key, a group having one plan; an agenda item by its meeting's key and its place on
the agenda), with its file's name, type, size and sha256. Importing restores the references
exactly (export → import → export gives the same section) but not the bytes: a download finds
the file only where a file with that checksum is on the server (the same installation, or its
attachments directory copied over); elsewhere it answers that the file is not on the server.
"""

from collections import defaultdict
from datetime import datetime

from pydantic import Field
from sqlmodel import Session, col, select

from app import inputs
from app.attachments.models import OWNER_COLUMNS, Attachment, OwnerKind
from app.governance.models import AgendaItem
from app.projectdoc.refs import Refs
from app.workstreams.models import Plan

# The document key kind that names each owner kind (a plan is named by its group).
KEY_KINDS = {
    OwnerKind.meeting: "meeting",
    OwnerKind.agenda_item: "meeting",
    OwnerKind.task: "task",
    OwnerKind.decision: "decision",
    OwnerKind.plan: "body",
}


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class AttachmentDoc(Strict):
    owner_kind: OwnerKind
    owner: str = Field(title="Hører til", min_length=1, max_length=80)
    # An agenda item's place on its meeting's agenda (1, 2, …); only for owner_kind agenda_item.
    agenda_item: int | None = Field(default=None, ge=1)
    file_name: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=1, max_length=120)
    size: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    uploaded_by: str = Field(default="", max_length=200)
    uploaded_at: datetime


class AttachmentsDoc(Strict):
    """The sections of the document that this domain owns."""

    attachments: list[AttachmentDoc] = []


def export_attachments(*, session: Session, project_id: int, refs: Refs) -> dict:
    """The project's attachments as references (after the sections whose keys they use)."""
    rows = session.exec(
        select(Attachment).where(Attachment.project_id == project_id).order_by(col(Attachment.id))
    ).all()
    item_ids = [a.agenda_item_id for a in rows if a.agenda_item_id is not None]
    places: dict[int, tuple[int, int]] = {}
    if item_ids:
        meetings = {
            i.meeting_id
            for i in session.exec(select(AgendaItem).where(col(AgendaItem.id).in_(item_ids)))
        }
        by_meeting: dict[int, list[int]] = defaultdict(list)
        for item in session.exec(
            select(AgendaItem)
            .where(col(AgendaItem.meeting_id).in_(meetings))
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ):
            by_meeting[item.meeting_id].append(item.id or 0)
        for meeting_id, ids in by_meeting.items():
            for number, item_id in enumerate(ids, 1):
                places[item_id] = (meeting_id, number)
    plan_ids = [a.plan_id for a in rows if a.plan_id is not None]
    plan_groups = (
        {p.id: p.group_id for p in session.exec(select(Plan).where(col(Plan.id).in_(plan_ids)))}
        if plan_ids
        else {}
    )
    docs = []
    for a in rows:
        kind, owner_id = a.owner_kind, a.owner_id
        place: int | None = None
        if kind == OwnerKind.agenda_item:
            owner_id, place = places[owner_id]
        elif kind == OwnerKind.plan:
            owner_id = plan_groups[owner_id]
        docs.append(
            AttachmentDoc(
                owner_kind=kind,
                owner=refs.key(KEY_KINDS[kind], owner_id) or "",
                agenda_item=place,
                file_name=a.file_name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                uploaded_by=a.uploaded_by_name,
                uploaded_at=a.uploaded_at,
            )
        )
    return AttachmentsDoc(attachments=docs).model_dump(mode="json")


def check_attachments(doc: AttachmentsDoc, refs: Refs) -> None:
    """Check every attachment's owner (errors go to refs; after the sections it refers to have
    declared their keys). The whole document is read for the meetings' agendas and the plans."""
    agenda_lengths = {m.key: len(m.agenda) for m in getattr(doc, "meetings", [])}
    planned_groups = {p.group for p in getattr(doc, "plans", [])}
    for i, a in enumerate(doc.attachments):
        path = f"$.attachments[{i}]"
        refs.check(KEY_KINDS[a.owner_kind], a.owner, f"{path}.owner")
        if a.owner_kind == OwnerKind.agenda_item:
            if a.agenda_item is None or a.agenda_item > agenda_lengths.get(a.owner, 0):
                refs.error(
                    f"{path}.agenda_item",
                    f"Mødet »{a.owner}« har ikke et punkt nr. {a.agenda_item} på dagsordenen.",
                )
        elif a.agenda_item is not None:
            refs.error(f"{path}.agenda_item", "Kun et dagsordenspunkts bilag har et punktnummer.")
        if a.owner_kind == OwnerKind.plan and a.owner not in planned_groups:
            refs.error(f"{path}.owner", f"Gruppen »{a.owner}« har ingen tids- og handleplan.")


def load_attachments(*, session: Session, doc: AttachmentsDoc, project_id: int, refs: Refs) -> None:
    """The document's attachments as rows of the new project (after the sections they refer
    to have been loaded and flushed)."""
    if not doc.attachments:
        return
    items: dict[int, list[int]] = defaultdict(list)
    meeting_ids = {
        refs.id("meeting", a.owner)
        for a in doc.attachments
        if a.owner_kind == OwnerKind.agenda_item
    }
    for item in session.exec(
        select(AgendaItem)
        .where(col(AgendaItem.meeting_id).in_(meeting_ids))
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ):
        items[item.meeting_id].append(item.id or 0)
    plans = {
        p.group_id: p.id for p in session.exec(select(Plan).where(Plan.project_id == project_id))
    }
    for a in doc.attachments:
        row = Attachment(
            project_id=project_id,
            file_name=a.file_name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            uploaded_by_name=a.uploaded_by,
            uploaded_at=a.uploaded_at,
        )
        owner_id: int | None
        if a.owner_kind == OwnerKind.agenda_item:
            owner_id = items[refs.id("meeting", a.owner)][(a.agenda_item or 1) - 1]
        elif a.owner_kind == OwnerKind.plan:
            owner_id = plans[refs.id("body", a.owner)]
        else:
            owner_id = refs.id(KEY_KINDS[a.owner_kind], a.owner)
        setattr(row, OWNER_COLUMNS[a.owner_kind], owner_id)
        session.add(row)
    session.flush()
