"""Shapes of »Mit overblik« in the API (GET /api/me/overview)."""

from datetime import date
from typing import Literal

from pydantic import BaseModel

from app.workstreams.models import TaskStatus


class MyTask(BaseModel):
    id: int
    project_id: int
    project_name: str
    title: str
    status: TaskStatus
    status_label: str
    due_date: date | None
    overdue_days: int | None
    url: str


class MyApproval(BaseModel):
    kind: Literal["plan", "status_report"]
    id: int
    project_id: int
    project_name: str
    title: str
    body_name: str
    url: str


class MyMeasurement(BaseModel):
    indicator_id: int
    project_id: int
    project_name: str
    name: str
    due_date: date | None
    missing: bool
    url: str


class MyFollowUps(BaseModel):
    project_id: int
    project_name: str
    url: str


class MyMeeting(BaseModel):
    id: int
    project_id: int
    project_name: str
    body_name: str
    meeting_date: date
    start_time: str
    place: str
    url: str


class MyOverviewPublic(BaseModel):
    today: date
    tasks: list[MyTask]
    approvals: list[MyApproval]
    measurements: list[MyMeasurement]
    follow_ups: list[MyFollowUps]
    meetings: list[MyMeeting]
