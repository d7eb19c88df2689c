"""The project document: a whole project as one JSON document, exported and imported again."""
