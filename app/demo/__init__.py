"""The Svendborg demo project, kept as a project document split by section."""
