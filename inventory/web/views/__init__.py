"""Views of the web interface, one module per area."""
