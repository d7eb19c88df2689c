"""Danish words the report, dashboard and pack templates show for codes."""

from app.reports.models import REPORT_STATUS_BADGES, REPORT_STATUS_LABELS
from app.reports.rag import DIMENSIONS, LEVEL_LABELS, LEVEL_MEANINGS, Tolerances
from app.reports.schemas import ASKED_OF_LABELS, SECTIONS
from app.workstreams.models import TASK_STATUS_LABELS

ALL = {
    "levels": {k.value: v for k, v in LEVEL_LABELS.items()},
    "meanings": {k.value: v for k, v in LEVEL_MEANINGS.items()},
    "statuses": {k.value: v for k, v in REPORT_STATUS_LABELS.items()},
    "status_badges": {k.value: v for k, v in REPORT_STATUS_BADGES.items()},
    "dimensions": DIMENSIONS,
    "sections": SECTIONS,
    "asked_of": {k.value: v for k, v in ASKED_OF_LABELS.items()},
    "task_statuses": {k.value: v for k, v in TASK_STATUS_LABELS.items()},
    "tolerances": {name: f.title for name, f in Tolerances.model_fields.items()},
}
