"""What every catalog write shares: who may act, and saving with validation and history (and
recording that public pages changed, for their validators and cache)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError, PermissionDenied


def is_curator(actor: Any) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_active and actor.is_staff)


def require_agent(actor: Any) -> None:
    """Anonymous visitors and deactivated accounts may not write."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("You must be signed in as a public agent to do this."))


def require_curator(actor: Any) -> None:
    require_agent(actor)
    if not actor.is_staff:
        raise PermissionDenied(_("Only curators can do this."))


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def save_validated(instance: models.Model, *, actor: Any, exclude: list[str] | None = None) -> None:
    """``full_clean()`` then save, recording ``actor`` as the author in the history."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ApplicationError(
            validation_message(error),
            {"fields": getattr(error, "message_dict", {})},
        ) from error
    instance._history_user = actor
    instance.save()
    content_changed()


def delete_recorded(instance: models.Model, *, actor: Any) -> None:
    """Delete, recording ``actor`` as the author of the deletion in the history."""
    instance._history_user = actor
    instance.delete()
    content_changed()
