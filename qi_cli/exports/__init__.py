"""Exports for the meetings where QI is discussed: slides, board papers, write-ups, posters."""
