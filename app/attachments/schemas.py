"""Shapes of the attachments' API."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from app.attachments.models import OwnerKind


class AttachmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    owner_kind: OwnerKind
    owner_id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_name: str
    uploaded_at: datetime
