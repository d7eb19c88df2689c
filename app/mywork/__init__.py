"""»Mit overblik«: one page per person across their projects (docs/overblik.md)."""
