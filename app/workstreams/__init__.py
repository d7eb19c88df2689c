"""The groups' work: tasks, milestones and time and action plans with their approval."""
