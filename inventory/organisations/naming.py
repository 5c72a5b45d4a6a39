"""Which organisations have a real name, for the filters and charts that list them."""

from __future__ import annotations

from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from inventory.organisations.services import PLACEHOLDER_PREFIX


def organisations_named_q(prefix: str = "") -> Q:
    """Organisations with a real name: not the placeholder of one known only by its Annuaire id
    ("Organisation c21fa08e"), which filters and charts leave out. ``prefix`` reaches them
    through a relation ("organisation__")."""
    placeholder = Concat(Value(PLACEHOLDER_PREFIX), Substr(f"{prefix}pso_id", 1, 8))
    return ~Q(**{f"{prefix}name": placeholder})
