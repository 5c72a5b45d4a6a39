"""What every write view shares: service errors become form errors or a 403 page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from inventory.catalog import selectors
from inventory.catalog.models import Software
from inventory.core.exceptions import ApplicationError, PermissionDenied


def software_or_404(slug: str, *, viewer) -> Software:
    software = selectors.software_get(slug=slug, viewer=viewer)
    if software is None:
        raise Http404
    return software


def call_service(form: forms.Form, service: Callable[..., Any], **kwargs: Any) -> tuple[bool, Any]:
    """Run a catalog service; a user-fixable error lands on the form, a refusal is a 403.

    Returns (succeeded, result). ``extra["fields"]`` from the service puts messages on fields.
    """
    try:
        return True, service(**kwargs)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error
    except ApplicationError as error:
        field = error.extra.get("field")
        if field in form.fields:
            form.add_error(field, error.message)
        else:
            field_errors = error.extra.get("fields") or {}
            placed = False
            for name, messages in field_errors.items():
                if name in form.fields:
                    form.add_error(name, messages)
                    placed = True
            if not placed:
                form.add_error(None, error.message)
        form.service_error = error
        return False, None


def call_action(request, service: Callable[..., Any], **kwargs: Any) -> bool:
    """Run a service that has no form (withdraw, remove); its error becomes a message."""
    try:
        service(**kwargs)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return False
    return True
