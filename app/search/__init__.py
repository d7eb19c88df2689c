"""Search across a project: tasks, milestones, decisions, meetings, stakeholders, risks, plans
and reports' titles (docs/search.md)."""
