"""Gantt charts, status reports, dashboards and exports."""
