"""The attachment (bilag) table: one row per file attached to a meeting, an agenda item, a task,
a decision or a plan.

The owner is one of five nullable references, exactly one of them set (a check constraint), each
ON DELETE CASCADE: deleting the owner — or its meeting, group or project — deletes its attachment
rows in the database itself, whoever deletes it. The files live on disk by checksum
(app/attachments/storage.py); a file no row refers to any more is removed after the commit
(app/attachments/cleanup.py).
"""

from datetime import datetime
from enum import StrEnum

from sqlmodel import CheckConstraint, Field, SQLModel

from app.db import utcnow


class OwnerKind(StrEnum):
    meeting = "meeting"
    agenda_item = "agenda_item"
    task = "task"
    decision = "decision"
    plan = "plan"


OWNER_KIND_LABELS = {
    OwnerKind.meeting: "Møde",
    OwnerKind.agenda_item: "Dagsordenspunkt",
    OwnerKind.task: "Opgave",
    OwnerKind.decision: "Beslutning",
    OwnerKind.plan: "Tids- og handleplan",
}

# The owner's column for each kind.
OWNER_COLUMNS = {kind: f"{kind.value}_id" for kind in OwnerKind}

# Exactly one owner (CASE, not a boolean sum: PostgreSQL does not add booleans).
ONE_OWNER = (
    " + ".join(f"CASE WHEN {column} IS NULL THEN 0 ELSE 1 END" for column in OWNER_COLUMNS.values())
    + " = 1"
)


class Attachment(SQLModel, table=True):
    """A file attached to one owner; the bytes are on disk under their sha256."""

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint(ONE_OWNER, name="one_owner"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", index=True, ondelete="CASCADE"
    )
    agenda_item_id: int | None = Field(
        default=None, foreign_key="agenda_item.id", index=True, ondelete="CASCADE"
    )
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True, ondelete="CASCADE")
    decision_id: int | None = Field(
        default=None, foreign_key="decision.id", index=True, ondelete="CASCADE"
    )
    plan_id: int | None = Field(default=None, foreign_key="plan.id", index=True, ondelete="CASCADE")
    # The name as uploaded, made safe (no path parts, no control characters); shown and sent in
    # Content-Disposition, never used as a path.
    file_name: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64, index=True)
    uploaded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    uploaded_by_name: str = Field(default="", max_length=200)
    uploaded_at: datetime = Field(default_factory=utcnow)

    @property
    def owner_kind(self) -> OwnerKind:
        for kind, column in OWNER_COLUMNS.items():
            if getattr(self, column) is not None:
                return kind
        raise RuntimeError("An attachment without an owner")

    @property
    def owner_id(self) -> int:
        return int(getattr(self, OWNER_COLUMNS[self.owner_kind]))
