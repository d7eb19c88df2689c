"""The project organisation: charter, director areas, people, bodies, mandates, meetings, decisions."""
