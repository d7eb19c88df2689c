"""Participant registration for pilot projects and the grantor's monitoring (aggregates only)."""
