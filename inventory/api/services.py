"""Writes owned by the API itself: an agent's API token."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from inventory.core.exceptions import PermissionDenied


@transaction.atomic
def api_token_issue(*, agent) -> Token:
    """A new API token for the agent; the previous one stops working at once."""
    if agent is None or not agent.is_authenticated or not agent.is_active:
        raise PermissionDenied("You must be signed in as a public agent to get an API token.")
    Token.objects.filter(user=agent).delete()
    return Token.objects.create(user=agent)
