"""The one domain error users can cause, and its mapping to HTTP 400 in the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """An error the user can cause and fix; ``message`` is meant for a person."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDenied(ApplicationError):
    """The acting user may not do this (mapped to 403)."""


def api_exception_handler(exc: Exception, context: dict[str, Any]):
    """Map domain errors onto DRF's, so every API error has one shape: {"detail": ..., ...}."""
    if isinstance(exc, PermissionDenied | DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied(getattr(exc, "message", None) or str(exc) or None)
    elif isinstance(exc, ApplicationError):
        exc = drf_exceptions.ValidationError({"detail": exc.message, **exc.extra})
    elif isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return exception_handler(exc, context)
