"""Everything that touches a project's files: one reader and one writer per format."""
