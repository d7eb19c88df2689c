"""The project organisation: charter, people, bodies, mandates, meetings and decisions."""
