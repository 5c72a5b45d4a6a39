"""Pagination of API lists: cursors for the large ones, page numbers for the small ones.

Both refuse what they cannot honour (an unknown ordering, a page size out of range, a forged
cursor) with a 400 that says what is wrong, instead of silently guessing.
"""

from __future__ import annotations

import re
from base64 import b64decode
from binascii import Error as Base64Error
from collections.abc import Callable
from datetime import UTC
from urllib import parse

from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

MAX_PAGE_SIZE = 500
# What a cursor looks like (DRF writes them in standard base64); the schema says so too.
CURSOR_PATTERN = "^[A-Za-z0-9+/]+={0,2}$"


def _page_size(request, *, param: str, default: int) -> int:
    raw = request.query_params.get(param)
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError(
            {param: f"Must be an integer between 1 and {MAX_PAGE_SIZE}."}
        ) from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({param: f"Must be an integer between 1 and {MAX_PAGE_SIZE}."})
    return size


def _as_int(value: str) -> int:
    return int(value)


def _as_datetime(value: str):
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(value)
    try:
        # The database compares in UTC: a date that has no UTC equivalent cannot be a position.
        parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(value) from None
    return parsed


def _as_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(value)
    return value


POSITION_PARSERS: dict[str, Callable[[str], object]] = {
    "int": _as_int,
    "datetime": _as_datetime,
    "text": _as_text,
}


class StableCursorPagination(pagination.CursorPagination):
    """Cursor pagination over an allow-list of orderings, each made unique by the primary key.

    A view sets ``orderings = {"name": ("field", "type"), ...}`` (type: int, datetime, text;
    fields must never be null) and ``default_ordering``; clients pass ``ordering=name`` or
    ``ordering=-name``.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering_param = "ordering"

    def get_page_size(self, request) -> int:
        return _page_size(request, param=self.page_size_query_param, default=self.page_size)

    @staticmethod
    def _orderings(view) -> dict[str, tuple[str, str]]:
        return getattr(view, "orderings", {"id": ("id", "int")})

    def get_ordering(self, request, queryset, view):
        orderings = self._orderings(view)
        raw = request.query_params.get(self.ordering_param) or getattr(
            view, "default_ordering", "id"
        )
        name = raw.removeprefix("-")
        if name not in orderings:
            allowed = ", ".join(sorted(orderings))
            raise ValidationError(
                {
                    self.ordering_param: (
                        f"Unknown ordering {raw[:50]!r}. Use one of: {allowed} "
                        "(prefix with - for descending order)."
                    )
                }
            )
        field, _kind = orderings[name]
        descending = raw.startswith("-")
        self._position_kind = _kind
        primary = f"-{field}" if descending else field
        if field == "id":
            return (primary,)
        return (primary, "-id" if descending else "id")

    def paginate_queryset(self, queryset, request, view=None):
        # The ordering must be known before the cursor is decoded, to check its position's type.
        self._position_kind = None
        self.get_ordering(request, queryset, view)
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """A cursor that is not base64 is a 400; one that is but names no position of this
        list (forged, or from another ordering) is a 404: there is no such page."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        message = "Invalid cursor: use the next or previous link of a previous page."
        if not re.fullmatch(CURSOR_PATTERN, encoded):
            raise ValidationError({self.cursor_query_param: message})
        try:
            # validate: characters outside base64 are an error, not silently skipped.
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            if not querystring:
                raise ValueError(encoded)
            tokens = parse.parse_qs(querystring, keep_blank_values=True, strict_parsing=True)
            offset = int(tokens.get("o", ["0"])[0])
            offset = max(0, min(offset, self.offset_cutoff))
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
            if position is not None:
                POSITION_PARSERS[self._position_kind or "text"](position)
        except (TypeError, ValueError, UnicodeError, Base64Error):
            raise NotFound({self.cursor_query_param: message}) from None
        return pagination.Cursor(offset=offset, reverse=reverse, position=position)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        names = sorted(self._orderings(view))
        parameters.append(
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort order; prefix with - for descending. Ties are broken by id, so the "
                    f"order is stable. Default: {getattr(view, 'default_ordering', 'id')}."
                ),
                "schema": {
                    "type": "string",
                    "enum": [*names, *(f"-{name}" for name in names)],
                },
            }
        )
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"] = {"type": "string", "pattern": CURSOR_PATTERN}
        return parameters


class SmallPageNumberPagination(pagination.PageNumberPagination):
    """Page numbers for short lists (software, organisations, crawl runs)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return _page_size(request, param=self.page_size_query_param, default=self.page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_query_param: "Must be a positive integer."})
        try:
            return super().paginate_queryset(queryset, request, view)
        except pagination.NotFound as error:
            # Past the last page: a well-formed number, but no such page.
            raise NotFound({self.page_query_param: str(error.detail)}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
