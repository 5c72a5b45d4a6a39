"""Forge clients: a plain Python library (no Django) that lists public repositories as typed records."""
