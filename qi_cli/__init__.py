"""qi: run quality-improvement projects with PDSA cycles from plain files in git."""

__version__ = "0.1.0"
