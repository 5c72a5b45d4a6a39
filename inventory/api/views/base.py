"""What every API view shares: throttling, conditional GET, strict lookups, documented errors."""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.metadata import SimpleMetadata

from inventory.api.conditional import ConditionalGetMixin
from inventory.api.serializers import ErrorSerializer
from inventory.api.throttling import AnonymousRateThrottle

SLUG = re.compile(r"[-\w]{1,200}")

BAD_REQUEST = OpenApiResponse(
    ErrorSerializer, description="A parameter is invalid; the body says which and why."
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such resource (for a list: no such page, or a cursor that names none).",
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description="Too many requests: wait the number of seconds in the Retry-After header.",
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Not signed in, CSRF token missing, or not allowed to do this.",
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified since the If-None-Match / If-Modified-Since validators."
)
BAD_CREDENTIALS = OpenApiResponse(
    ErrorSerializer,
    description="A token or session was sent and is not valid (send none to read anonymously).",
)
READ_ERRORS = {
    304: NOT_MODIFIED,
    400: BAD_REQUEST,
    403: BAD_CREDENTIALS,
    404: NOT_FOUND,
    429: THROTTLED,
}
DETAIL_ERRORS = READ_ERRORS
UNSUPPORTED = OpenApiResponse(
    ErrorSerializer, description="The body is not JSON, a form or multipart, or is malformed."
)
WRITE_ERRORS = {
    400: BAD_REQUEST,
    403: FORBIDDEN,
    404: NOT_FOUND,
    415: UNSUPPORTED,
    429: THROTTLED,
}


def integer_id(value: str, *, name: str = "id") -> int:
    """A path id: an integer, else a 400 saying so."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise ValidationError({name: f"Must be a positive integer, got {value[:30]!r}."})
    return int(value)


def slug_value(value: str) -> str:
    """A path slug: letters, digits, - and _, else nothing can match."""
    if not SLUG.fullmatch(value):
        raise NotFound("No resource has this identifier.")
    return value


class DescriptionMetadata(SimpleMetadata):
    """OPTIONS answers name, description and formats; inputs are documented by the schema."""

    def determine_actions(self, request, view):
        return {}


class ApiViewSet(ConditionalGetMixin, viewsets.GenericViewSet):
    """Base of every API view set; lookups reach the view whatever their form, to answer in JSON."""

    throttle_classes = [AnonymousRateThrottle]
    metadata_class = DescriptionMetadata
    lookup_value_regex = "[^/]+"

    def paginated(self, queryset, *, modified=None, complete=None):
        """A page of the queryset, serialised; ``complete(page)`` may add to its items first."""
        page = self.paginate_queryset(queryset)
        if complete is not None:
            page = complete(page)
        if modified is not None:
            self.note_modified(*(modified(item) for item in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
