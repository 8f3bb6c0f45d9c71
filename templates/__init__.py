"""Project templates shipped with qi (blank and example); read with importlib.resources."""
