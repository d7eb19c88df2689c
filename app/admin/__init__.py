"""Administration: accounts (administrators) and who may do what in a project (project leaders)."""
