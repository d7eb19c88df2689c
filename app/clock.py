"""The application's today: the real date in Copenhagen, or a fixed date for the demo.

Overdue tasks, slipped milestones, due follow-ups and grant warnings are all measured against
today. The Svendborg demo lies in 2012–2015, so `make run` sets REFORMSTYR_TODAY to a day in the
middle of that project; a real installation leaves it unset.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.config import get_settings

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def today() -> date:
    """Today as the application sees it (REFORMSTYR_TODAY when set)."""
    return get_settings().today or datetime.now(COPENHAGEN).date()
