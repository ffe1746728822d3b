"""Pure domain code: typed dataclasses in, dataclasses out. No Django, no files, no network."""
