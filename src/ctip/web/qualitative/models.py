"""Models of the qualitative app."""
