"""Menus of the search forms, with their markup made once."""

from __future__ import annotations

from django.utils.html import format_html


class MenuOptions(list):
    """A menu's (value, label) pairs with their <option> markup made once: a menu cached as a
    shared part (``inventory.web.shared``) keeps its markup, and a page only marks the
    selected one."""

    def __init__(self, choices) -> None:
        super().__init__(choices)
        self.markup = [
            (
                value.casefold(),
                format_html('<option value="{}"', value),
                format_html(">{}</option>", label),
            )
            for value, label in self
        ]
