"""Models of the tna app."""
