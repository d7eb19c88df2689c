"""Slippage in days and weeks (today itself comes from app.clock)."""

from datetime import date


def slippage_days(baseline: date, expected: date) -> int:
    """Days from the baseline to the expected (or actual) date; positive is late."""
    return (expected - baseline).days


def weeks(days: int) -> float:
    """Days as weeks with one decimal (10 days → 1.4 weeks)."""
    return round(days / 7, 1)
